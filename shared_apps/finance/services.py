"""Finance's writes: the finance staff role, reconciliation runs and their mismatches,
resolutions, and queueing a failed Stripe event again.

Reconciliation reads Stripe outside any transaction, compares (``matching``), then
stores the mismatches in one transaction holding a lock on its scope, so two runs of the
same scope never race. Running again is idempotent: a mismatch already open is updated,
not duplicated; one that a person resolved stays resolved unless its figures changed;
an open one the run no longer finds, inside the window it covered, is marked cleared.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.audit.services import record
from shared_apps.billing.models import BillingAccount, Invoice, InvoiceStatus, LedgerEntry, WebhookEvent
from shared_apps.finance import gateway, matching
from shared_apps.finance.models import PlatformRole, ReconciliationItem, ReconciliationRun
from shared_apps.finance.roles import forget_roles
from tenants.models import Tenant

logger = logging.getLogger(__name__)

# Stripe's activity is read this long before the window too, so a payment booked at the
# window's first second is never taken for one missing at Stripe.
STRIPE_MARGIN = timedelta(days=2)
# The Celery task of shared_apps.billing that applies one stored Stripe event (by its id).
WEBHOOK_TASK = "billing.process_webhook_event"
PLATFORM_SCOPE = "platform"


class FinanceError(Exception):
    """A finance action was refused; the message is for the person who asked."""


# --- The finance staff role ------------------------------------------------------------


def grant_finance_role(*, user, actor) -> PlatformRole:
    """Make ``user`` finance staff (an operator's decision, audited). They must then use a second factor."""
    if not user.is_active:
        raise ValidationError({"email": _("This account is deactivated.")})
    role, created = PlatformRole.objects.get_or_create(user=user, role=PlatformRole.Role.FINANCE,
                                                       defaults={"granted_by": actor})
    if not created:
        raise ValidationError({"email": _("This person is already finance staff.")})
    forget_roles(user)
    record(action="finance.role_granted", tenant=None, actor=actor, target=user, target_label=user.email,
           before={"platform_roles": []}, after={"platform_roles": [PlatformRole.Role.FINANCE]})
    logger.info("finance role granted", extra={"subject": user.pk})
    return role


def revoke_finance_role(*, user, actor) -> None:
    """Take the role back (audited); every finance page checks the role on each request,
    so the person's open sessions lose access at once."""
    deleted, _details = PlatformRole.objects.filter(user=user, role=PlatformRole.Role.FINANCE).delete()
    if not deleted:
        raise FinanceError(_("This person is not finance staff."))
    forget_roles(user)
    record(action="finance.role_revoked", tenant=None, actor=actor, target=user, target_label=user.email,
           before={"platform_roles": [PlatformRole.Role.FINANCE]}, after={"platform_roles": []})
    logger.info("finance role revoked", extra={"subject": user.pk})


# --- Reconciliation --------------------------------------------------------------------


@dataclass
class Gathered:
    findings: list
    checked: dict
    stripe_checked: bool


def _scope_name(tenant) -> str:
    return f"tenant-{tenant.pk}" if tenant is not None else PLATFORM_SCOPE


def request_runs(*, tenant=None, every_scope: bool = False, actor=None,
                 trigger: str = ReconciliationRun.Trigger.MANUAL) -> list[ReconciliationRun]:
    """Queue runs (one per programme with billing and one for the platform, or one scope)
    and start them after commit; with an eager Celery they have finished on return."""
    if every_scope:
        tenants = list(Tenant.objects.programmes().filter(status=Tenant.Status.ACTIVE).order_by("name"))
        scopes = [t for t in tenants if t.has_module("billing")] + [None]
    else:
        scopes = [tenant]
    runs = [ReconciliationRun.plain.create(tenant=scope, trigger=trigger, requested_by=actor) for scope in scopes]
    if actor is not None:
        record(action="finance.reconciliation_requested", tenant=None, actor=actor,
               after={"scopes": [str(scope or _("Platform")) for scope in scopes], "runs": [run.pk for run in runs]})
    from shared_apps.finance.tasks import reconcile

    for run in runs:
        schema = run.tenant.schema_name if run.tenant is not None else "public"
        transaction.on_commit(partial(reconcile.delay, schema, run.pk), robust=True)
    return runs


def reconcile(*, tenant=None, run: ReconciliationRun | None = None, now: datetime | None = None,
              days: int | None = None, trigger: str = ReconciliationRun.Trigger.MANUAL) -> ReconciliationRun:
    """Compare one scope over the last ``days`` (FINANCE_RECONCILIATION_DAYS) and store the
    mismatches. Never raises for a Stripe or data error: the run is marked failed with it."""
    now = now or timezone.now()
    days = settings.FINANCE_RECONCILIATION_DAYS if days is None else days
    if run is None:
        run = ReconciliationRun.plain.create(tenant=tenant, trigger=trigger)
    run.status = ReconciliationRun.Status.RUNNING
    run.started_at = timezone.now()
    run.window_start, run.window_end = now - timedelta(days=days), now
    run.save(update_fields=["status", "started_at", "window_start", "window_end"])
    try:
        gathered = _gather(tenant, run.window_start, run.window_end)
        with transaction.atomic():
            _lock(tenant)
            counts = _store(run=run, tenant=tenant, findings=gathered.findings, stripe_checked=gathered.stripe_checked)
    except Exception as error:  # a failed run is shown to finance; the error goes to the log and Sentry
        logger.exception("reconciliation failed", extra={"tenant": getattr(tenant, "schema_name", "public"),
                                                         "run": run.pk})
        run.status = ReconciliationRun.Status.FAILED
        run.error = _describe(error)
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return run
    run.status = ReconciliationRun.Status.SUCCEEDED
    run.checked, run.stripe_checked = gathered.checked, gathered.stripe_checked
    run.found, run.opened, run.reopened, run.cleared = (
        len(gathered.findings), counts["opened"], counts["reopened"], counts["cleared"])
    run.finished_at = timezone.now()
    run.save()
    logger.info("reconciliation finished", extra={"tenant": getattr(tenant, "schema_name", "public"), "run": run.pk,
                                                  "found": run.found, "opened": run.opened})
    return run


def _describe(error: Exception) -> str:
    if isinstance(error, stripe.StripeError):
        return _("Stripe could not be read: %(error)s") % {"error": error.user_message or str(error)}
    return _("The reconciliation stopped on an unexpected error (%(type)s); it is in the error log.") % {
        "type": type(error).__name__}


def _lock(tenant) -> None:
    key = zlib.crc32(f"finance-reconciliation:{_scope_name(tenant)}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _gather(tenant, since: datetime, until: datetime) -> Gathered:
    if tenant is None:
        return _gather_platform(since, until)
    return _gather_tenant(tenant, since, until)


def _attribute(transactions: list[gateway.BalanceTransaction]) -> dict:
    """Which programme each card payment or refund belongs to: the one that booked it, or
    the one whose seller is Stripe's customer. Unknown ones map to None (the platform)."""
    if not transactions:
        return {}
    ids = {txn.id for txn in transactions}
    objects = {txn.source_id for txn in transactions if txn.source_id} | {txn.charge_id for txn in transactions
                                                                           if txn.charge_id}
    booked = (LedgerEntry.objects.across_tenants().exclude(kind=LedgerEntry.Kind.PAYOUT)
              .filter(Q(stripe_balance_transaction_id__in=ids) | Q(stripe_object_id__in=objects))
              .values_list("tenant_id", "stripe_balance_transaction_id", "stripe_object_id"))
    by_reference: dict[str, int] = {}
    for tenant_id, transaction_id, object_id in booked:
        for reference in (transaction_id, object_id):
            if reference:
                by_reference.setdefault(reference, tenant_id)
    customers = {txn.customer_id for txn in transactions if txn.customer_id}
    by_customer = dict(BillingAccount.objects.across_tenants().filter(stripe_customer_id__in=customers)
                       .values_list("stripe_customer_id", "tenant_id")) if customers else {}
    owners = {}
    for txn in transactions:
        owners[txn.id] = (by_reference.get(txn.id) or by_reference.get(txn.source_id)
                          or by_reference.get(txn.charge_id) or by_customer.get(txn.customer_id))
    return owners


def _gather_tenant(tenant, since: datetime, until: datetime) -> Gathered:
    findings: list = []
    checked = {"transactions": 0, "ledger_entries": 0, "invoices": 0}
    stripe_checked = gateway.is_enabled()
    if stripe_checked:
        transactions = gateway.balance_transactions(since=since - STRIPE_MARGIN, until=until)
        owners = _attribute(transactions)
        own = [txn for txn in transactions if owners.get(txn.id) == tenant.pk]
        entries = list(
            LedgerEntry.objects.for_tenant(tenant).filter(source=LedgerEntry.Source.STRIPE).filter(
                kind__in=[LedgerEntry.Kind.CHARGE, LedgerEntry.Kind.FEE, LedgerEntry.Kind.REFUND]).filter(
                Q(occurred_at__gte=since, occurred_at__lt=until)
                | Q(stripe_balance_transaction_id__in=[txn.id for txn in own])
                | Q(stripe_object_id__in=[txn.source_id for txn in own if txn.source_id]))
        )
        customers = {txn.customer_id for txn in own if txn.customer_id}
        companies = {account.stripe_customer_id: {"company_id": account.company_id, "company_name": account.company_name}
                     for account in BillingAccount.objects.for_tenant(tenant).filter(stripe_customer_id__in=customers)}
        findings += matching.check_card_activity(transactions=own, entries=entries, window_start=since,
                                                 companies=companies)
        checked["transactions"] = len([txn for txn in own if txn.created >= since])
        checked["ledger_entries"] += len(entries)
    invoices = list(
        Invoice.objects.for_tenant(tenant).exclude(status=InvoiceStatus.DRAFT)
        .filter(Q(issued_at__gte=since) | Q(paid_at__gte=since) | Q(ledger_entries__occurred_at__gte=since,
                                                                    ledger_entries__kind=LedgerEntry.Kind.PAYMENT))
        .distinct()
    )
    invoice_entries = list(
        LedgerEntry.objects.for_tenant(tenant)
        .filter(Q(invoice__in=[invoice.pk for invoice in invoices])
                | Q(kind=LedgerEntry.Kind.PAYMENT, occurred_at__gte=since)
                | Q(kind=LedgerEntry.Kind.PAYMENT, bank_reference__in=_references_of(invoices)))
        .filter(kind__in=[LedgerEntry.Kind.INVOICE, LedgerEntry.Kind.PAYMENT])
    )
    findings += matching.check_invoices(invoices=invoices, entries=invoice_entries, window_start=since)
    checked["invoices"] = len(invoices)
    checked["ledger_entries"] += len(invoice_entries)
    return Gathered(findings=findings, checked=checked, stripe_checked=stripe_checked)


def _references_of(invoices) -> list[str]:
    return sorted({part.strip() for invoice in invoices for part in (invoice.payment_reference or "").split(",")
                   if part.strip()})


def _gather_platform(since: datetime, until: datetime) -> Gathered:
    if not gateway.is_enabled():
        return Gathered(findings=[], checked={}, stripe_checked=False)
    transactions = gateway.balance_transactions(since=since - STRIPE_MARGIN, until=until)
    owners = _attribute(transactions)
    orphans = [txn for txn in transactions if owners.get(txn.id) is None]
    findings = matching.unattributed_activity(transactions=orphans, window_start=since)
    payouts = gateway.payouts(since=since - STRIPE_MARGIN, until=until)
    paid_out = {payout.id: gateway.payout_transactions(payout.id) for payout in payouts
                if payout.automatic and payout.arrival_date >= since}
    entries = list(
        LedgerEntry.objects.for_tenant(None).filter(kind=LedgerEntry.Kind.PAYOUT)
        .filter(Q(occurred_at__gte=since, occurred_at__lt=until)
                | Q(stripe_payout_id__in=[payout.id for payout in payouts])
                | Q(stripe_object_id__in=[payout.id for payout in payouts]))
    )
    findings += matching.check_payouts(payouts=payouts, entries=entries, paid_out=paid_out, window_start=since)
    checked = {"transactions": len([txn for txn in orphans if txn.created >= since]),
               "payouts": len([payout for payout in payouts if payout.arrival_date >= since]),
               "ledger_entries": len(entries)}
    return Gathered(findings=findings, checked=checked, stripe_checked=True)


_DATA_FIELDS = ("kind", "source", "reference", "company_id", "company_name", "ledger_amount", "ledger_currency",
                "source_amount", "source_currency", "occurred_at", "details")


def _store(*, run: ReconciliationRun, tenant, findings: list, stripe_checked: bool) -> dict:
    scope = _scope_name(tenant)
    now = timezone.now()
    by_key = {}
    for finding in findings:
        by_key.setdefault(finding.key(scope), finding)
    existing = {item.key: item for item in
                ReconciliationItem.objects.for_tenant(tenant).select_for_update().filter(key__in=list(by_key))}
    counts = {"opened": 0, "reopened": 0, "cleared": 0}
    created, changed = [], []
    for key, finding in by_key.items():
        fingerprint = finding.fingerprint()
        data = {name: getattr(finding, name) for name in _DATA_FIELDS}
        links = {"ledger_entry_id": finding.ledger_entry_id, "invoice_id": finding.invoice_id}
        item = existing.get(key)
        if item is None:
            created.append(ReconciliationItem(tenant=tenant, key=key, fingerprint=fingerprint, first_run=run,
                                              last_run=run, first_seen_at=now, last_seen_at=now, **data, **links))
            counts["opened"] += 1
            continue
        reopen = item.status == ReconciliationItem.Status.RESOLVED and (
            item.fingerprint != fingerprint or item.cleared_by_run_id is not None)
        if item.status == ReconciliationItem.Status.OPEN or reopen:
            for name, value in {**data, **links}.items():
                setattr(item, name, value)
            item.fingerprint = fingerprint
        if reopen:
            before = {"status": item.status, "resolution_note": item.resolution_note,
                      "cleared": item.cleared_by_run_id is not None}
            item.status = ReconciliationItem.Status.OPEN
            item.resolved_by, item.resolved_at, item.resolution_note, item.cleared_by_run = None, None, "", None
            item.times_reopened += 1
            counts["reopened"] += 1
            record(action="finance.mismatch_reopened", tenant=tenant, actor=None, target=item,
                   target_label=_label(item), before=before,
                   after={"status": item.status, "ledger_amount": item.ledger_amount,
                          "source_amount": item.source_amount, "run": run.pk})
        item.last_run, item.last_seen_at = run, now
        changed.append(item)
    ReconciliationItem.plain.bulk_create(created)
    ReconciliationItem.plain.bulk_update(
        changed, [*_DATA_FIELDS, "ledger_entry_id", "invoice_id", "fingerprint", "status", "resolved_by",
                  "resolved_at", "resolution_note", "cleared_by_run", "times_reopened", "last_run", "last_seen_at"])
    gone = (ReconciliationItem.objects.for_tenant(tenant).filter(status=ReconciliationItem.Status.OPEN,
                                                                 occurred_at__gte=run.window_start)
            .exclude(key__in=list(by_key)))
    if not stripe_checked:
        # Without Stripe, what Stripe would have shown is unknown: leave those open.
        gone = gone.exclude(source=ReconciliationItem.Source.STRIPE)
    counts["cleared"] = gone.update(status=ReconciliationItem.Status.RESOLVED, resolved_at=now, resolved_by=None,
                                    cleared_by_run=run)
    return counts


def _label(item: ReconciliationItem) -> str:
    return f"{item.get_kind_display()} · {item.reference}"


def resolve_item(*, item: ReconciliationItem, actor, note: str) -> ReconciliationItem:
    """Close an open mismatch with the finance person's explanation (audited, before and after)."""
    note = (note or "").strip()
    if len(note) < 5:
        raise ValidationError({"note": _("Explain in a few words what you found and did (5 characters at least).")})
    with transaction.atomic():
        item = ReconciliationItem.objects.for_tenant(item.tenant).select_for_update().get(pk=item.pk)
        if item.status != ReconciliationItem.Status.OPEN:
            raise FinanceError(_("This mismatch is already resolved."))
        item.status = ReconciliationItem.Status.RESOLVED
        item.resolution_note, item.resolved_by, item.resolved_at = note, actor, timezone.now()
        item.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
        record(action="finance.mismatch_resolved", tenant=item.tenant, actor=actor, target=item,
               target_label=_label(item), before={"status": ReconciliationItem.Status.OPEN},
               after={"status": item.status, "resolution_note": note})
    return item


# --- Stripe events -----------------------------------------------------------------------


def retry_webhook_event(*, event: WebhookEvent, actor) -> None:
    """Queue a failed Stripe event for billing's processing task again (audited).

    The task is called by name (``billing.process_webhook_event`` with the event's id),
    so this app does not import billing's processing code; the task applies a failed
    event again and leaves a processed one alone.
    """
    if event.status != WebhookEvent.Status.FAILED:
        raise FinanceError(_("Only a failed event can be queued again."))
    record(action="finance.webhook_retried", tenant=event.tenant, actor=actor, target=event,
           target_label=f"{event.type} {event.stripe_event_id}",
           before={"status": event.status, "attempts": event.attempts}, after={"queued": True})
    transaction.on_commit(partial(_send_webhook_task, event.pk), robust=True)


def _send_webhook_task(event_pk: int) -> None:
    from celery import current_app

    current_app.send_task(WEBHOOK_TASK, args=[event_pk])


def record_export(*, actor, what: str, fmt: str, filters: dict) -> None:
    record(action="finance.exported", tenant=None, actor=actor, after={"what": what, "format": fmt, "filters": filters})
