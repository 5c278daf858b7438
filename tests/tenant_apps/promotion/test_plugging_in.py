"""What the catalogue's pages plug in: template tags, links, and personal data hooks."""

from datetime import timedelta

from django.template import Context, Template
from django.test import RequestFactory

from shared_apps.privacy.registry import erasure_handlers, export_sections
from tenant_apps.promotion import links, services
from tenant_apps.promotion.models import CampaignRecipient, PromotionRequest
from tests.tenant_apps.promotion.conftest import HOUR, NOW, make_buyer, make_company, make_product


def _render(source, tenant, user=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.tenant, request.user = tenant, user or AnonymousUser()
    return Template("{% load promotion %}" + source).render(Context({"request": request}))


def test_featured_tags_give_the_lists_and_the_label_is_text(in_alpha):
    admin = in_alpha.members["tenant_admin"]
    company = make_company("Aéro Composites")
    product = make_product(company, "Panneau composite")
    services.add_featured_product(product=product, starts_at=NOW - HOUR, actor=admin)
    services.add_featured_company(company=company, starts_at=NOW - HOUR, actor=admin)
    html = _render("{% featured_products_now 4 as products %}{% for p in products %}[{{ p.title }}]{% endfor %}"
                   "{% featured_companies_now as companies %}{% for c in companies %}<{{ c.name }}>{% endfor %}"
                   "{% sponsored_label %}", in_alpha.tenant)
    assert "[Panneau composite]" in html and "<Aéro Composites>" in html
    assert '<span class="promotion-sponsored">Sponsored</span>' in html


def test_products_and_companies_link_to_their_public_pages(in_alpha):
    assert links.product_url(42) == "/catalogue/products/42/"
    assert links.company_url(7) == "/directory/companies/7/"


def test_export_and_erasure_cover_campaign_mails_and_requests(in_alpha, monkeypatch):
    rep = in_alpha.members["company_rep"]
    company = make_company("Robotique", owner=rep)
    buyer = make_buyer(in_alpha.tenant)
    request = services.submit_request(company=company, actor=rep, kind="banner", reach="small",
                                      starts_on=NOW.date() + timedelta(days=2),
                                      ends_on=NOW.date() + timedelta(days=3))
    campaign = services.save_campaign(name="N", contents={"fr": ("S", "<p>B</p>")}, default_language="fr",
                                      actor=in_alpha.members["tenant_admin"])
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=in_alpha.members["tenant_admin"])

    sections = export_sections()
    assert sections["promotion_requests_sent"](user=rep, tenant=in_alpha.tenant)[0]["company"] == "Robotique"
    assert sections["promotion_campaigns_received"](user=buyer, tenant=in_alpha.tenant)[0]["campaign"] == "N"

    for handler in erasure_handlers():
        handler(user=buyer, tenant=in_alpha.tenant)
        handler(user=rep, tenant=in_alpha.tenant)
    assert not CampaignRecipient.objects.filter(user=buyer).exists()
    assert PromotionRequest.objects.get(pk=request.pk).requested_by_id is None
