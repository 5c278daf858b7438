"""E-mail campaigns: who receives them, how they are sent in batches, and how buyers leave."""

import smtplib
from email import message_from_string
from email.policy import default as default_policy

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from shared_apps.audit.models import AuditEvent
from tenant_apps.catalogue.models import BuyerProfile
from tenant_apps.promotion import selectors, services, tasks
from tenant_apps.promotion.models import Campaign, CampaignRecipient
from tenant_apps.promotion.tokens import make_unsubscribe_token, read_unsubscribe_token
from tests.tenant_apps.promotion.conftest import DAY, HOUR, NOW, make_buyer, make_member, make_vertical


@pytest.fixture
def admin(in_alpha):
    return in_alpha.members["tenant_admin"]


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def make_campaign(admin, *, verticals=(), countries=(), contents=None, name="Spring news"):
    return services.save_campaign(
        name=name, vertical_ids=[v.pk for v in verticals], countries=countries,
        contents=contents or {"fr": ("Nouveautés", "<p>Bonjour <strong>acheteurs</strong></p>"),
                              "en": ("What's new", "<p>Hello <strong>buyers</strong></p>")},
        default_language="fr", actor=admin)


def audience_emails(tenant, **criteria):
    return sorted(profile.user.email for profile in selectors.audience(tenant=tenant, **criteria).select_related("user"))


def test_the_audience_is_only_buyers_who_agreed(in_alpha):
    tenant = in_alpha.tenant
    yes = make_buyer(tenant, email="yes@buyer.example")
    make_buyer(tenant, opted_in=False, email="no@buyer.example")
    make_buyer(tenant, email="unconfirmed@buyer.example", email_verified_at=None)
    make_buyer(tenant, email="inactive@buyer.example", is_active=False)
    gone = make_buyer(tenant, email="gone@buyer.example")
    from shared_apps.accounts.models import Membership

    Membership.objects.for_tenant(tenant).filter(user=gone).delete()
    assert audience_emails(tenant) == [yes.email]


def test_the_audience_narrows_by_vertical_and_country(in_alpha):
    tenant = in_alpha.tenant
    tools, medical = make_vertical("Machines-outils", "tools"), make_vertical("Médical", "medical")
    make_buyer(tenant, country="DE", verticals=[tools], email="de-tools@buyer.example")
    make_buyer(tenant, country="DE", verticals=[medical], email="de-medical@buyer.example")
    make_buyer(tenant, country="AE", verticals=[tools, medical], email="ae-both@buyer.example")
    make_buyer(tenant, country="SE", email="se-none@buyer.example")

    assert audience_emails(tenant, vertical_ids=[tools.pk]) == ["ae-both@buyer.example", "de-tools@buyer.example"]
    assert audience_emails(tenant, countries=["DE"]) == ["de-medical@buyer.example", "de-tools@buyer.example"]
    assert audience_emails(tenant, vertical_ids=[tools.pk, medical.pk], countries=["AE", "SE"]) == [
        "ae-both@buyer.example"]
    summary = selectors.audience_summary(tenant=tenant, vertical_ids=[tools.pk])
    assert summary.count == 2 and sorted(count for _name, count in summary.by_country) == [1, 1]


def test_a_buyer_of_another_programme_is_never_in_the_audience(in_alpha, beta):
    from django_tenants.utils import tenant_context

    with tenant_context(beta.tenant):
        make_buyer(beta.tenant, email="beta@buyer.example")
    with tenant_context(in_alpha.tenant):
        assert audience_emails(in_alpha.tenant) == []


def test_bodies_are_sanitised_and_the_main_language_is_required(admin):
    campaign = make_campaign(admin, contents={
        "fr": ("Sujet", '<p onclick="x()">Bonjour</p><script>alert(1)</script><a href="javascript:x">lien</a>'),
        "en": ("", "")})
    body = campaign.contents.get(language="fr").body
    assert "script" not in body and "onclick" not in body and "javascript" not in body and "Bonjour" in body
    assert not campaign.contents.filter(language="en").exists()

    with pytest.raises(ValidationError) as refused:
        make_campaign(admin, contents={"fr": ("", ""), "en": ("Subject", "<p>Body</p>")})
    assert "subject_fr" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make_campaign(admin, contents={"fr": ("Sujet", "<script>only code</script>")})
    assert "body_fr" in refused.value.message_dict


def test_a_campaign_without_audience_cannot_be_sent_or_scheduled(admin):
    campaign = make_campaign(admin)
    with pytest.raises(services.PromotionError):
        services.send_campaign_now(campaign=campaign, actor=admin)
    with pytest.raises(services.PromotionError):
        services.schedule_campaign(campaign=campaign, send_at=NOW + DAY, actor=admin, now=NOW)


def test_scheduling_needs_a_future_time_and_can_be_cancelled(in_alpha, admin):
    make_buyer(in_alpha.tenant)
    campaign = make_campaign(admin)
    with pytest.raises(ValidationError):
        services.schedule_campaign(campaign=campaign, send_at=NOW - HOUR, actor=admin, now=NOW)
    services.schedule_campaign(campaign=campaign, send_at=NOW + DAY, actor=admin, now=NOW)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.scheduled_for) == (Campaign.Status.SCHEDULED, NOW + DAY)
    services.unschedule_campaign(campaign=campaign, actor=admin)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.scheduled_for) == (Campaign.Status.DRAFT, None)


def test_a_scheduled_campaign_starts_when_due_and_goes_to_everyone_once(in_alpha, admin, settings):
    settings.PROMOTION_CAMPAIGN_BATCH_SIZE = 2
    buyers = [make_buyer(in_alpha.tenant, email=f"b{n}@buyer.example") for n in range(5)]
    campaign = make_campaign(admin)
    services.schedule_campaign(campaign=campaign, send_at=NOW + HOUR, actor=admin, now=NOW)

    assert services.start_due_campaigns(now=NOW + HOUR - DAY / 24 / 60) == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services.transaction, "on_commit", lambda fn, robust=False: fn())
        assert services.start_due_campaigns(now=NOW + HOUR) == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(buyer.email for buyer in buyers)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT and campaign.finished_at is not None
    assert set(campaign.recipients.values_list("status", flat=True)) == {CampaignRecipient.Status.SENT}
    assert services.start_due_campaigns(now=NOW + DAY) == 0


def test_sending_goes_in_batches_of_the_configured_size(in_alpha, admin):
    for n in range(5):
        make_buyer(in_alpha.tenant, email=f"b{n}@buyer.example")
    campaign = make_campaign(admin)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
        services.send_campaign_now(campaign=campaign, actor=admin)

    outcomes = [services.send_campaign_batch(campaign.pk, batch_size=2) for _ in range(4)]
    assert [(o.sent, o.remaining) for o in outcomes] == [(2, 3), (2, 1), (1, 0), (0, 0)]
    assert len(mail.outbox) == 5
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


class FlakySmtp:
    """Delivers to locmem, but the mail server fails once on the chosen message."""

    def __init__(self, fail_on: int, error: Exception):
        self.fail_on, self.error, self.calls = fail_on, error, 0

    def __call__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        backend = EmailBackend()
        original = backend.send_messages

        def send_messages(messages):
            self.calls += 1
            if self.calls == self.fail_on:
                raise self.error
            return original(messages)

        backend.send_messages = send_messages
        return backend


def test_a_retry_after_a_mail_server_failure_never_sends_anyone_twice(in_alpha, admin, monkeypatch):
    buyers = [make_buyer(in_alpha.tenant, email=f"b{n}@buyer.example") for n in range(5)]
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)

    flaky = FlakySmtp(fail_on=3, error=smtplib.SMTPServerDisconnected("connection lost"))
    monkeypatch.setattr(services, "get_connection", flaky)
    with pytest.raises(services.CampaignDeliveryError):
        services.send_campaign_batch(campaign.pk, batch_size=10)
    assert len(mail.outbox) == 2
    statuses = list(campaign.recipients.order_by("pk").values_list("status", "attempts"))
    assert statuses == [("sent", 1), ("sent", 1), ("pending", 1), ("pending", 0), ("pending", 0)]

    # The retry (the task, run again) sends the other three, and nobody twice.
    outcome = services.send_campaign_batch(campaign.pk, batch_size=10)
    assert (outcome.sent, outcome.remaining) == (3, 0)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(buyer.email for buyer in buyers)
    services.send_campaign_batch(campaign.pk, batch_size=10)
    assert len(mail.outbox) == 5


def test_a_row_claimed_by_a_worker_that_died_is_not_sent_again(in_alpha, admin, monkeypatch):
    make_buyer(in_alpha.tenant, email="one@buyer.example")
    make_buyer(in_alpha.tenant, email="two@buyer.example")
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    # A worker claimed the first row, then died before marking it sent.
    first = campaign.recipients.order_by("pk").first()
    CampaignRecipient.objects.filter(pk=first.pk).update(status="sending", claimed_at=NOW - DAY)

    services.send_campaign_batch(campaign.pk, batch_size=10)
    assert [message.to[0] for message in mail.outbox] == ["two@buyer.example"]
    first.refresh_from_db()
    assert first.status == "failed" and "not sent again" in first.error
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_an_address_the_server_refuses_fails_alone(in_alpha, admin, monkeypatch):
    for n in range(3):
        make_buyer(in_alpha.tenant, email=f"b{n}@buyer.example")
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    monkeypatch.setattr(services, "get_connection", FlakySmtp(
        fail_on=2, error=smtplib.SMTPRecipientsRefused({"b1@buyer.example": (550, b"No such user")})))
    outcome = services.send_campaign_batch(campaign.pk, batch_size=10)
    assert (outcome.sent, outcome.failed, outcome.remaining) == (2, 1, 0)


def test_a_server_failing_three_times_gives_up_on_that_row(in_alpha, admin, monkeypatch):
    make_buyer(in_alpha.tenant, email="only@buyer.example")
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    for _ in range(services.MAX_DELIVERY_ATTEMPTS):
        monkeypatch.setattr(services, "get_connection", FlakySmtp(fail_on=1, error=OSError("refused")))
        with pytest.raises(services.CampaignDeliveryError):
            services.send_campaign_batch(campaign.pk, batch_size=10)
    row = campaign.recipients.get()
    assert (row.status, row.attempts) == ("failed", 3)
    services.send_campaign_batch(campaign.pk, batch_size=10)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT and mail.outbox == []


def test_the_task_asks_for_a_retry_then_paces_the_next_batches(in_alpha, admin, monkeypatch, settings):
    from celery.exceptions import Retry

    settings.PROMOTION_CAMPAIGN_BATCH_SIZE = 2
    for n in range(4):
        make_buyer(in_alpha.tenant, email=f"b{n}@buyer.example")
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    monkeypatch.setattr(services, "get_connection", FlakySmtp(fail_on=2, error=OSError("reset")))
    queued = []
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: queued.append(kwargs))
    with pytest.raises(Retry):  # eager mode hands the retry back; a worker would run it later
        tasks.send_campaign_batch.apply(args=[in_alpha.tenant.schema_name, campaign.pk])
    assert len(mail.outbox) == 1 and queued == []

    tasks.send_campaign_batch.apply(args=[in_alpha.tenant.schema_name, campaign.pk])
    assert len(mail.outbox) == 3 and queued == [{"countdown": settings.PROMOTION_CAMPAIGN_BATCH_INTERVAL}]
    tasks.send_campaign_batch.apply(args=[in_alpha.tenant.schema_name, campaign.pk])
    assert sorted(m.to[0] for m in mail.outbox) == [f"b{n}@buyer.example" for n in range(4)]
    assert len(queued) == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_a_buyer_who_leaves_after_the_start_is_skipped(in_alpha, admin, monkeypatch):
    stays = make_buyer(in_alpha.tenant, email="stays@buyer.example")
    leaves = make_buyer(in_alpha.tenant, email="leaves@buyer.example")
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    services.unsubscribe(user_id=leaves.pk, campaign_id=None)
    services.send_campaign_batch(campaign.pk, batch_size=10)
    assert [m.to[0] for m in mail.outbox] == [stays.email]
    assert campaign.recipients.get(user=leaves).status == "skipped"


def test_each_buyer_reads_their_language_in_the_programmes_branding(in_alpha, admin, monkeypatch):
    french = make_buyer(in_alpha.tenant, email="fr@buyer.example", preferred_language="fr")
    english = make_buyer(in_alpha.tenant, email="en@buyer.example", preferred_language="en")
    german = make_buyer(in_alpha.tenant, email="de@buyer.example", preferred_language="de")
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    services.send_campaign_batch(campaign.pk, batch_size=10)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[french.email].subject == "Nouveautés"
    assert by_address[english.email].subject == "What's new"
    # German is not one of alpha's languages: the programme's main language.
    assert by_address[german.email].subject == "Nouveautés"
    english_mail = by_address[english.email]
    html = english_mail.alternatives[0][0]
    assert "<strong>buyers</strong>" in html and in_alpha.tenant.branding["primary_color"] in html
    assert "Stop receiving it" in html and "Hello buyers" in english_mail.body
    assert "Ne plus la recevoir" in by_address[french.email].alternatives[0][0]

    unsubscribe_url = english_mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert english_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url.startswith("http://alpha.comptoir.test") and unsubscribe_url in html
    assert unsubscribe_url in english_mail.body


def test_the_unsubscribe_link_works_signed_out_with_one_post(alpha, in_alpha, admin, monkeypatch):
    buyer = make_buyer(in_alpha.tenant, email="leaving@buyer.example")
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    services.send_campaign_batch(campaign.pk, batch_size=10)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").replace("http://alpha.comptoir.test:8000", "")

    client = alpha.client()
    page = client.get(url)
    assert page.status_code == 200 and b"Stop receiving the news" in page.content
    assert BuyerProfile.objects.get(user=buyer).opted_in_marketing  # opening the link changes nothing

    # What a mail program sends for RFC 8058 one-click: no cookie, no CSRF token.
    client = alpha.client()
    client.handler.enforce_csrf_checks = True
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and b"Done" in response.content
    profile = BuyerProfile.objects.get(user=buyer)
    assert (profile.opted_in_marketing, profile.marketing_opt_in_at) == (False, None)
    assert campaign.recipients.get(user=buyer).unsubscribed_at is not None
    assert AuditEvent.objects.for_tenant(alpha.tenant).filter(action="promotion.unsubscribed").exists()
    assert alpha.client().post(url).status_code == 200  # twice is harmless
    assert selectors.audience(tenant=alpha.tenant).count() == 0


def test_an_altered_or_foreign_unsubscribe_link_changes_nothing(alpha, beta, in_alpha):
    buyer = make_buyer(in_alpha.tenant)
    token = make_unsubscribe_token(user_id=buyer.pk, campaign_id=None, schema_name=alpha.tenant.schema_name)
    assert read_unsubscribe_token(token, schema_name=alpha.tenant.schema_name).user_id == buyer.pk
    assert read_unsubscribe_token(token, schema_name=beta.tenant.schema_name) is None
    forged = make_unsubscribe_token(user_id=buyer.pk, campaign_id=None, schema_name=beta.tenant.schema_name)
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        response = alpha.client().post(f"/promotion/unsubscribe/{bad}/")
        assert response.status_code == 404 and b"This link is not valid" in response.content
    assert BuyerProfile.objects.get(user=buyer).opted_in_marketing


def test_a_test_send_goes_to_the_manager_alone(in_alpha, admin, django_capture_on_commit_callbacks):
    make_buyer(in_alpha.tenant)
    campaign = make_campaign(admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_test(campaign=campaign, actor=admin)
    assert [m.to[0] for m in mail.outbox] == [admin.email]
    assert mail.outbox[0].subject == "[Test] What's new"
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert not campaign.recipients.exists()


def test_a_sent_campaign_can_no_longer_be_changed_or_deleted(in_alpha, admin, monkeypatch):
    make_buyer(in_alpha.tenant)
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    with pytest.raises(services.PromotionError):
        make_campaign(admin) and services.save_campaign(
            campaign=campaign, name="x", contents={"fr": ("a", "<p>b</p>")}, default_language="fr", actor=admin)
    with pytest.raises(services.PromotionError):
        services.delete_campaign(campaign=campaign, actor=admin)
    with pytest.raises(services.PromotionError):
        services.send_campaign_now(campaign=campaign, actor=admin)


def test_the_tick_resumes_a_campaign_whose_batch_was_lost(in_alpha, admin, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    make_buyer(in_alpha.tenant, email="late@buyer.example")
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    Campaign.objects.filter(pk=campaign.pk).update(last_batch_at=NOW - DAY)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.tick.apply(args=[in_alpha.tenant.schema_name]).get()
    assert result["resumed"] == 1
    assert [m.to[0] for m in mail.outbox] == ["late@buyer.example"]


def test_the_campaign_steps_are_audited(in_alpha, admin, monkeypatch):
    make_buyer(in_alpha.tenant)
    campaign = make_campaign(admin)
    services.schedule_campaign(campaign=campaign, send_at=NOW + DAY, actor=admin, now=NOW)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    actions = set(AuditEvent.objects.for_tenant(in_alpha.tenant).filter(target_id=str(campaign.pk),
                                                                        action__startswith="promotion.campaign")
                  .values_list("action", flat=True))
    assert actions == {"promotion.campaign_saved", "promotion.campaign_scheduled", "promotion.campaign_started"}
    started = AuditEvent.objects.for_tenant(in_alpha.tenant).get(action="promotion.campaign_started")
    assert started.after == {"recipients": 1}


def test_a_deleted_account_takes_its_campaign_rows_with_it(in_alpha, admin, monkeypatch):
    buyer = make_buyer(in_alpha.tenant)
    make_member(in_alpha.tenant)
    campaign = make_campaign(admin)
    monkeypatch.setattr(services, "queue_campaign_batch", lambda *args, **kwargs: None)
    services.send_campaign_now(campaign=campaign, actor=admin)
    BuyerProfile.objects.filter(user=buyer).delete()
    buyer.delete()
    assert not campaign.recipients.exists()


def test_message_parsing_helpers_keep_links_readable():
    text = services._plain_text('<p>Bonjour</p><p>Voir <a href="https://x.example/a?b=1&amp;c=2">le salon</a><br>Merci</p>')
    assert text == "Bonjour\n\nVoir le salon (https://x.example/a?b=1&c=2)\nMerci"
    assert message_from_string("Subject: x\n\nbody", policy=default_policy)["Subject"] == "x"
