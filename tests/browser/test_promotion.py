"""Promotion in a real browser: the campaign editor, a request for a quote from both sides,
and the team's pages; axe-core finds no WCAG violation at 320 and 1280 px."""

import re
from datetime import timedelta
from itertools import count

import pytest

from tests.browser.checks import WIDTHS, axe_violations, elements_wider_than_viewport, horizontal_overflow
from tests.browser.conftest import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
_serial = count(1)


def assert_accessible(page, width):
    assert axe_violations(page) == [], page.url
    if width == 320:
        assert elements_wider_than_viewport(page) == [], page.url
        assert horizontal_overflow(page) == 0, page.url


def _world(tenant, rep, buyers, suffix):
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenant_apps.catalogue.models import BuyerProfile, Product, SupportedCompany, Vertical
    from tenant_apps.directory.models import Company, Representative

    with tenant_context(tenant):
        vertical = Vertical.objects.create(name=f"Robotique {suffix}", name_en=f"Robotics {suffix}",
                                           slug=f"robotics-{suffix}")
        company = Company.objects.create(name=f"Robotique Alsace {suffix}", country="FR", visibility="public")
        SupportedCompany.objects.create(company=company, since=timezone.localdate())
        if rep is not None:
            Representative.objects.create(company=company, user=rep, is_owner=True)
        product = Product.objects.create(company=company, title=f"Cobot palettiseur {suffix}", status="published",
                                         published_at=timezone.now())
        for index, buyer in enumerate(buyers):
            profile = BuyerProfile.objects.create(user=buyer, company_name=f"Gulf Trading {suffix}-{index}",
                                                  country="AE", sector="Industry", job_role="purchasing",
                                                  opted_in_marketing=True, marketing_opt_in_at=timezone.now())
            profile.interests.add(vertical)
        return {"vertical": vertical.name_en, "company": company.name, "product": product.pk,
                "company_pk": company.pk}


def _banner(tenant, actor, suffix):
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenant_apps.promotion import services

    with tenant_context(tenant):
        now = timezone.now()
        services.save_banner(name=f"Strip {suffix}", placement="site_strip", starts_at=now - timedelta(minutes=5),
                             ends_at=now + timedelta(minutes=30), link_url="/", default_language="fr", actor=actor,
                             texts={"fr": ("Salon des fournisseurs industriels", ""),
                                    "en": ("Industrial suppliers fair: meet them online", "")})


@pytest.mark.parametrize("width", WIDTHS)
def test_the_campaign_editor_counts_the_audience_and_sends_a_test(
    sites, demo_tenants, new_context, make_member, sign_in, width
):
    site, suffix = sites["showroom"], f"c{width}-{next(_serial)}"
    buyers = [make_member("showroom", "buyer") for _ in range(2)]
    world = committed(_world, demo_tenants["showroom"], None, buyers, suffix)
    manager = make_member("showroom", "moderator", backup_codes=True)
    page = new_context(width).new_page()
    sign_in(page, site, manager)

    page.goto(site.url("/promotion/manage/campaigns/new/"), wait_until="load")
    assert_accessible(page, width)
    main = page.locator("main")
    main.get_by_role("button", name="Save the campaign").click()
    page.wait_for_load_state("load")
    assert main.locator(".form-errors").count() == 1
    assert_accessible(page, width)

    main.get_by_label(re.compile(r"^Name")).fill(f"Launch {suffix}")
    main.get_by_label(world["vertical"]).check()
    # htmx asks the server for the new count as soon as a vertical is ticked.
    preview = page.locator("#audience-preview")
    preview.get_by_text("2 buyers will receive this campaign.").wait_for()
    main.get_by_label(re.compile(r"^Subject in French")).fill("Nouveaux fournisseurs")
    main.get_by_label(re.compile(r"^Message in French")).fill("<p>Bonjour, <strong>voici</strong> les nouveautés.</p>")
    main.get_by_label(re.compile(r"^Subject in English")).fill("New suppliers")
    main.get_by_label(re.compile(r"^Message in English")).fill("<p>Hello, here is what is new.</p>")
    assert_accessible(page, width)
    main.get_by_role("button", name="Save the campaign").click()
    page.wait_for_load_state("load")
    assert re.search(r"/promotion/manage/campaigns/\d+/$", page.url)
    assert "2 buyers will receive this campaign." in main.inner_text()
    assert_accessible(page, width)

    main.get_by_role("button", name="Send me a test").click()
    page.wait_for_load_state("load")
    assert f"A test was sent to {manager.email}." in page.locator(".flash-messages").inner_text()
    assert_accessible(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_request_for_a_quote_from_both_sides(sites, demo_tenants, new_context, make_member, sign_in, width):
    from django.utils import timezone

    site, suffix = sites["showroom"], f"r{width}-{next(_serial)}"
    rep = make_member("showroom", "company_rep")
    world = committed(_world, demo_tenants["showroom"], rep, [], suffix)
    today = timezone.localdate()

    page = new_context(width).new_page()
    sign_in(page, site, rep)
    page.goto(site.url("/promotion/requests/"), wait_until="load")
    assert_accessible(page, width)
    page.locator("main").get_by_role("link", name="Ask for a quote").click()
    page.wait_for_load_state("load")
    assert_accessible(page, width)
    main = page.locator("main")
    main.get_by_label("Banner", exact=True).check()
    main.get_by_label("Large", exact=True).check()
    main.get_by_label(re.compile(r"^From")).fill((today + timedelta(days=10)).isoformat())
    main.get_by_label(re.compile(r"^Until")).fill((today + timedelta(days=5)).isoformat())
    main.get_by_label(re.compile(r"^Budget")).fill("1500")
    main.get_by_label(re.compile(r"^Message to the team")).fill("Buyers in the Gulf states, please.")
    main.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state("load")
    assert "The end must come after the start." in main.inner_text()
    assert main.get_by_label(re.compile(r"^Message to the team")).input_value() == "Buyers in the Gulf states, please."
    assert_accessible(page, width)
    main.get_by_label(re.compile(r"^Until")).fill((today + timedelta(days=40)).isoformat())
    main.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state("load")
    assert re.search(r"/promotion/requests/\d+/$", page.url)
    request_url = page.url
    assert "Waiting for a quote" in main.inner_text()
    assert_accessible(page, width)

    manager = make_member("showroom", "moderator", backup_codes=True)
    team = new_context(width).new_page()
    sign_in(team, site, manager)
    team.goto(site.url("/promotion/manage/requests/?status=submitted"), wait_until="load")
    assert_accessible(team, width)
    team.locator("main").get_by_role("link", name=world["company"]).click()
    team.wait_for_load_state("load")
    assert_accessible(team, width)
    team_main = team.locator("main")
    team_main.get_by_label(re.compile(r"^Amount")).fill("1200")
    team_main.get_by_label(re.compile(r"^What the quote covers")).fill("Two weeks at the top of the showroom.")
    team_main.get_by_role("button", name="Send the quote").click()
    team.wait_for_load_state("load")
    assert "Quote sent" in team_main.inner_text()
    assert_accessible(team, width)

    page.goto(request_url, wait_until="load")
    assert "1200.00 €" in main.inner_text()
    assert_accessible(page, width)
    main.get_by_role("button", name="Accept the quote").click()
    page.wait_for_load_state("load")
    assert "Quote accepted" in main.inner_text()
    assert_accessible(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_teams_pages_and_the_site_strip(sites, demo_tenants, new_context, make_member, sign_in, width):
    site, suffix = sites["showroom"], f"t{width}-{next(_serial)}"
    manager = make_member("showroom", "tenant_admin", backup_codes=True)
    committed(_world, demo_tenants["showroom"], None, [], suffix)
    committed(_banner, demo_tenants["showroom"], manager, suffix)
    page = new_context(width).new_page()
    sign_in(page, site, manager)
    for path in ["/promotion/manage/", "/promotion/manage/featured/", "/promotion/manage/banners/",
                 "/promotion/manage/banners/new/", "/promotion/manage/keywords/", "/promotion/manage/campaigns/"]:
        page.goto(site.url(path), wait_until="load")
        assert page.get_by_role("complementary", name="Announcements").get_by_text(
            "Industrial suppliers fair: meet them online").count() >= 1, path
        assert_accessible(page, width)

    page.goto(site.url("/promotion/manage/keywords/"), wait_until="load")
    main = page.locator("main")
    main.get_by_label(re.compile(r"^Keyword")).fill("cobot")
    main.get_by_role("button", name="Sponsor").click()
    page.wait_for_load_state("load")
    assert main.locator(".form-errors").count() == 1  # no product chosen, no start: both said next to the fields
    assert_accessible(page, width)
