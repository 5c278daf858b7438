"""Template helpers other apps' pages use: the showroom link and badge."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def showroom_title(context) -> str:
    """The showroom's title for the navigation, or "" when the programme has no showroom."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public or not tenant.has_module("showroom"):
        return ""
    from tenant_apps.catalogue.showroom.selectors import nav_title

    return nav_title() or tenant.name


@register.inclusion_tag("catalogue/_showroom_badge.html", takes_context=True)
def showroom_badge(context, company):
    """The badge linking a supported company's pages back to the showroom."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    shown = False
    title = ""
    if tenant is not None and not tenant.is_public and tenant.has_module("showroom") and company is not None:
        from tenant_apps.catalogue.selectors import is_supported
        from tenant_apps.catalogue.showroom.selectors import nav_title

        shown = is_supported(company.pk)
        title = nav_title() or tenant.name if shown else ""
    return {"show_badge": shown, "showroom_title": title}
