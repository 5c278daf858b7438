from django import template

from shared_apps.finance import roles
from shared_apps.finance.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """``{{ entry.amount|money:entry.currency }}`` → "1,234.50 EUR" (in the page's language)."""
    return format_money(amount, currency or "")


@register.simple_tag
def finance_access(user) -> bool:
    """May ``user`` see the finance pages (finance staff and operators)?"""
    return roles.may_view_finance(user)
