"""A campaign really leaves through SMTP, in batches, with the one-click unsubscribe headers."""

from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import BuyerProfile
from tenant_apps.promotion import services
from tests.tenant_apps.notifications.test_smtp_delivery import smtp_server  # noqa: F401  (fixture)
from tests.tenant_apps.promotion.conftest import make_buyer


def test_a_campaign_reaches_every_buyer_once_by_smtp(alpha, smtp_server, settings,  # noqa: F811
                                                      django_capture_on_commit_callbacks):
    settings.PROMOTION_CAMPAIGN_BATCH_SIZE = 2
    with tenant_context(alpha.tenant):
        admin = alpha.members["tenant_admin"]
        buyers = [make_buyer(alpha.tenant, email=f"buyer{n}@import.example", preferred_language=language)
                  for n, language in enumerate(["en", "fr", "en", "fr", "en"])]
        campaign = services.save_campaign(
            name="Salon", contents={"fr": ("Le salon ouvre", "<p>Venez <em>nombreux</em></p>"),
                                    "en": ("The fair opens", "<p>Come <em>along</em></p>")},
            default_language="fr", actor=admin)
        # Eager Celery: the first batch queues the next ones, all run at once here.
        with django_capture_on_commit_callbacks(execute=True):
            services.send_campaign_now(campaign=campaign, actor=admin)

        assert sorted(rcpt for envelope in smtp_server.envelopes for rcpt in envelope.rcpt_tos) == sorted(
            buyer.email for buyer in buyers)
        messages = {envelope.rcpt_tos[0]: message_from_bytes(envelope.content, policy=default_policy)
                    for envelope in smtp_server.envelopes}
        english = messages["buyer0@import.example"]
        assert english["Subject"] == "The fair opens"
        assert messages["buyer1@import.example"]["Subject"] == "Le salon ouvre"
        assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = english["List-Unsubscribe"].strip().strip("<>")
        assert unsubscribe.startswith("http://alpha.comptoir.test:8000/promotion/unsubscribe/")
        html = english.get_body(preferencelist=("html",)).get_content()
        text = english.get_body(preferencelist=("plain",)).get_content()
        assert "<em>along</em>" in html and alpha.tenant.branding["primary_color"] in html
        assert "Come along" in text and unsubscribe in text

        path = unsubscribe.removeprefix("http://alpha.comptoir.test:8000")
    assert alpha.client().post(path).status_code == 200
    with tenant_context(alpha.tenant):
        assert not BuyerProfile.objects.get(user=buyers[0]).opted_in_marketing
        assert campaign.recipients.filter(status="sent").count() == 5


@pytest.mark.parametrize("batch_size", [1, 3])
def test_batch_size_never_changes_who_gets_the_mail(alpha, smtp_server, settings, batch_size,  # noqa: F811
                                                    django_capture_on_commit_callbacks):
    settings.PROMOTION_CAMPAIGN_BATCH_SIZE = batch_size
    with tenant_context(alpha.tenant):
        buyers = [make_buyer(alpha.tenant, email=f"b{n}@import.example") for n in range(4)]
        campaign = services.save_campaign(name="News", contents={"fr": ("Nouvelles", "<p>Texte</p>")},
                                          default_language="fr", actor=alpha.members["tenant_admin"])
        with django_capture_on_commit_callbacks(execute=True):
            services.send_campaign_now(campaign=campaign, actor=alpha.members["tenant_admin"])
    assert sorted(e.rcpt_tos[0] for e in smtp_server.envelopes) == sorted(b.email for b in buyers)
