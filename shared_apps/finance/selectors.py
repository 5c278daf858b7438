"""Finance's reads. Pages for finance staff span programmes on purpose (``across_tenants``);
the programme summary reads one programme only (``for_tenant``). Sums are always per
currency: amounts in different currencies are never added together."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from shared_apps.billing.models import Invoice, InvoiceStatus, LedgerEntry, WebhookEvent
from shared_apps.finance.models import PlatformRole, ReconciliationItem, ReconciliationRun
from tenants.models import Tenant

# What was collected: card payments and transfers, less refunds (amounts include VAT).
REVENUE_KINDS = (LedgerEntry.Kind.CHARGE, LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.REFUND)
RECEIVABLE_STATUSES = (InvoiceStatus.OPEN,)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


# --- Ledger ---------------------------------------------------------------------------------


def ledger_entries() -> QuerySet[LedgerEntry]:
    """Every programme's ledger and the platform's payouts, newest first."""
    return (LedgerEntry.objects.across_tenants().select_related("tenant", "invoice")
            .order_by("-occurred_at", "-pk"))


def totals_by_currency(entries: QuerySet[LedgerEntry]) -> list[dict]:
    """Per currency: how many entries, money in, money out and the balance, in one query."""
    return list(
        entries.order_by().values("currency").annotate(
            count=Count("id"),
            money_in=Coalesce(Sum("amount", filter=Q(amount__gt=0)), 0),
            money_out=Coalesce(Sum("amount", filter=Q(amount__lt=0)), 0),
            balance=Coalesce(Sum("amount"), 0),
        ).order_by("currency")
    )


def ledger_currencies() -> list[str]:
    return list(LedgerEntry.objects.across_tenants().order_by("currency").values_list("currency", flat=True).distinct())


def programmes() -> QuerySet[Tenant]:
    return Tenant.objects.programmes().order_by("name")


# --- Reconciliation ----------------------------------------------------------------------


def mismatches() -> QuerySet[ReconciliationItem]:
    return (ReconciliationItem.objects.across_tenants().select_related("tenant", "resolved_by", "invoice")
            .order_by("-occurred_at", "-pk"))


def mismatch(pk) -> ReconciliationItem | None:
    return (ReconciliationItem.objects.across_tenants()
            .select_related("tenant", "resolved_by", "invoice", "ledger_entry", "first_run", "last_run",
                            "cleared_by_run").filter(pk=pk).first())


def open_mismatch_counts() -> dict:
    rows = (ReconciliationItem.objects.across_tenants().filter(status=ReconciliationItem.Status.OPEN)
            .values("kind").annotate(total=Count("id")).order_by())
    return {row["kind"]: row["total"] for row in rows}


def recent_runs(limit: int = 10) -> list[ReconciliationRun]:
    return list(ReconciliationRun.objects.across_tenants().select_related("tenant", "requested_by")[:limit])


def failed_webhook_events() -> QuerySet[WebhookEvent]:
    return (WebhookEvent.objects.across_tenants().filter(status=WebhookEvent.Status.FAILED)
            .select_related("tenant").defer("payload").order_by("-received_at", "-pk"))


def failed_webhook_event(pk) -> WebhookEvent | None:
    return failed_webhook_events().filter(pk=pk).first()


def finance_staff() -> QuerySet[PlatformRole]:
    return PlatformRole.objects.filter(role=PlatformRole.Role.FINANCE).select_related("user", "granted_by")


# --- Reports -------------------------------------------------------------------------------


@dataclass
class FigureRow:
    """One line of a report: a programme or a plan, in one currency."""

    label: str
    currency: str
    revenue: int = 0
    outstanding: int = 0
    overdue: int = 0
    open_invoices: int = 0
    overdue_invoices: int = 0
    extra: dict = field(default_factory=dict)


def _ledger(tenant) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.for_tenant(tenant) if tenant is not None else LedgerEntry.objects.across_tenants()


def _invoices(tenant) -> QuerySet[Invoice]:
    return Invoice.objects.for_tenant(tenant) if tenant is not None else Invoice.objects.across_tenants()


def _revenue(tenant, since: date, until: date, currency: str = "") -> QuerySet[LedgerEntry]:
    entries = _ledger(tenant).filter(kind__in=REVENUE_KINDS, occurred_at__gte=start_of(since),
                                     occurred_at__lte=end_of(until))
    return entries.filter(currency=currency) if currency else entries


def _receivables(tenant, currency: str = "") -> QuerySet[Invoice]:
    invoices = _invoices(tenant).filter(status__in=RECEIVABLE_STATUSES)
    return invoices.filter(currency=currency) if currency else invoices


def months_between(since: date, until: date) -> list[date]:
    months, current = [], since.replace(day=1)
    while current <= until:
        months.append(current)
        current = current.replace(year=current.year + 1, month=1) if current.month == 12 else current.replace(
            month=current.month + 1)
    return months


def revenue_by_month(*, since: date, until: date, currency: str, tenant=None) -> list[tuple[date, int]]:
    """Collected revenue in ``currency`` for each month from ``since`` to ``until`` (zeros included)."""
    rows = (_revenue(tenant, since, until, currency).annotate(month=TruncMonth("occurred_at"))
            .values("month").annotate(total=Sum("amount")).order_by())
    by_month = {timezone.localtime(row["month"]).date().replace(day=1) if isinstance(row["month"], datetime)
                else row["month"]: row["total"] for row in rows}
    return [(month, by_month.get(month, 0)) for month in months_between(since, until)]


def receivables_by_month(*, currency: str, tenant=None, today: date | None = None) -> list[dict]:
    """Unpaid invoices in ``currency`` by the month they fall due: what is not yet due, and what is overdue."""
    today = today or timezone.localdate()
    rows = (_receivables(tenant, currency).filter(due_date__isnull=False)
            .annotate(month=TruncMonth("due_date"))
            .values("month")
            .annotate(due=Coalesce(Sum(F("gross_amount") - F("amount_paid")), 0),
                      overdue=Coalesce(Sum(F("gross_amount") - F("amount_paid"), filter=Q(due_date__lt=today)), 0))
            .order_by("month"))
    return [{"month": row["month"], "outstanding": row["due"], "overdue": row["overdue"]} for row in rows]


def _receivable_totals(invoices: QuerySet[Invoice], keys: list[str], today: date):
    return (invoices.values(*keys).annotate(
        outstanding=Coalesce(Sum(F("gross_amount") - F("amount_paid")), 0),
        overdue=Coalesce(Sum(F("gross_amount") - F("amount_paid"), filter=Q(due_date__lt=today)), 0),
        open_invoices=Count("id"), overdue_invoices=Count("id", filter=Q(due_date__lt=today)),
    ).order_by())


def figures_by_programme(*, since: date, until: date, today: date | None = None) -> list[FigureRow]:
    """Per programme and currency: revenue collected in the period, outstanding and overdue now."""
    today = today or timezone.localdate()
    rows: dict[tuple, FigureRow] = {}

    def row(tenant_id, name, currency) -> FigureRow:
        return rows.setdefault((tenant_id, currency), FigureRow(label=name or "", currency=currency,
                                                                extra={"tenant_id": tenant_id}))

    revenue = (_revenue(None, since, until).values("tenant_id", "tenant__name", "currency")
               .annotate(total=Sum("amount")).order_by())
    for line in revenue:
        row(line["tenant_id"], line["tenant__name"], line["currency"]).revenue = line["total"]
    for line in _receivable_totals(_receivables(None), ["tenant_id", "tenant__name", "currency"], today):
        target = row(line["tenant_id"], line["tenant__name"], line["currency"])
        _copy_receivables(target, line)
    return sorted(rows.values(), key=lambda r: (r.label.lower(), r.currency))


def figures_by_plan(*, since: date, until: date, tenant=None, today: date | None = None) -> list[FigureRow]:
    """Per plan and currency; payments of no subscription are under an empty plan name."""
    today = today or timezone.localdate()
    rows: dict[tuple, FigureRow] = {}

    def row(plan_id, plan_name, tenant_name, currency) -> FigureRow:
        return rows.setdefault((plan_id, currency), FigureRow(
            label=plan_name or "", currency=currency, extra={"plan_id": plan_id, "programme": tenant_name or ""}))

    revenue = (_revenue(tenant, since, until)
               .annotate(plan_ref=Coalesce("subscription__plan_id", "invoice__subscription__plan_id"),
                         plan_label=Coalesce("subscription__plan__name", "invoice__subscription__plan__name"))
               .values("plan_ref", "plan_label", "tenant__name", "currency").annotate(total=Sum("amount")).order_by())
    for line in revenue:
        row(line["plan_ref"], line["plan_label"], line["tenant__name"], line["currency"]).revenue = line["total"]
    keys = ["subscription__plan_id", "subscription__plan__name", "tenant__name", "currency"]
    for line in _receivable_totals(_receivables(tenant), keys, today):
        target = row(line["subscription__plan_id"], line["subscription__plan__name"], line["tenant__name"],
                     line["currency"])
        _copy_receivables(target, line)
    return sorted(rows.values(), key=lambda r: (r.extra["programme"].lower(), r.label == "", r.label.lower(),
                                                r.currency))


def _copy_receivables(target: FigureRow, line: dict) -> None:
    target.outstanding, target.overdue = line["outstanding"], line["overdue"]
    target.open_invoices, target.overdue_invoices = line["open_invoices"], line["overdue_invoices"]


def totals_for_programme(tenant, *, since: date, until: date, today: date | None = None) -> list[FigureRow]:
    """One programme's revenue, outstanding and overdue per currency (its administrators' summary)."""
    today = today or timezone.localdate()
    rows: dict[str, FigureRow] = {}
    for line in _revenue(tenant, since, until).values("currency").annotate(total=Sum("amount")).order_by():
        rows.setdefault(line["currency"], FigureRow(label=tenant.name, currency=line["currency"])).revenue = line["total"]
    for line in _receivable_totals(_receivables(tenant), ["currency"], today):
        _copy_receivables(rows.setdefault(line["currency"], FigureRow(label=tenant.name, currency=line["currency"])),
                          line)
    return [rows[currency] for currency in sorted(rows)]


def report_currencies(tenant=None) -> list[str]:
    """Currencies that appear in the ledger or the invoices, the most used first."""
    counts: dict[str, int] = defaultdict(int)
    for row in _ledger(tenant).values("currency").annotate(n=Count("id")).order_by():
        counts[row["currency"]] += row["n"]
    for row in _invoices(tenant).values("currency").annotate(n=Count("id")).order_by():
        counts[row["currency"]] += row["n"]
    return sorted(counts, key=lambda currency: (-counts[currency], currency))


def invoices_for_export() -> QuerySet[Invoice]:
    return (Invoice.objects.across_tenants().exclude(status=InvoiceStatus.DRAFT).select_related("tenant")
            .order_by("tenant__name", "-issued_at", "-pk"))
