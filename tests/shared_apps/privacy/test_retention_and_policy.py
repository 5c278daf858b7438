from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Membership, User
from shared_apps.privacy import tasks
from shared_apps.privacy.models import DataExport
from tenant_apps.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory


def test_purge_applies_the_tenants_retention_rules(alpha, beta):
    old = timezone.now() - timedelta(days=40)
    stale = UserFactory(email_verified_at=None, date_joined=old)
    MembershipFactory(user=stale, tenant=alpha.tenant)
    fresh = UserFactory(email_verified_at=None)
    MembershipFactory(user=fresh, tenant=alpha.tenant)
    member = alpha.members["guest"]
    with schema_context(alpha.tenant.schema_name):
        kept = Notification.objects.create(recipient=member, kind="t", title="recent")
        gone = Notification.objects.create(recipient=member, kind="t", title="old")
        Notification.objects.filter(pk=gone.pk).update(created_at=timezone.now() - timedelta(days=400))
    DataExport.objects.create(tenant=alpha.tenant, user=member, status="ready", expires_at=timezone.now() - timedelta(hours=1))

    counts = tasks.purge_tenant(alpha.tenant.schema_name)

    assert counts == {"unconfirmed_accounts": 1, "notifications": 1, "exports": 1}
    assert not User.objects.filter(pk=stale.pk).exists()
    assert Membership.objects.for_tenant(alpha.tenant).filter(user=fresh).exists()
    with schema_context(alpha.tenant.schema_name):
        assert list(Notification.objects.filter(recipient=member)) == [kept]


def test_purge_runs_from_celery_beat_for_every_programme(alpha, beta):
    assert settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]["task"] == "privacy.purge_all_tenants"
    assert tasks.purge_all_tenants() >= 2


def test_privacy_page_lists_purposes_legal_bases_retention_and_contact(alpha):
    html = alpha.client().get("/legal/privacy/").content.decode()
    assert "Legitimate interests" in html or "Intérêts légitimes" in html or "art. 6.1.f" in html
    assert "30" in html and "12" in html


def test_tenant_admin_edits_the_privacy_page_and_retention(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    assert client.get("/manage/privacy/").status_code == 200
    data = {
        "controller": "Agence Alpha", "contact_email": "dpo@alpha.example.org", "dpo_contact": "M. Dupont",
        "unconfirmed_account_days": "10", "notification_months": "6",
        "purpose-TOTAL_FORMS": "1", "purpose-INITIAL_FORMS": "0", "purpose-MIN_NUM_FORMS": "0", "purpose-MAX_NUM_FORMS": "30",
        "purpose-0-purpose": "Annuaire des entreprises", "purpose-0-legal_basis": "public_task", "purpose-0-retention": "3 ans",
    }
    assert client.post("/manage/privacy/", data).status_code == 302
    alpha.tenant.refresh_from_db()
    assert alpha.tenant.privacy["unconfirmed_account_days"] == 10
    html = alpha.client().get("/legal/privacy/").content.decode()
    assert "Agence Alpha" in html and "dpo@alpha.example.org" in html and "Annuaire des entreprises" in html


def test_bad_retention_keeps_what_was_typed_and_says_why(alpha):
    client = alpha.client(alpha.members["tenant_admin"])
    data = {"controller": "Gardé tel quel", "unconfirmed_account_days": "0", "notification_months": "abc",
            "purpose-TOTAL_FORMS": "0", "purpose-INITIAL_FORMS": "0"}
    response = client.post("/manage/privacy/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Gardé tel quel" in html and "field__errors" in html
