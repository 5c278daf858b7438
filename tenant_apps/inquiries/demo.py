"""Demo threads on the showroom: the demo buyers' inquiries to demo companies, in every state.

Idempotent (nothing is added once the programme holds an inquiry) and composable: products
and buyer profiles the catalogue's demo already created are used; only missing ones are
added, minimally.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import tenant_context

BUYERS = {
    "Ahmed Al-Mansouri": {"country": "AE", "company_name": "Gulf Industrial Trading", "sector": "Industrial distribution"},
    "Ingrid Johansson": {"country": "SE", "company_name": "Nordic Medical Supply", "sector": "Medical distribution"},
}
# Company: (product title, description) used when the company has no published product yet.
PRODUCTS = {
    "Usinage Précis Lyonnais": ("5-axis machined titanium brackets", "Aerospace and medical grade parts, ISO 9001."),
    "MedSensor Grenoble": ("Wireless ECG patch", "7-day single-lead ECG patch with remote monitoring platform."),
    "AgriTech Beauce": ("Soil moisture sensor kit", "Solar-powered probes and gateway for precision irrigation."),
    "Aéro Composites Toulouse": ("Carbon fibre fairing panels", "Autoclave-cured panels for aerostructures."),
}


def seed_inquiries(tenant, slug: str, people: dict) -> None:
    """Create a few threads between the showroom's demo buyers and companies; once."""
    if slug != "showroom":
        return
    from tenant_apps.inquiries.models import Inquiry

    with tenant_context(tenant):
        if not tenant.has_module("inquiries") or Inquiry.objects.exists():
            return
        ahmed, ingrid = people.get("Ahmed Al-Mansouri"), people.get("Ingrid Johansson")
        products = {name: _product(name) for name in PRODUCTS}
        if ahmed is None or ingrid is None or None in products.values():
            return
        for name, user in (("Ahmed Al-Mansouri", ahmed), ("Ingrid Johansson", ingrid)):
            _buyer_profile(user, BUYERS[name])
        _threads(ahmed, ingrid, products)


def _product(company_name: str):
    from tenant_apps.catalogue.models import Product
    from tenant_apps.directory.models import Company

    company = Company.objects.filter(name=company_name).first()
    if company is None or not company.representatives.exists():
        return None
    product = Product.objects.filter(company=company, status=Product.Status.PUBLISHED).order_by("pk").first()
    if product is None:
        title, description = PRODUCTS[company_name]
        product = Product.objects.create(company=company, title=title, description=description, language="en",
                                         status=Product.Status.PUBLISHED, published_at=timezone.now())
    return product


def _buyer_profile(user, values: dict) -> None:
    from tenant_apps.catalogue.models import BuyerProfile

    BuyerProfile.objects.get_or_create(user=user, defaults={**values, "job_role": BuyerProfile.JobRole.PURCHASING})


def _threads(ahmed, ingrid, products) -> None:
    from tenant_apps.inquiries import services

    today = timezone.localdate()
    machining, ecg = products["Usinage Précis Lyonnais"], products["MedSensor Grenoble"]
    agri, aero = products["AgriTech Beauce"], products["Aéro Composites Toulouse"]

    def owner_of(product):
        return product.company.representatives.select_related("user").get(is_owner=True).user

    won = services.create_inquiry(
        buyer=ahmed, company=machining.company, product=machining, kind="rfq", subject="200 titanium brackets for Dubai",
        body="We need 200 brackets to drawing GIT-2044 (attached on request). Please quote FOB Marseille.",
        buyer_country="AE", buyer_organisation="Gulf Industrial Trading", quantity=Decimal(200), unit="pieces",
        target_price=Decimal(18000), currency="EUR", incoterm="FOB", destination_country="AE",
        deadline=today + timedelta(days=20))
    services.post_message(author=owner_of(machining), inquiry=won, body="Thank you. We can deliver in five weeks.")
    services.send_quote(author=owner_of(machining), inquiry=won, amount=Decimal("17400.00"), currency="EUR",
                        valid_until=today + timedelta(days=30), terms="FOB Marseille, 30% at order, balance at shipping.")
    services.post_message(author=ahmed, inquiry=won, body="Accepted. Our purchase order follows.")
    services.change_status(actor=owner_of(machining), inquiry=won, status="won")
    _backdate(won, days=12, answer_hours=5)

    answered = services.create_inquiry(
        buyer=ingrid, company=ecg.company, product=ecg, kind="question", subject="CE marking and Swedish language",
        body="Is the patch CE-marked under the MDR, and is the app available in Swedish?", buyer_country="SE",
        buyer_organisation="Nordic Medical Supply")
    services.post_message(author=owner_of(ecg), inquiry=answered,
                          body="Yes, class IIa under the MDR. The app is in English; Swedish is planned for spring.")
    _backdate(answered, days=6, answer_hours=20)

    waiting = services.create_inquiry(
        buyer=ahmed, company=agri.company, product=agri, kind="order", subject="Order: 40 sensor kits",
        body="Please confirm availability and lead time for 40 kits delivered to Al Ain.", buyer_country="AE",
        buyer_organisation="Gulf Industrial Trading", quantity=Decimal(40), unit="sets", destination_country="AE")
    _backdate(waiting, days=1, answer_hours=1)

    quoted = services.create_inquiry(
        buyer=ingrid, company=aero.company, product=aero, kind="rfq", subject="Fairing panels for a drone programme",
        body="We are looking for 12 panels for a prototype series.", buyer_country="SE",
        buyer_organisation="Nordic Medical Supply", quantity=Decimal(12), unit="pieces", incoterm="DAP",
        destination_country="SE")
    services.send_quote(author=owner_of(aero), inquiry=quoted, amount=Decimal("26400.00"), currency="EUR",
                        valid_until=today + timedelta(days=45), terms="DAP Gothenburg, delivery in 10 weeks.")
    _backdate(quoted, days=3, answer_hours=30)

    closed = services.create_inquiry(
        buyer=ahmed, company=ecg.company, kind="contact", subject="Distribution in the Gulf",
        body="Are you looking for a distributor in the GCC?", buyer_country="AE",
        buyer_organisation="Gulf Industrial Trading")
    services.post_message(author=owner_of(ecg), inquiry=closed, body="Not this year, but let us stay in touch.")
    services.change_status(actor=ahmed, inquiry=closed, status="closed")
    _backdate(closed, days=20, answer_hours=2)


def _backdate(inquiry, *, days: int, answer_hours: int) -> None:
    """Spread a thread over past days, a step every ``answer_hours``, so inboxes and statistics look lived in."""
    from tenant_apps.analytics.models import Event
    from tenant_apps.inquiries.models import HistoryEntry, Inquiry, Message, Quote

    start = timezone.now() - timedelta(days=days)
    steps = sorted([*Message.objects.filter(inquiry=inquiry), *Quote.objects.filter(inquiry=inquiry)],
                   key=lambda row: (row.created_at, row.pk))

    def moment(index: int):
        return start + timedelta(hours=answer_hours * index)

    for index, row in enumerate(steps):
        type(row).objects.filter(pk=row.pk).update(created_at=moment(index))
    def after_step(when):
        # Whatever followed a step keeps it company, a minute later.
        return moment(max(sum(1 for step in steps if step.created_at <= when) - 1, 0)) + timedelta(minutes=1)

    for entry in HistoryEntry.objects.filter(inquiry=inquiry):
        HistoryEntry.objects.filter(pk=entry.pk).update(created_at=after_step(entry.created_at))
    for event in Event.objects.filter(inquiry_id=inquiry.pk):
        Event.objects.filter(pk=event.pk).update(occurred_at=after_step(event.occurred_at))
    answered = Inquiry.objects.get(pk=inquiry.pk).first_response_at is not None
    Inquiry.objects.filter(pk=inquiry.pk).update(
        created_at=start, last_activity_at=moment(len(steps) - 1) + timedelta(minutes=1),
        first_response_at=moment(1) if answered else None,
        response_seconds=answer_hours * 3600 if answered else None)
