"""Demo billing for the Showroom France programme: plans, a negotiated price, bank details,
and some months of subscriptions paid by invoice and transfer.

Everything goes through ``shared_apps.billing.services``, so invoices, their numbers and
the ledger agree as they would in production. The history is replayed day by day: each
subscription starts on its date, the dunning run of every day renews, chases and reminds,
and each company pays its invoices by transfer so many days after they are issued (or
not at all). Nothing touches Stripe: the demo runs without keys.

Idempotent: settings are filled only when no IBAN is set, plans are matched by code, the
negotiated price by plan and company, and the history is replayed only while the
programme has no subscription.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from shared_apps.billing import services
from shared_apps.billing.models import CompanyPrice, Invoice, InvoiceStatus, Plan, Subscription

ADMIN = "Claire Dubois"

SETTINGS = {
    "grace_days": 15,
    "invoice_due_days": 30,
    "reminder_days": 7,
    "invoice_prefix": "SF",
    "issuer_name": "Business France",
    "issuer_address": "77 boulevard Saint-Jacques\n75014 Paris\nFrance",
    "issuer_vat_number": "FR41451499578",
    "issuer_registration": "SIREN 451 499 578",
    "bank_account_holder": "Business France — Showroom France",
    "bank_name": "Banque de France",
    "iban": "FR7630001007941234567890185",
    "bic": "BDFEFRPPCCT",
}

# (code, name, interval, amount before VAT in cents, description, features)
PLANS = [
    ("essentiel-monthly", "Essentiel monthly", "month", 4_900,
     "Your products in the showroom, with one featured slot.",
     {"products_online": 25, "featured_slots": 1, "campaign_credits": 0}),
    ("essentiel-yearly", "Essentiel yearly", "year", 49_000,
     "Essentiel billed once a year: two months free.",
     {"products_online": 25, "featured_slots": 1, "campaign_credits": 0}),
    ("premium-monthly", "Premium monthly", "month", 14_900,
     "A full catalogue, five featured slots and three buyer campaigns.",
     {"products_online": 200, "featured_slots": 5, "campaign_credits": 3}),
    ("premium-yearly", "Premium yearly", "year", 149_000,
     "Premium billed once a year: two months free.",
     {"products_online": 200, "featured_slots": 5, "campaign_credits": 3}),
]

NEGOTIATED = ("premium-monthly", "Usinage Précis Lyonnais", 11_900,
              "Supported company rate agreed at Global Industrie.")


@dataclass(frozen=True)
class DemoSubscription:
    company: str
    plan: str
    days_ago: int  # when it started
    pays_after_days: int | None  # each invoice is paid this long after it is issued; None: never
    address: str


# Between them: paid up on the negotiated price, paid up yearly, paid up with the
# latest invoice open, overdue within its grace period, and a recent one paid promptly.
SUBSCRIPTIONS = [
    DemoSubscription("Usinage Précis Lyonnais", "premium-monthly", 200, 8, "14 rue de Gerland\n69007 Lyon"),
    DemoSubscription("MedSensor Grenoble", "essentiel-yearly", 150, 21, "5 avenue des Martyrs\n38000 Grenoble"),
    DemoSubscription("AgriTech Beauce", "essentiel-monthly", 130, 12, "3 rue du Grand Faubourg\n28000 Chartres"),
    DemoSubscription("Aéro Composites Toulouse", "premium-yearly", 40, None,
                     "22 avenue Jean Monnet\n31770 Colomiers"),
    DemoSubscription("Robotique Alsace", "premium-monthly", 80, 5, "9 rue de la Fonderie\n68100 Mulhouse"),
]

DAILY_RUN_HOUR = 9
TRANSFER_HOUR = 14


def seed_billing(tenant, slug: str, people: dict[str, object]) -> None:
    """Set up billing for the showroom programme; other programmes are left alone. Runs in
    the programme's schema (the directory's companies are read there)."""
    if slug != "showroom":
        return
    from tenant_apps.directory.models import Company

    admin = people.get(ADMIN)
    if not services.settings_for(tenant).iban:
        services.update_settings(tenant=tenant, actor=admin, **SETTINGS)
    plans = _plans(tenant, admin)
    companies = {company.name: company for company in
                 Company.objects.filter(name__in=[row.company for row in SUBSCRIPTIONS] + [NEGOTIATED[1]])}
    _negotiated_price(tenant, admin, plans, companies)
    if Subscription.objects.for_tenant(tenant).exists():
        return
    _replay_history(tenant, admin, people, plans, companies)


def _plans(tenant, admin) -> dict[str, Plan]:
    existing = {plan.code: plan for plan in Plan.objects.for_tenant(tenant)}
    for position, (code, name, interval, amount, description, features) in enumerate(PLANS):
        if code not in existing:
            existing[code] = services.save_plan(
                tenant=tenant, actor=admin, code=code, name=name, interval=interval, currency="EUR", amount=amount,
                vat_rate=Decimal("20.00"), description=description, features=features, position=position)
    return existing


def _negotiated_price(tenant, admin, plans, companies) -> None:
    code, company_name, amount, note = NEGOTIATED
    company = companies.get(company_name)
    if company is None or code not in plans:
        return
    if not CompanyPrice.objects.for_tenant(tenant).filter(plan=plans[code], company_id=company.pk).exists():
        services.set_company_price(tenant=tenant, actor=admin, plan=plans[code], company_id=company.pk,
                                   company_name=company.name, amount=amount, note=note)


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def _replay_history(tenant, admin, people, plans, companies) -> None:
    now = timezone.now()
    today = timezone.localdate()
    rows = [row for row in SUBSCRIPTIONS if row.company in companies and row.plan in plans]
    if not rows:
        return
    accounts = {}
    for row in rows:
        company = companies[row.company]
        domain = company.email.split("@")[-1] if company.email else "example.org"
        accounts[row.company] = services.save_account(
            tenant=tenant, actor=people.get(row.company) or admin, company_id=company.pk, company_name=company.name,
            billing_email=f"comptabilite@{domain}", country=company.country.code or "FR",
            legal_name=company.legal_name or company.name, address=row.address)
    payers = {accounts[row.company].pk: row.pays_after_days for row in rows}
    day = today - timedelta(days=max(row.days_ago for row in rows))
    while day <= today:
        run_at = min(_at(day, DAILY_RUN_HOUR), now)
        for row in rows:
            if day == today - timedelta(days=row.days_ago):
                services.subscribe_by_invoice(tenant=tenant, account=accounts[row.company], plan=plans[row.plan],
                                              actor=people.get(row.company) or admin, start=run_at)
        services.run_dunning(tenant=tenant, now=run_at)
        transfer_at = min(_at(day, TRANSFER_HOUR), now)
        for invoice in Invoice.objects.for_tenant(tenant).filter(status=InvoiceStatus.OPEN).order_by("pk"):
            delay = payers.get(invoice.account_id)
            if delay is not None and timezone.localdate(invoice.issued_at) + timedelta(days=delay) == day:
                services.mark_invoice_paid(tenant=tenant, invoice=invoice, actor=admin,
                                           reference=invoice.bank_reference, paid_at=transfer_at)
        day += timedelta(days=1)
