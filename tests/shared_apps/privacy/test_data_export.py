import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.privacy import services
from shared_apps.privacy.models import DataExport
from tenant_apps.notifications.models import Notification


def _download_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/privacy/my-data/export/[^\s\"]+/)", message.body).group(1)


def test_member_gets_an_emailed_link_to_a_zip_of_their_data(alpha):
    member = alpha.members["company_rep"]
    with schema_context(alpha.tenant.schema_name):
        Notification.objects.create(recipient=member, kind="test", title="Bienvenue")
    client = alpha.client(member)
    response = client.post("/privacy/my-data/export/")
    assert response.status_code == 302
    export = DataExport.objects.for_tenant(alpha.tenant).get(user=member)
    assert export.status == DataExport.Status.READY
    assert export.expires_at - export.ready_at == timedelta(hours=48)
    [message] = mail.outbox
    assert message.to == [member.email]
    download = client.get(_download_path(message))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "no-store" in download["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = set(archive.namelist())
    assert {"account.json", "account.csv", "memberships.json", "notifications.json", "consents.csv"} <= names
    assert json.loads(archive.read("account.json"))[0]["email"] == member.email
    assert json.loads(archive.read("notifications.json"))[0]["title"] == "Bienvenue"
    assert json.loads(archive.read("memberships.json"))[0]["role"] == "company_rep"


def test_the_link_works_only_for_its_owner(alpha, beta):
    member = alpha.members["company_rep"]
    alpha.client(member).post("/privacy/my-data/export/")
    path = _download_path(mail.outbox[0])
    assert alpha.client(alpha.members["tenant_admin"]).get(path).status_code == 404
    anonymous = alpha.client().get(path)
    assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"]
    assert beta.client(beta.members["company_rep"]).get(path).status_code in (302, 404)


def test_expired_or_tampered_links_explain_what_to_do(alpha):
    member = alpha.members["company_rep"]
    client = alpha.client(member)
    client.post("/privacy/my-data/export/")
    path = _download_path(mail.outbox[0])
    DataExport.objects.for_tenant(alpha.tenant).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(path).status_code == 410
    assert client.get(path[:-3] + "xx/").status_code == 410


def test_export_file_is_never_reachable_through_media_urls(alpha, settings):
    member = alpha.members["company_rep"]
    alpha.client(member).post("/privacy/my-data/export/")
    export = DataExport.objects.for_tenant(alpha.tenant).get(user=member)
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT))
    assert alpha.client(member).get(f"/media/{export.file_name}").status_code == 404


def test_a_second_request_while_one_is_pending_is_refused(alpha):
    member = alpha.members["guest"]
    DataExport.objects.create(tenant=alpha.tenant, user=member)
    with pytest.raises(services.PrivacyError):
        services.request_data_export(tenant=alpha.tenant, user=member)


def test_my_data_page_does_not_exist_on_the_platform_host(platform_client, operator):
    from tests.conftest import sign_in

    sign_in(platform_client, operator)
    assert platform_client.get("/privacy/my-data/").status_code == 404
