"""The product's search vector follows its text, translations, links and company name."""

from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.catalogue.models import Certification, Product, ProductTranslation, Vertical
from tenant_apps.directory.models import Company


def _matches(product_id: int, word: str) -> bool:
    return Product.objects.filter(pk=product_id).extra(
        where=["search_vector @@ to_tsquery('simple', %s)"], params=[word],
    ).exists()


def test_vector_follows_translations_links_and_company(alpha):
    with schema_context(alpha.tenant.schema_name):
        company = Company.objects.create(name="Forges Lambert", country="FR")
        product = Product.objects.create(
            company=company, title="Fraiseuse à commande numérique", description="Précision élevée",
            specifications=[{"name": "Puissance", "value": "15 kW"}],
            status=Product.Status.PUBLISHED, published_at=timezone.now(),
        )
        assert _matches(product.pk, "fraiseuse") and _matches(product.pk, "precision") and _matches(product.pk, "puissance")
        ProductTranslation.objects.create(product=product, language="en", title="CNC milling machine")
        assert _matches(product.pk, "milling")
        vertical = Vertical.objects.create(name="Machines-outils", name_en="Machine tools", slug="machine-tools")
        product.verticals.add(vertical)
        assert _matches(product.pk, "tools")
        certification = Certification.objects.create(name="Marquage CE", slug="ce")
        product.certifications.add(certification)
        assert _matches(product.pk, "marquage")
        Company.objects.filter(pk=company.pk).update(name="Ateliers Lambert")
        assert _matches(product.pk, "ateliers")
        Vertical.objects.filter(pk=vertical.pk).update(name_en="Metalworking")
        assert _matches(product.pk, "metalworking")
