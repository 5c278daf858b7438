"""record_event: cheap, anonymous, offline, and respectful of the visitor's cookie choice."""

from __future__ import annotations

import socket

import pytest
from django.db import DatabaseError
from django_tenants.utils import tenant_context

from tenant_apps.analytics import visitors
from tenant_apps.analytics.models import Event
from tenant_apps.analytics.services import record_event
from tenants import services as tenant_services
from tests.tenant_apps.analytics.conftest import FIREFOX, make_company

FRENCH_ADDRESS = "193.51.24.1"
SENEGALESE_ADDRESS = "41.82.0.1"


def _company(programme, **fields):
    with tenant_context(programme.tenant):
        return make_company(**fields)


def _visit(programme, company, *, address=FRENCH_ADDRESS, user_agent=FIREFOX, client=None, **headers):
    client = client or programme.client()
    response = client.get(f"/directory/companies/{company.pk}/", REMOTE_ADDR=address, HTTP_USER_AGENT=user_agent, **headers)
    assert response.status_code == 200
    return client


def _accept_audience_measurement(client):
    client.post("/privacy/cookies/", {"analytics": "yes"})


def _events(programme):
    with tenant_context(programme.tenant):
        return list(Event.objects.order_by("id"))


def test_company_page_visit_is_recorded_with_country_and_daily_hash_but_no_address(beta):
    company = _company(beta)
    client = beta.client()
    _accept_audience_measurement(client)

    _visit(beta, company, client=client)

    [recorded] = _events(beta)
    assert (recorded.kind, recorded.company_id, recorded.country) == ("company_view", company.pk, "FR")
    assert len(recorded.visitor) == 32 and int(recorded.visitor, 16) >= 0
    assert FRENCH_ADDRESS not in str(recorded.__dict__)


def test_same_visitor_keeps_one_hash_for_the_day_and_another_browser_gets_another(beta):
    company = _company(beta)
    client = beta.client()
    _accept_audience_measurement(client)
    _visit(beta, company, client=client)
    _visit(beta, company, client=client)
    other = beta.client()
    _accept_audience_measurement(other)
    _visit(beta, company, client=other, user_agent=FIREFOX.replace("140", "141"), address=SENEGALESE_ADDRESS)

    first, second, third = _events(beta)
    assert first.visitor == second.visitor != third.visitor
    assert third.country == "SN"


@pytest.mark.parametrize("user_agent", ["", "Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0",
                                        "python-requests/2.32", "Mozilla/5.0 (compatible; bingbot/2.0)"])
def test_bots_and_scripts_are_not_counted(beta, user_agent):
    company = _company(beta)

    _visit(beta, company, user_agent=user_agent)

    assert _events(beta) == []


def test_browser_prefetch_is_not_a_visit(beta):
    company = _company(beta)

    _visit(beta, company, HTTP_SEC_PURPOSE="prefetch")

    assert _events(beta) == []


def test_visitor_who_refused_measurement_is_counted_without_hash(beta):
    company = _company(beta)
    client = beta.client()
    client.post("/privacy/cookies/", {"analytics": "no"})

    _visit(beta, company, client=client)

    [recorded] = _events(beta)
    assert (recorded.visitor, recorded.country) == ("", "FR")


def test_visitor_who_has_not_chosen_yet_is_counted_without_hash(beta):
    company = _company(beta)

    _visit(beta, company)

    assert [e.visitor for e in _events(beta)] == [""]


def test_programme_that_does_not_ask_consent_for_analytics_hashes_every_visitor(beta):
    beta.tenant.privacy = {**(beta.tenant.privacy or {}), "analytics_requires_consent": False}
    beta.tenant.save(update_fields=["privacy"])
    company = _company(beta)

    _visit(beta, company)

    [recorded] = _events(beta)
    assert len(recorded.visitor) == 32


def test_privacy_settings_page_switches_consent_for_analytics(beta):
    client = beta.client(beta.members["tenant_admin"])
    page = client.get("/manage/privacy/")
    assert "Count unique visitors only for people who accept audience measurement" in page.content.decode()
    form = page.context["form"]
    data = {key: value for key, value in form.initial.items() if value not in (None, False)}
    data.update({"purpose-TOTAL_FORMS": "0", "purpose-INITIAL_FORMS": "0", "controller": "Agence"})
    data.pop("analytics_requires_consent", None)

    assert client.post("/manage/privacy/", data).status_code == 302

    beta.tenant.refresh_from_db()
    assert beta.tenant.privacy["analytics_requires_consent"] is False


def test_representatives_viewing_their_own_page_are_not_visitors(beta):
    owner = beta.members["company_rep"]
    company = _company(beta, owner=owner)

    _visit(beta, company, client=beta.client(owner))

    assert _events(beta) == []


def test_signed_in_member_is_one_visitor_whatever_the_browser(beta):
    buyer = beta.members["buyer"]
    company = _company(beta)
    beta.tenant.privacy = {"analytics_requires_consent": False}
    beta.tenant.save(update_fields=["privacy"])
    _visit(beta, company, client=beta.client(buyer))
    _visit(beta, company, client=beta.client(buyer), user_agent=FIREFOX.replace("Linux", "Windows"), address=SENEGALESE_ADDRESS)

    first, second = _events(beta)
    assert first.visitor == second.visitor and first.user_id == buyer.pk


def test_address_from_a_trusted_proxy_gives_the_country(beta, settings):
    settings.AUDIT_TRUSTED_PROXY_COUNT = 1
    company = _company(beta)

    _visit(beta, company, address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.1, {SENEGALESE_ADDRESS}")

    assert [e.country for e in _events(beta)] == ["SN"]


def test_programme_without_the_analytics_module_records_nothing(beta):
    tenant_services.update_configuration(beta.tenant, modules=[m for m in beta.tenant.modules if m != "analytics"])
    company = _company(beta)

    _visit(beta, company)

    assert _events(beta) == []


def test_country_lookup_works_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the country look-up tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)

    assert visitors.country_of(FRENCH_ADDRESS) == "FR"
    assert visitors.country_of("2a01:e0a::1") == "FR"
    assert visitors.country_of("8.8.8.8") == "US"
    assert visitors.country_of("127.0.0.1") == ""
    assert visitors.country_of("not an address") == ""
    assert visitors.country_of(None) == ""


def test_unknown_kind_is_a_programming_error(in_beta):
    with pytest.raises(ValueError, match="Unknown analytics event kind"):
        record_event("page_bookmarked", company_id=1)


def test_database_error_is_logged_and_the_caller_carries_on(in_beta, monkeypatch, caplog):
    def failing_save(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Event, "save", failing_save)

    assert record_event(Event.Kind.INQUIRY, inquiry_id=7, company_id=1) is None
    assert "analytics event not recorded" in caplog.text


def test_events_without_request_carry_what_the_caller_gives(in_beta):
    buyer = in_beta.members["buyer"]

    recorded = record_event(Event.Kind.QUOTE, inquiry_id=3, company_id=9, user=buyer, value=3600, metadata={"side": "company"})

    assert (recorded.user_id, recorded.value, recorded.visitor, recorded.country) == (buyer.pk, 3600, "", "")


def test_erasure_keeps_the_count_but_forgets_the_person(in_beta):
    from tenant_apps.analytics.privacy import activity_events, forget_activity

    buyer = in_beta.members["buyer"]
    record_event(Event.Kind.INQUIRY, inquiry_id=3, company_id=9, user=buyer)
    assert [row["kind"] for row in activity_events(user=buyer, tenant=in_beta.tenant)] == ["inquiry"]

    forget_activity(user=buyer, tenant=in_beta.tenant)

    assert list(Event.objects.values_list("kind", "user_id")) == [("inquiry", None)]
