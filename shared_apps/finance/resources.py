"""Exports for the accounting system (CSV, XLSX) through django-import-export.

Amounts leave as numbers in the currency's major unit (12.50, not 1250) next to their
currency and are never converted. Text that people typed (company names, references,
notes) is neutralised as in the audit export, so a spreadsheet never runs it as a
formula; numbers are left alone, so a refund stays -12.50.
"""

from __future__ import annotations

import tablib
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from shared_apps.audit.resources import EXPORT_FORMATS, FORMULA_PREFIXES
from shared_apps.billing.models import Invoice, LedgerEntry
from shared_apps.finance.models import ReconciliationItem
from shared_apps.finance.money import to_major

__all__ = ["EXPORT_FORMATS", "export", "InvoiceResource", "LedgerEntryResource", "MismatchResource"]


def _when(value):
    return value.isoformat() if value else ""


class LedgerEntryResource(resources.ModelResource):
    occurred_at = fields.Field(attribute="occurred_at", column_name=_("Date"))
    programme = fields.Field(column_name=_("Programme"))
    company_name = fields.Field(attribute="company_name", column_name=_("Company"))
    kind = fields.Field(column_name=_("Kind"))
    source = fields.Field(column_name=_("Source"))
    amount = fields.Field(column_name=_("Amount"))
    currency = fields.Field(attribute="currency", column_name=_("Currency"))
    description = fields.Field(attribute="description", column_name=_("Description"))
    invoice_number = fields.Field(column_name=_("Invoice"))
    stripe_object_id = fields.Field(attribute="stripe_object_id", column_name=_("Stripe object"))
    stripe_balance_transaction_id = fields.Field(attribute="stripe_balance_transaction_id",
                                                 column_name=_("Stripe balance transaction"))
    stripe_payout_id = fields.Field(attribute="stripe_payout_id", column_name=_("Stripe payout"))
    bank_reference = fields.Field(attribute="bank_reference", column_name=_("Bank reference"))
    entry_id = fields.Field(attribute="pk", column_name=_("Entry id"))

    class Meta:
        model = LedgerEntry
        fields = ("occurred_at", "programme", "company_name", "kind", "source", "amount", "currency", "description",
                  "invoice_number", "stripe_object_id", "stripe_balance_transaction_id", "stripe_payout_id",
                  "bank_reference", "entry_id")

    def dehydrate_occurred_at(self, entry):
        return _when(entry.occurred_at)

    def dehydrate_programme(self, entry):
        return entry.tenant.name if entry.tenant_id else str(_("Platform"))

    def dehydrate_kind(self, entry):
        return entry.get_kind_display()

    def dehydrate_source(self, entry):
        return entry.get_source_display()

    def dehydrate_amount(self, entry):
        return to_major(entry.amount, entry.currency)

    def dehydrate_invoice_number(self, entry):
        return entry.invoice.number if entry.invoice_id else ""


class InvoiceResource(resources.ModelResource):
    number = fields.Field(attribute="number", column_name=_("Number"))
    programme = fields.Field(column_name=_("Programme"))
    company_name = fields.Field(attribute="company_name", column_name=_("Company"))
    status = fields.Field(column_name=_("Status"))
    payment_method = fields.Field(column_name=_("Payment method"))
    issued_at = fields.Field(column_name=_("Issued"))
    due_date = fields.Field(column_name=_("Due"))
    currency = fields.Field(attribute="currency", column_name=_("Currency"))
    net = fields.Field(column_name=_("Net"))
    vat_rate = fields.Field(attribute="vat_rate", column_name=_("VAT rate (%)"))
    vat = fields.Field(column_name=_("VAT"))
    gross = fields.Field(column_name=_("Total"))
    paid = fields.Field(column_name=_("Paid"))
    due = fields.Field(column_name=_("Still due"))
    paid_at = fields.Field(column_name=_("Paid on"))
    payment_reference = fields.Field(attribute="payment_reference", column_name=_("Transfer reference"))
    reverse_charge = fields.Field(column_name=_("EU reverse charge"))

    class Meta:
        model = Invoice
        fields = ("number", "programme", "company_name", "status", "payment_method", "issued_at", "due_date",
                  "currency", "net", "vat_rate", "vat", "gross", "paid", "due", "paid_at", "payment_reference",
                  "reverse_charge")

    def dehydrate_programme(self, invoice):
        return invoice.tenant.name

    def dehydrate_status(self, invoice):
        return invoice.get_status_display()

    def dehydrate_payment_method(self, invoice):
        return invoice.get_payment_method_display()

    def dehydrate_issued_at(self, invoice):
        return _when(invoice.issued_at)

    def dehydrate_due_date(self, invoice):
        return _when(invoice.due_date)

    def dehydrate_paid_at(self, invoice):
        return _when(invoice.paid_at)

    def dehydrate_net(self, invoice):
        return to_major(invoice.net_amount, invoice.currency)

    def dehydrate_vat(self, invoice):
        return to_major(invoice.vat_amount, invoice.currency)

    def dehydrate_gross(self, invoice):
        return to_major(invoice.gross_amount, invoice.currency)

    def dehydrate_paid(self, invoice):
        return to_major(invoice.amount_paid, invoice.currency)

    def dehydrate_due(self, invoice):
        return to_major(invoice.amount_due, invoice.currency)

    def dehydrate_reverse_charge(self, invoice):
        return str(_("yes")) if invoice.is_reverse_charge else str(_("no"))


class MismatchResource(resources.ModelResource):
    occurred_at = fields.Field(column_name=_("Date"))
    programme = fields.Field(column_name=_("Programme"))
    kind = fields.Field(column_name=_("Kind"))
    source = fields.Field(column_name=_("Compared with"))
    reference = fields.Field(attribute="reference", column_name=_("Reference"))
    company_name = fields.Field(attribute="company_name", column_name=_("Company"))
    ledger_amount = fields.Field(column_name=_("In the ledger"))
    ledger_currency = fields.Field(attribute="ledger_currency", column_name=_("Ledger currency"))
    source_amount = fields.Field(column_name=_("At the source"))
    source_currency = fields.Field(attribute="source_currency", column_name=_("Source currency"))
    status = fields.Field(column_name=_("Status"))
    first_seen_at = fields.Field(column_name=_("First found"))
    resolved_at = fields.Field(column_name=_("Resolved"))
    resolved_by = fields.Field(column_name=_("Resolved by"))
    resolution_note = fields.Field(attribute="resolution_note", column_name=_("Resolution note"))
    item_id = fields.Field(attribute="pk", column_name=_("Mismatch id"))

    class Meta:
        model = ReconciliationItem
        fields = ("occurred_at", "programme", "kind", "source", "reference", "company_name", "ledger_amount",
                  "ledger_currency", "source_amount", "source_currency", "status", "first_seen_at", "resolved_at",
                  "resolved_by", "resolution_note", "item_id")

    def dehydrate_occurred_at(self, item):
        return _when(item.occurred_at)

    def dehydrate_programme(self, item):
        return item.tenant.name if item.tenant_id else str(_("Platform"))

    def dehydrate_kind(self, item):
        return item.get_kind_display()

    def dehydrate_source(self, item):
        return item.get_source_display()

    def dehydrate_ledger_amount(self, item):
        return to_major(item.ledger_amount, item.ledger_currency or item.source_currency)

    def dehydrate_source_amount(self, item):
        return to_major(item.source_amount, item.source_currency or item.ledger_currency)

    def dehydrate_status(self, item):
        if item.was_cleared:
            return str(_("Cleared"))
        return item.get_status_display()

    def dehydrate_first_seen_at(self, item):
        return _when(item.first_seen_at)

    def dehydrate_resolved_at(self, item):
        return _when(item.resolved_at)

    def dehydrate_resolved_by(self, item):
        return item.resolved_by.email if item.resolved_by_id else ""


RESOURCES = {"ledger": LedgerEntryResource, "invoices": InvoiceResource, "mismatches": MismatchResource}


def neutralise(cell):
    # Text typed by people must not run as a formula in a spreadsheet (CSV injection).
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def export(what: str, queryset, fmt: str) -> bytes:
    dataset = RESOURCES[what]().export(queryset=queryset)
    dataset = tablib.Dataset(*([neutralise(cell) for cell in row] for row in dataset), headers=dataset.headers)
    if fmt == "xlsx":
        return dataset.export("xlsx")
    return dataset.export("csv").encode("utf-8-sig")
