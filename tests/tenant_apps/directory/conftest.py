import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from tenant_apps.directory.models import Company, Representative
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def in_alpha(alpha):
    with tenant_context(alpha.tenant):
        yield alpha


@pytest.fixture
def owner(alpha):
    return alpha.members["company_rep"]


@pytest.fixture
def make_rep(alpha):
    """A new member of alpha with the company representative role."""
    def _make(tenant=None, **fields):
        user = UserFactory(**fields)
        MembershipFactory(user=user, tenant=tenant or alpha.tenant, role="company_rep")
        return user

    return _make


def make_company(*, owner=None, **fields) -> Company:
    values = {"name": "Karité d'Or", "country": "BF", "visibility": Company.Visibility.PUBLIC, **fields}
    company = Company.objects.create(**values)
    if owner is not None:
        Representative.objects.create(company=company, user=owner, is_owner=True)
    return company


def png_upload(name="photo.png", size=(8, 8)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name="brochure.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def listed_company(programme, **fields) -> Company:
    """A company shown to everyone in ``programme``'s directory, created in its schema."""
    fields.setdefault("country", "FR")
    fields.setdefault("visibility", Company.Visibility.PUBLIC)
    with tenant_context(programme.tenant):
        return Company.objects.create(**fields)
