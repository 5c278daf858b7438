"""The local Stripe-compatible server every test uses (see server.py)."""

from tests.stripe_server.server import StripeServer, decode_form, sign

__all__ = ["StripeServer", "decode_form", "sign"]
