"""The comparisons themselves: pure functions from what each side says to mismatches.

Nothing here reads or writes the database; ``services.reconcile`` gathers both sides and
stores what these functions find. Every finding names its subject in a stable way
(``subject``), so that running again finds the same mismatch rather than a new one.

Signs follow the ledger (shared_apps.billing.models.LedgerEntry): a card payment is
positive, its refund and its Stripe fee negative, a payout negative; Stripe's balance
transactions use the same signs for payments and refunds, and a positive payout amount.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from shared_apps.billing.models import LedgerEntry, PaymentMethod
from shared_apps.finance.gateway import BalanceTransaction, Payout
from shared_apps.finance.models import ReconciliationItem

Kind = ReconciliationItem.Kind
Source = ReconciliationItem.Source


@dataclass
class Finding:
    kind: str
    source: str
    subject: str
    occurred_at: datetime
    reference: str = ""
    ledger_amount: int | None = None
    ledger_currency: str = ""
    source_amount: int | None = None
    source_currency: str = ""
    ledger_entry_id: int | None = None
    invoice_id: int | None = None
    company_id: int | None = None
    company_name: str = ""
    details: dict = field(default_factory=dict)

    def key(self, scope: str) -> str:
        return f"{scope}:{self.kind}:{self.subject}"[:255]

    def fingerprint(self) -> str:
        """A digest of the figures seen: it changes only when the data behind the mismatch does."""
        seen = [self.kind, self.ledger_amount, self.ledger_currency, self.source_amount, self.source_currency,
                self.ledger_entry_id, self.invoice_id, self.details]
        return hashlib.sha256(json.dumps(seen, sort_keys=True, default=str).encode()).hexdigest()


def _company(entry) -> dict:
    return {"company_id": entry.company_id, "company_name": entry.company_name}


def _compare_one(*, entries: list, expected_amount: int, expected_currency: str, subject: str, reference: str,
                 occurred_at: datetime, source: str, company: dict | None = None, details: dict | None = None,
                 missing_ok: bool = False) -> list[Finding]:
    """One movement on the source side against the ledger entries booked for it."""
    base = {"source": source, "reference": reference, "occurred_at": occurred_at,
            "source_amount": expected_amount, "source_currency": expected_currency, **(company or {})}
    if not entries:
        if missing_ok:
            return []
        return [Finding(kind=Kind.MISSING_IN_LEDGER, subject=subject, details=details or {}, **base)]
    if len(entries) > 1:
        return [Finding(kind=Kind.DUPLICATE, subject=subject, ledger_amount=sum(e.amount for e in entries),
                        ledger_currency=entries[0].currency, ledger_entry_id=entries[0].pk,
                        details={**(details or {}), "ledger_entries": sorted(e.pk for e in entries)},
                        **{**base, **_company(entries[0])})]
    entry = entries[0]
    linked = {"ledger_amount": entry.amount, "ledger_currency": entry.currency, "ledger_entry_id": entry.pk,
              "invoice_id": entry.invoice_id, **{**base, **_company(entry)}}
    if entry.currency.upper() != expected_currency.upper():
        return [Finding(kind=Kind.CURRENCY_MISMATCH, subject=subject, details=details or {}, **linked)]
    if entry.amount != expected_amount:
        return [Finding(kind=Kind.AMOUNT_MISMATCH, subject=subject, details=details or {}, **linked)]
    return []


def check_card_activity(*, transactions: Iterable[BalanceTransaction], entries: Iterable, window_start: datetime,
                        companies: dict[str, dict] | None = None) -> list[Finding]:
    """A programme's card payments, their Stripe fees and refunds, against its ledger.

    ``entries`` are the programme's Stripe-sourced charge, fee and refund entries: those
    dated in the window, and any older one booked for a transaction of the window.
    ``companies`` maps a Stripe customer id to the seller, to name the company of a
    payment missing from the ledger.
    """
    companies = companies or {}
    entries = list(entries)
    by_transaction: dict[tuple[str, str], list] = defaultdict(list)
    by_object: dict[tuple[str, str], list] = defaultdict(list)
    for entry in entries:
        if entry.stripe_balance_transaction_id:
            by_transaction[(entry.kind, entry.stripe_balance_transaction_id)].append(entry)
        if entry.stripe_object_id:
            by_object[(entry.kind, entry.stripe_object_id)].append(entry)

    def booked(kind: str, txn: BalanceTransaction, *, by_source: bool = True) -> list:
        found = {e.pk: e for e in by_transaction.get((kind, txn.id), [])}
        if by_source and txn.source_id:
            found.update({e.pk: e for e in by_object.get((kind, txn.source_id), [])})
        return sorted(found.values(), key=lambda e: e.pk)

    findings: list[Finding] = []
    seen_transactions: set[str] = set()
    seen_objects: set[str] = set()
    for txn in transactions:
        seen_transactions.add(txn.id)
        if txn.source_id:
            seen_objects.add(txn.source_id)
        if txn.created < window_start:
            continue
        company = companies.get(txn.customer_id)
        common = {"reference": txn.source_id or txn.id, "occurred_at": txn.created, "source": Source.STRIPE,
                  "company": company, "details": {"balance_transaction": txn.id, "type": txn.type}}
        if txn.is_payment:
            findings += _compare_one(entries=booked(LedgerEntry.Kind.CHARGE, txn), expected_amount=txn.amount,
                                     expected_currency=txn.currency, subject=f"charge:{txn.id}", **common)
            fees = booked(LedgerEntry.Kind.FEE, txn, by_source=False)
            findings += _compare_one(entries=fees, expected_amount=-txn.fee, expected_currency=txn.currency,
                                     subject=f"fee:{txn.id}", missing_ok=txn.fee == 0,
                                     **{**common, "reference": txn.id})
        elif txn.is_refund:
            findings += _compare_one(entries=booked(LedgerEntry.Kind.REFUND, txn), expected_amount=txn.amount,
                                     expected_currency=txn.currency, subject=f"refund:{txn.id}", **common)
    for entry in entries:
        if entry.occurred_at < window_start:
            continue
        if entry.stripe_balance_transaction_id in seen_transactions:
            continue
        if entry.kind != LedgerEntry.Kind.FEE and entry.stripe_object_id and entry.stripe_object_id in seen_objects:
            continue
        findings.append(Finding(
            kind=Kind.MISSING_AT_STRIPE, source=Source.STRIPE, subject=f"entry:{entry.pk}",
            reference=entry.stripe_object_id or entry.stripe_balance_transaction_id or str(entry.pk),
            occurred_at=entry.occurred_at, ledger_amount=entry.amount, ledger_currency=entry.currency,
            ledger_entry_id=entry.pk, invoice_id=entry.invoice_id, details={"kind": entry.kind}, **_company(entry),
        ))
    return findings


def unattributed_activity(*, transactions: Iterable[BalanceTransaction], window_start: datetime) -> list[Finding]:
    """Card payments and refunds at Stripe that no programme booked and no seller can be matched to."""
    return [
        Finding(kind=Kind.MISSING_IN_LEDGER, source=Source.STRIPE, subject=f"{txn.type}:{txn.id}",
                reference=txn.source_id or txn.id, occurred_at=txn.created, source_amount=txn.amount,
                source_currency=txn.currency, details={"balance_transaction": txn.id, "type": txn.type,
                                                       "customer": txn.customer_id})
        for txn in transactions if txn.created >= window_start
    ]


def _references(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def check_invoices(*, invoices: Iterable, entries: Iterable, window_start: datetime) -> list[Finding]:
    """Issued invoices against their ledger entries, and bank transfers against the invoices.

    Every issued invoice has one ``invoice`` entry for its total. An invoice paid by
    transfer has ``payment`` entries adding up to what it records as paid, in its
    currency, one per transfer reference it lists; a transfer booked in the ledger that
    no invoice records, or one reference booked on two invoices, is flagged too.
    """
    entries = list(entries)
    by_invoice: dict[int, list] = defaultdict(list)
    for entry in entries:
        if entry.invoice_id is not None:
            by_invoice[entry.invoice_id].append(entry)
    findings: list[Finding] = []
    for invoice in invoices:
        own = by_invoice.get(invoice.pk, [])
        company = {"company_id": invoice.company_id, "company_name": invoice.company_name}
        when = invoice.issued_at or invoice.created_at
        if when >= window_start:
            findings += _compare_one(
                entries=[e for e in own if e.kind == LedgerEntry.Kind.INVOICE], expected_amount=invoice.gross_amount,
                expected_currency=invoice.currency, subject=f"invoice:{invoice.pk}", reference=invoice.number,
                occurred_at=when, source=Source.INVOICE, company=company, details={"invoice": invoice.number},
            )
        if invoice.payment_method != PaymentMethod.INVOICE:
            continue
        payments = [e for e in own if e.kind == LedgerEntry.Kind.PAYMENT]
        paid_on = invoice.paid_at or (max(e.occurred_at for e in payments) if payments else None) or when
        if paid_on < window_start or (not payments and not invoice.amount_paid):
            continue
        base = {"source": Source.BANK, "reference": invoice.payment_reference or invoice.number, "occurred_at": paid_on,
                "invoice_id": invoice.pk, "source_amount": invoice.amount_paid, "source_currency": invoice.currency,
                **company}
        details = {"invoice": invoice.number, "status": invoice.status,
                   "references": _references(invoice.payment_reference)}
        if not payments:
            findings.append(Finding(kind=Kind.MISSING_IN_LEDGER, subject=f"transfers:{invoice.pk}", details=details,
                                    **base))
            continue
        total = sum(e.amount for e in payments)
        linked = {**base, "ledger_amount": total, "ledger_currency": payments[0].currency,
                  "ledger_entry_id": payments[0].pk}
        foreign = [e for e in payments if e.currency.upper() != invoice.currency.upper()]
        if foreign:
            findings.append(Finding(kind=Kind.CURRENCY_MISMATCH, subject=f"transfers:{invoice.pk}",
                                    details={**details, "ledger_entries": sorted(e.pk for e in foreign)},
                                    **{**linked, "ledger_currency": foreign[0].currency, "ledger_entry_id": foreign[0].pk}))
        elif total != invoice.amount_paid:
            findings.append(Finding(kind=Kind.AMOUNT_MISMATCH, subject=f"transfers:{invoice.pk}",
                                    details={**details, "ledger_entries": sorted(e.pk for e in payments)}, **linked))
        booked_references = {e.bank_reference for e in payments}
        for reference in _references(invoice.payment_reference):
            if reference not in booked_references:
                findings.append(Finding(kind=Kind.MISSING_IN_LEDGER, subject=f"transfer:{invoice.pk}:{reference}",
                                        details=details, **{**base, "reference": reference, "source_amount": None}))
        listed = set(_references(invoice.payment_reference))
        for entry in payments:
            if (entry.bank_reference and entry.bank_reference not in listed) or not invoice.amount_paid:
                findings.append(Finding(
                    kind=Kind.MISSING_ON_INVOICE, source=Source.BANK, subject=f"entry:{entry.pk}",
                    reference=entry.bank_reference or invoice.number, occurred_at=entry.occurred_at,
                    ledger_amount=entry.amount, ledger_currency=entry.currency, ledger_entry_id=entry.pk,
                    invoice_id=invoice.pk, details=details, **company,
                ))
    findings += _transfers_without_invoice(entries, window_start)
    findings += _transfers_booked_twice(entries, window_start)
    return findings


def _transfers_without_invoice(entries: list, window_start: datetime) -> list[Finding]:
    return [
        Finding(kind=Kind.MISSING_ON_INVOICE, source=Source.BANK, subject=f"entry:{entry.pk}",
                reference=entry.bank_reference or str(entry.pk), occurred_at=entry.occurred_at,
                ledger_amount=entry.amount, ledger_currency=entry.currency, ledger_entry_id=entry.pk,
                details={"invoice": None}, **_company(entry))
        for entry in entries
        if entry.kind == LedgerEntry.Kind.PAYMENT and entry.invoice_id is None and entry.occurred_at >= window_start
    ]


def _transfers_booked_twice(entries: list, window_start: datetime) -> list[Finding]:
    by_reference: dict[str, list] = defaultdict(list)
    for entry in entries:
        if entry.kind == LedgerEntry.Kind.PAYMENT and entry.bank_reference:
            by_reference[entry.bank_reference.strip().upper()].append(entry)
    findings = []
    for reference, booked in sorted(by_reference.items()):
        invoices = {e.invoice_id for e in booked}
        latest = max(e.occurred_at for e in booked)
        if len(invoices) < 2 or latest < window_start:
            continue
        findings.append(Finding(
            kind=Kind.DUPLICATE, source=Source.BANK, subject=f"transfer-reference:{reference}", reference=reference,
            occurred_at=latest, ledger_amount=sum(e.amount for e in booked), ledger_currency=booked[0].currency,
            ledger_entry_id=booked[0].pk, details={"ledger_entries": sorted(e.pk for e in booked),
                                                   "invoices": sorted(i for i in invoices if i is not None)},
            **_company(booked[0]),
        ))
    return findings


def check_payouts(*, payouts: Iterable[Payout], entries: Iterable, paid_out: dict[str, list[BalanceTransaction]],
                  window_start: datetime) -> list[Finding]:
    """Stripe's payouts against the ledger's payout entries, and each automatic payout's
    amount against the net of the transactions it paid out (``paid_out`` by payout id)."""
    entries = list(entries)
    by_payout: dict[str, list] = defaultdict(list)
    for entry in entries:
        by_payout[entry.stripe_payout_id or entry.stripe_object_id].append(entry)
    findings: list[Finding] = []
    seen: set[str] = set()
    for payout in payouts:
        seen.add(payout.id)
        if payout.arrival_date < window_start:
            continue
        findings += _compare_one(
            entries=sorted(by_payout.get(payout.id, []), key=lambda e: e.pk), expected_amount=-payout.amount,
            expected_currency=payout.currency, subject=f"payout:{payout.id}", reference=payout.id,
            occurred_at=payout.arrival_date, source=Source.STRIPE, details={"payout": payout.id},
        )
        if payout.id in paid_out:
            transactions = paid_out[payout.id]
            net = sum(txn.net for txn in transactions)
            if net != payout.amount or any(txn.currency != payout.currency for txn in transactions):
                findings.append(Finding(
                    kind=Kind.PAYOUT_MISMATCH, source=Source.STRIPE, subject=f"payout-total:{payout.id}",
                    reference=payout.id, occurred_at=payout.arrival_date, ledger_amount=net,
                    ledger_currency=payout.currency, source_amount=payout.amount, source_currency=payout.currency,
                    details={"payout": payout.id, "transactions": len(transactions),
                             "currencies": sorted({txn.currency for txn in transactions})},
                ))
    for entry in entries:
        reference = entry.stripe_payout_id or entry.stripe_object_id
        if entry.occurred_at < window_start or reference in seen:
            continue
        findings.append(Finding(
            kind=Kind.MISSING_AT_STRIPE, source=Source.STRIPE, subject=f"entry:{entry.pk}",
            reference=reference or str(entry.pk), occurred_at=entry.occurred_at, ledger_amount=entry.amount,
            ledger_currency=entry.currency, ledger_entry_id=entry.pk, details={"kind": entry.kind},
        ))
    return findings
