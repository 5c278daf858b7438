"""Money in templates: integer cents and a currency, shown in the reader's locale."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "XOF": "FCFA", "CAD": "$ CA"}
ZERO_DECIMAL = {"XOF", "XAF", "JPY", "KRW"}


@register.filter
def money(cents, currency: str = "EUR") -> str:
    """``12345, "EUR"`` → ``123.45 €`` (``123,45 €`` in French); never a float on the way."""
    if cents is None or cents == "":
        return ""
    currency = (currency or "EUR").upper()
    if currency in ZERO_DECIMAL:
        amount, places = Decimal(int(cents)), 0
    else:
        amount, places = Decimal(int(cents)) / Decimal(100), 2
    return f"{number_format(amount, places, use_l10n=True, force_grouping=True)}\u202f{SYMBOLS.get(currency, currency)}".replace(
        "\u202f", " ")
