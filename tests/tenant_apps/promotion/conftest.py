"""Products, companies and buyers for the promotion tests, inside a programme's schema."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import BuyerProfile, Product, SupportedCompany, Vertical
from tenant_apps.directory.models import Company, Representative
from tenant_apps.promotion.models import Placement
from tenant_apps.promotion.selectors import banner_cache_key
from tests.factories import MembershipFactory, UserFactory

NOW = timezone.now().replace(microsecond=0)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_banner_cache(alpha, beta):
    """Banners are cached per programme; a rolled-back test must not leave its banners there."""
    def clear():
        for programme in (alpha, beta):
            with tenant_context(programme.tenant):
                cache.delete_many([banner_cache_key(placement) for placement in Placement.values])

    clear()
    yield
    clear()


@pytest.fixture
def in_alpha(alpha):
    with tenant_context(alpha.tenant):
        yield alpha


def make_company(name="Usinage Précis", *, supported=True, owner=None, visibility=Company.Visibility.PUBLIC):
    company = Company.objects.create(name=name, country="FR", visibility=visibility)
    if supported:
        SupportedCompany.objects.create(company=company, since=timezone.localdate())
    if owner is not None:
        Representative.objects.create(company=company, user=owner, is_owner=True)
    return company


def make_product(company, title="Fraiseuse 5 axes", *, published=True):
    return Product.objects.create(
        company=company, title=title, status=Product.Status.PUBLISHED if published else Product.Status.DRAFT,
        published_at=timezone.now() if published else None)


def make_member(tenant, role="buyer", **fields):
    user = UserFactory(**fields)
    MembershipFactory(user=user, tenant=tenant, role=role)
    return user


def make_buyer(tenant, *, country="DE", opted_in=True, verticals=(), **fields):
    """A member of ``tenant`` with a buyer profile there (call inside the tenant's schema)."""
    user = make_member(tenant, "buyer", **fields)
    profile = BuyerProfile.objects.create(
        user=user, company_name=f"Buyer {user.pk}", country=country, sector="Industry", job_role="purchasing",
        opted_in_marketing=opted_in, marketing_opt_in_at=timezone.now() if opted_in else None)
    if verticals:
        profile.interests.set(verticals)
    return user


def make_vertical(name="Machines-outils", slug="machine-tools"):
    return Vertical.objects.create(name=name, name_en=name, slug=slug)


def png_upload(name="banner.png", size=(40, 10)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def gif_upload(name="moving.gif"):
    from PIL import Image

    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/gif")


def animated_webp_upload(name="moving.webp"):
    from PIL import Image

    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/webp")
