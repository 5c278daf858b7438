"""A company with two representatives, a product in a vertical, buyers, and a rival company,
in programme alpha; helpers to open threads through the services."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def member(programme, role: str, **fields):
    user = UserFactory(**fields)
    MembershipFactory(user=user, tenant=programme.tenant, role=role)
    return user


@dataclass
class World:
    programme: object
    company: object
    owner: object
    owner_rep: object
    colleague: object
    colleague_rep: object
    product: object
    draft: object
    vertical: object
    buyer: object
    other_buyer: object
    rival: object
    rival_owner: object
    rival_product: object

    def inquiry(self, **overrides):
        """Open a thread through the service (inside the programme's schema)."""
        from tenant_apps.inquiries import services

        values = {"buyer": self.buyer, "company": self.company, "kind": "contact", "subject": "Your machines",
                  "body": "Hello, tell me more.", "buyer_country": "AE", "buyer_organisation": "Gulf Trading",
                  **overrides}
        return services.create_inquiry(**values)

    def rfq(self, **overrides):
        values = {"kind": "rfq", "product": self.product, "subject": "500 sensors for Dubai",
                  "body": "Please quote.", "quantity": 500, "unit": "pieces", "target_price": 40000,
                  "currency": "USD", "incoterm": "FOB", "destination_country": "AE",
                  "deadline": timezone.localdate() + timedelta(days=14), **overrides}
        return self.inquiry(**values)


def build_world(programme) -> World:
    from tenant_apps.catalogue.models import Product, Vertical
    from tenant_apps.directory.models import Company, Representative

    owner = programme.members["company_rep"]
    colleague = member(programme, "company_rep", full_name="Colette Collègue")
    rival_owner = member(programme, "company_rep", full_name="Rémi Rival")
    other_buyer = member(programme, "buyer", full_name="Olga Other")
    with tenant_context(programme.tenant):
        company = Company.objects.create(name="Usinage Précis", country="FR", visibility="public",
                                         email="contact@usinage.example", phone="+33 4 00 00 00 00",
                                         website="https://usinage.example")
        owner_rep = Representative.objects.create(company=company, user=owner, is_owner=True)
        colleague_rep = Representative.objects.create(company=company, user=colleague)
        rival = Company.objects.create(name="Rival Industries", country="FR", visibility="public")
        Representative.objects.create(company=rival, user=rival_owner, is_owner=True)
        vertical = Vertical.objects.create(name="Machines-outils", name_en="Machine tools", slug="machines-outils")
        now = timezone.now()
        product = Product.objects.create(company=company, title="Vibration sensor", status="published",
                                         published_at=now)
        product.verticals.add(vertical)
        draft = Product.objects.create(company=company, title="Prototype", status="draft")
        rival_product = Product.objects.create(company=rival, title="Rival lathe", status="published",
                                               published_at=now)
    return World(programme=programme, company=company, owner=owner, owner_rep=owner_rep, colleague=colleague,
                 colleague_rep=colleague_rep, product=product, draft=draft, vertical=vertical,
                 buyer=programme.members["buyer"], other_buyer=other_buyer, rival=rival, rival_owner=rival_owner,
                 rival_product=rival_product)


@pytest.fixture
def world(alpha) -> World:
    return build_world(alpha)


@pytest.fixture
def in_alpha(alpha):
    with tenant_context(alpha.tenant):
        yield alpha


def pdf_upload(name="specification.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def png_upload(name="drawing.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class SmtpInbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port, and Django's SMTP backend pointed at it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()
