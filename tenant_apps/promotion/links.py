"""Addresses of the pages promotion points at, owned by other modules.

The product page belongs to the catalogue; until its URL exists, a product links
nowhere (empty string) rather than breaking the page.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def product_url(product) -> str:
    """The catalogue's public page of ``product`` (a Product or its id), or "" when there is none yet."""
    pk = getattr(product, "pk", product)
    for kwargs, args in (({"pk": pk}, None), (None, [pk])):
        try:
            return reverse("catalogue:product-detail", kwargs=kwargs, args=args)
        except NoReverseMatch:
            continue
    return ""


def company_url(company) -> str:
    """The directory's profile page of ``company`` (a Company or its id)."""
    pk = getattr(company, "pk", company)
    try:
        return reverse("directory:company-detail", args=[pk])
    except NoReverseMatch:
        return ""
