"""Addresses of the pages promotion points at, owned by other modules."""

from __future__ import annotations

from django.urls import reverse


def product_url(product) -> str:
    """The catalogue's public page of ``product`` (a Product or its id)."""
    if hasattr(product, "get_absolute_url"):
        return product.get_absolute_url()
    return reverse("catalogue:product-detail", kwargs={"pk": product})


def company_url(company) -> str:
    """The directory's profile page of ``company`` (a Company or its id)."""
    return reverse("directory:company-detail", args=[getattr(company, "pk", company)])
