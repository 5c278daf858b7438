import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import CatalogueSettings, Product, ProductTranslation, Vertical
from tenant_apps.directory.models import Company, Representative
from tests.factories import MembershipFactory, UserFactory
from tests.tenant_apps.directory.conftest import pdf_upload, png_upload  # noqa: F401


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_showroom_titles(programmes):
    """The navigation caches the showroom's title per schema; tests roll their rows back."""
    for programme in programmes.values():
        with tenant_context(programme.tenant):
            cache.delete(f"catalogue:showroom-title:{programme.tenant.schema_name}")
    yield


@pytest.fixture
def in_beta(beta):
    with tenant_context(beta.tenant):
        yield beta


@pytest.fixture
def in_alpha(alpha):
    with tenant_context(alpha.tenant):
        yield alpha


@pytest.fixture
def seller(beta):
    """beta's company representative, owner of "Usinage Précis" (created in beta's schema)."""
    user = beta.members["company_rep"]
    with tenant_context(beta.tenant):
        company = Company.objects.create(name="Usinage Précis", country="FR", city="Lyon",
                                         visibility=Company.Visibility.PUBLIC)
        Representative.objects.create(company=company, user=user, is_owner=True)
    user.company = company
    return user


@pytest.fixture
def other_seller(beta):
    """Another company representative of beta, with a company of their own."""
    user = UserFactory(full_name="Autre Vendeur")
    MembershipFactory(user=user, tenant=beta.tenant, role="company_rep")
    with tenant_context(beta.tenant):
        company = Company.objects.create(name="Forges Rivales", country="FR", visibility=Company.Visibility.PUBLIC)
        Representative.objects.create(company=company, user=user, is_owner=True)
    user.company = company
    return user


def make_vertical(name="Machines-outils", name_en="Machine tools", slug=None) -> Vertical:
    return Vertical.objects.create(name=name, name_en=name_en, slug=slug or name_en.lower().replace(" ", "-"))


def make_product(company, *, title="Fraiseuse CNC 5 axes", description="Fraiseuse de précision.", published=True,
                 verticals=(), english=None, **fields) -> Product:
    """A product created directly in the current schema (not through the services)."""
    product = Product.objects.create(
        company=company, title=title, description=description, language=fields.pop("language", "fr"),
        status=Product.Status.PUBLISHED if published else Product.Status.DRAFT,
        published_at=timezone.now() if published else None, **fields,
    )
    if verticals:
        product.verticals.set(verticals)
    if english:
        ProductTranslation.objects.create(product=product, language="en", title=english[0],
                                          description=english[1] if len(english) > 1 else "")
    return product


def require_english():
    CatalogueSettings.objects.update_or_create(pk=1, defaults={"required_languages": ["en"]})
