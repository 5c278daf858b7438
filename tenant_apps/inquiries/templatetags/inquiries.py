"""Links other pages use to open an inquiry, and how response times read."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def inquiry_url(company=None, product=None, kind: str = "") -> str:
    """``/inquiries/new/?company=…&product=…``: the form, ready for this company or product."""
    query = {}
    if company is not None:
        query["company"] = getattr(company, "pk", company)
    if product is not None:
        query["product"] = getattr(product, "pk", product)
        query.setdefault("company", getattr(product, "company_id", ""))
    if kind:
        query["kind"] = kind
    return f"{reverse('inquiries:new')}?{urlencode(query)}"


@register.inclusion_tag("inquiries/_inquiry_button.html", takes_context=True)
def inquiry_button(context, company=None, product=None):
    """A "contact this company" button for people who may send inquiries (nothing for others)."""
    request = context.get("request")
    permissions = getattr(request, "permissions", ()) if request is not None else ()
    tenant = getattr(request, "tenant", None)
    shown = tenant is not None and tenant.has_module("inquiries") and "inquiries.send" in permissions
    return {
        "shown": shown,
        "url": inquiry_url(company, product) if shown else "",
        "rfq_url": inquiry_url(company, product, kind="rfq") if shown and product is not None else "",
        "company": company, "product": product,
    }


@register.filter
def response_time(value) -> str:
    """A duration as people read it: "2 days 4 h", "3 h 20 min", "12 min"."""
    if value is None or value == "":
        return "—"
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    if seconds < 60:
        return _("less than a minute")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
        return f"{text} {_('%(count)s h') % {'count': hours}}" if hours else text
    if hours:
        text = _("%(count)s h") % {"count": hours}
        return f"{text} {_('%(count)s min') % {'count': minutes}}" if minutes else text
    return _("%(count)s min") % {"count": minutes}


@register.simple_tag
def inquiry_statuses():
    """The pipeline's statuses as (value, label), in order: the columns of the statistics table."""
    from tenant_apps.inquiries.models import Status

    return Status.choices


@register.inclusion_tag("inquiries/_dashboard_cards.html", takes_context=True)
def inquiry_dashboard_cards(context):
    """Dashboard cards: the company's inbox for representatives, the buyer's own inquiries for buyers."""
    from tenant_apps.inquiries import selectors

    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if request is None or tenant is None or not tenant.has_module("inquiries"):
        return {}
    permissions = request.permissions
    cards = {}
    if "inquiries.answer" in permissions:
        rep = selectors.representation_of(request.user)
        if rep is not None:
            cards["inbox"] = {"waiting": selectors.waiting_count(company=rep.company)}
    if "inquiries.send" in permissions:
        cards["sent"] = {"answers": selectors.answered_count(buyer=request.user)}
    return cards
