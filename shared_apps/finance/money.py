"""Amounts are integers of a currency's minor unit; these helpers show and export them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format

# ISO 4217 currencies whose minor unit is not the cent (Stripe's list of zero-decimal ones).
ZERO_DECIMAL = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF",
                "XOF", "XPF"}
THREE_DECIMAL = {"BHD", "JOD", "KWD", "OMR", "TND"}


def exponent(currency: str) -> int:
    code = (currency or "").upper()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def to_major(amount: int | None, currency: str) -> Decimal | None:
    """``1250, "EUR"`` → ``Decimal("12.50")``: what an accounting system imports."""
    if amount is None:
        return None
    places = exponent(currency)
    return (Decimal(int(amount)) / (Decimal(10) ** places)).quantize(Decimal(1).scaleb(-places))


def format_money(amount: int | None, currency: str) -> str:
    """The amount in the active language's number format, followed by its currency code."""
    if amount is None:
        return "—"
    value = to_major(amount, currency)
    return f"{number_format(value, decimal_pos=exponent(currency), use_l10n=True, force_grouping=True)} {currency}"
