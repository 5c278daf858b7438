"""Dashboards show what the events say: views, visitors, countries, inquiries, products; live; to the right people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.analytics import services
from tenant_apps.analytics.models import Event
from tests.tenant_apps.analytics.conftest import event, local, make_company, make_product, make_rep

K = Event.Kind


@pytest.fixture
def showroom(beta):
    """Two supported companies in beta with events over the last days, rolled up."""
    owner = beta.members["company_rep"]
    today = timezone.localdate()
    with tenant_context(beta.tenant):
        company = make_company(owner=owner)
        other = make_company(name="AgriTech Beauce")
        product = make_product(company, title="Centre d'usinage 5 axes")
        second = make_product(company, title="Tour CNC compact")
        yesterday, earlier = today - timedelta(days=1), today - timedelta(days=10)
        # company: alice (FR) twice yesterday on two pages, bob (DE) yesterday, carol (FR) 10 days ago,
        # one anonymous view (refused measurement) and one visit from an unknown country.
        event(K.COMPANY_VIEW, at=local(yesterday, 9), visitor="alice", company_id=company.pk)
        event(K.PRODUCT_VIEW, at=local(yesterday, 10), visitor="alice", company_id=company.pk, product_id=product.pk)
        event(K.PRODUCT_VIEW, at=local(yesterday, 11), visitor="bob", country="DE", company_id=company.pk, product_id=product.pk)
        event(K.PRODUCT_VIEW, at=local(earlier, 11), visitor="carol", company_id=company.pk, product_id=second.pk)
        event(K.COMPANY_VIEW, at=local(earlier, 12), visitor="", company_id=company.pk)
        event(K.COMPANY_VIEW, at=local(earlier, 13), visitor="dan", country="", company_id=company.pk)
        event(K.SEARCH_IMPRESSION, at=local(yesterday, 9), visitor="erin", company_id=company.pk, product_id=product.pk)
        event(K.INQUIRY, at=local(yesterday, 10), inquiry_id=1, company_id=company.pk, product_id=product.pk, user_id=99)
        event(K.QUOTE, at=local(yesterday, 13), inquiry_id=1, company_id=company.pk, value=10800)
        event(K.STATUS_CHANGE, at=local(yesterday, 13), inquiry_id=1, metadata={"from": "new", "to": "quoted"})
        event(K.INQUIRY, at=local(earlier, 10), inquiry_id=2, company_id=company.pk, user_id=98, country="US")
        # the other company: one visitor from Sweden
        event(K.COMPANY_VIEW, at=local(yesterday, 9), visitor="frank", country="SE", company_id=other.pk)
        services.refresh()
    return beta, company, other, product


def _dashboard(client, company, **params):
    response = client.get(f"/analytics/companies/{company.pk}/", params)
    assert response.status_code == 200, response.content[:300]
    return response.context["activity"]


def test_company_dashboard_counts_match_the_events(showroom):
    beta, company, _other, product = showroom
    activity = _dashboard(beta.client(beta.members["company_rep"]), company)

    assert (activity.views, activity.visitors, activity.impressions) == (6, 4, 1)
    assert [(c.code, c.visitors, c.views) for c in activity.countries] == [("FR", 2, 4), ("DE", 1, 1), ("", 1, 1)]
    assert (activity.inquiries_received, activity.inquiries_answered, activity.median_response_seconds) == (2, 1, 10800)
    assert {value: n for value, _label, n in activity.statuses} == {
        "new": 1, "answered": 0, "quoted": 1, "won": 0, "lost": 0, "closed": 0}
    assert [(p.title, p.views, p.inquiries) for p in activity.top_products] == [
        ("Centre d'usinage 5 axes", 2, 1), ("Tour CNC compact", 1, 0)]


def test_company_dashboard_shows_the_figures_and_an_accessible_chart(showroom):
    beta, company, _other, _product = showroom
    page = beta.client(beta.members["company_rep"]).get(f"/analytics/companies/{company.pk}/").content.decode()

    assert "Activity of Usinage Précis Lyonnais" in page
    assert 'role="img" aria-labelledby="chart-views-title chart-views-desc"' in page
    assert "The same figures as a table" in page and "Germany" in page
    assert "Download the PDF" in page


def test_shorter_period_leaves_older_events_out(showroom):
    beta, company, _other, _product = showroom
    activity = _dashboard(beta.client(beta.members["company_rep"]), company, preset="7")

    assert (activity.views, activity.visitors, activity.inquiries_received) == (3, 2, 1)


def test_custom_period_and_bad_dates(showroom):
    beta, company, _other, _product = showroom
    client = beta.client(beta.members["company_rep"])
    day = (timezone.localdate() - timedelta(days=10)).isoformat()
    activity = _dashboard(client, company, start=day, end=day)
    assert (activity.views, activity.visitors) == (3, 2)

    response = client.get(f"/analytics/companies/{company.pk}/", {"start": "2026-13-01", "end": day})
    assert response.status_code == 400
    assert "Enter a date such as 2026-10-01." in response.content.decode()
    assert 'value="2026-13-01"' in response.content.decode()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.get(f"/analytics/companies/{company.pk}/", {"start": day, "end": future})
    assert response.status_code == 400 and "The last day cannot be after today." in response.content.decode()


def test_today_is_live_between_two_roll_ups(showroom):
    beta, company, _other, _product = showroom
    client = beta.client(beta.members["company_rep"])
    before = _dashboard(client, company)
    with tenant_context(beta.tenant):
        # alice was already counted yesterday (another day, another hash); today: a new visitor twice, and one from
        # earlier today already rolled up.
        today = timezone.localdate()
        event(K.COMPANY_VIEW, at=timezone.now() - timedelta(seconds=30), visitor="gina", company_id=company.pk)
        services.refresh()
        event(K.COMPANY_VIEW, at=timezone.now(), visitor="gina", company_id=company.pk)
        event(K.COMPANY_VIEW, at=timezone.now(), visitor="hugo", country="IT", company_id=company.pk)
        event(K.INQUIRY, at=timezone.now(), inquiry_id=3, company_id=company.pk)

    after = _dashboard(client, company)

    assert after.views == before.views + 3
    assert after.visitors == before.visitors + 2
    assert after.inquiries_received == before.inquiries_received + 1
    assert next(p for p in after.series if p.day == today).visitors == 2
    assert ("IT", 1) in [(c.code, c.visitors) for c in after.countries]


def test_programme_dashboard_adds_up_the_supported_companies(showroom):
    beta, company, other, _product = showroom
    with tenant_context(beta.tenant):
        outsider = make_company(name="Pas soutenue", supported=False)
        event(K.COMPANY_VIEW, at=timezone.now() - timedelta(hours=1), visitor="zed", company_id=outsider.pk)
        services.refresh()
    response = beta.client(beta.members["moderator"]).get("/analytics/programme/")
    assert response.status_code == 200
    activity = response.context["activity"]

    assert (activity.views, activity.visitors, activity.inquiries_received) == (7, 5, 2)
    assert {c.code for c in activity.countries} == {"FR", "DE", "SE", ""}


def test_agency_sees_any_company_dashboard(showroom):
    beta, _company, other, _product = showroom
    activity = _dashboard(beta.client(beta.members["tenant_admin"]), other)

    assert (activity.views, activity.visitors) == (1, 1)


def test_representative_sees_only_their_own_company(showroom):
    beta, company, other, _product = showroom
    client = beta.client(beta.members["company_rep"])

    assert client.get(f"/analytics/companies/{other.pk}/").status_code == 404
    assert client.get(f"/analytics/companies/{other.pk}/report/", {"month": f"{timezone.localdate():%Y-%m}"}).status_code == 404
    assert client.get("/analytics/programme/").status_code == 403
    assert client.get("/analytics/programme/engagement/").status_code == 403
    assert client.get("/analytics/").url == f"/analytics/companies/{company.pk}/"


def test_representative_of_another_company_in_the_same_programme_gets_404(showroom):
    beta, company, other, _product = showroom
    with tenant_context(beta.tenant):
        colleague = make_rep(beta, other)

    assert beta.client(colleague).get(f"/analytics/companies/{company.pk}/").status_code == 404
    assert beta.client(colleague).get(f"/analytics/companies/{other.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["buyer", "guest", "expert"])
def test_buyers_and_other_members_never_see_dashboards(showroom, role):
    beta, company, _other, _product = showroom
    client = beta.client(beta.members[role])

    for path in (f"/analytics/companies/{company.pk}/", "/analytics/programme/", "/analytics/programme/engagement/",
                 "/analytics/programme/engagement/export/", "/analytics/"):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in(showroom):
    beta, company, _other, _product = showroom
    client = beta.client()

    for path in (f"/analytics/companies/{company.pk}/", "/analytics/programme/", "/analytics/programme/engagement/",
                 f"/analytics/companies/{company.pk}/report/?month=2026-10&format=pdf"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/sign-in/"), path


def test_another_programme_sees_nothing(showroom, alpha):
    beta, company, _other, _product = showroom
    admin = alpha.client(alpha.members["tenant_admin"])

    assert admin.get(f"/analytics/companies/{company.pk}/").status_code == 404
    activity = admin.get("/analytics/programme/").context["activity"]
    assert (activity.views, activity.inquiries_received, activity.countries) == (0, 0, [])
    # A member of beta signed in there is a stranger on alpha's host.
    assert beta.client(beta.members["tenant_admin"]).get(f"/analytics/companies/{company.pk}/",
                                                          HTTP_HOST=alpha.host).status_code == 302


def test_dashboards_need_the_analytics_module(showroom):
    from tenants import services as tenant_services

    beta, company, _other, _product = showroom
    tenant_services.update_configuration(beta.tenant, modules=[m for m in beta.tenant.modules if m != "analytics"])
    client = beta.client(beta.members["tenant_admin"])

    assert client.get("/analytics/programme/").status_code == 404
    assert client.get(f"/analytics/companies/{company.pk}/").status_code == 404


def _queries(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


def test_dashboard_queries_do_not_grow_with_companies_products_or_events(showroom):
    beta, company, _other, _product = showroom
    rep, admin = beta.client(beta.members["company_rep"]), beta.client(beta.members["tenant_admin"])
    paths = [(rep, f"/analytics/companies/{company.pk}/"), (admin, "/analytics/programme/"),
             (admin, "/analytics/programme/engagement/"), (admin, "/analytics/programme/engagement/?sort=-views")]
    before = [_queries(client, path) for client, path in paths]
    with tenant_context(beta.tenant):
        for n in range(8):
            extra = make_company(name=f"Entreprise {n}", owner=make_rep(beta))
            product = make_product(extra, title=f"Produit {n}")
            for hour in range(3):
                event(K.PRODUCT_VIEW, at=timezone.now() - timedelta(days=hour, hours=1), company_id=extra.pk, product_id=product.pk)
                event(K.PRODUCT_VIEW, at=timezone.now() - timedelta(days=hour, hours=1), company_id=company.pk,
                      product_id=make_product(company, title=f"Autre {n}-{hour}").pk)
        services.refresh()

    after = [_queries(client, path) for client, path in paths]

    assert after == before
    assert max(after) <= 20, after


def test_home_dashboard_links_to_the_activity_pages(showroom):
    beta, company, _other, _product = showroom

    assert "/analytics/" in beta.client(beta.members["company_rep"]).get("/dashboard/").content.decode()
    assert "/analytics/" in beta.client(beta.members["moderator"]).get("/dashboard/").content.decode()
    assert "/analytics/" not in beta.client(beta.members["buyer"]).get("/dashboard/").content.decode()
