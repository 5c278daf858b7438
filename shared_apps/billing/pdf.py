"""The invoice as a PDF, drawn from the invoice's frozen snapshot (fpdf2)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from shared_apps.billing.models import Invoice, InvoiceLine, InvoiceStatus


def _text(value) -> str:
    # The built-in PDF fonts cover Latin-1: enough for French and English; others degrade to "?".
    return str(value or "").replace("\u2019", "'").replace("\u202f", " ").replace("\u00a0", " ").encode(
        "latin-1", "replace").decode("latin-1")


def _amount(cents: int, currency: str) -> str:
    whole = f"{Decimal(cents) / 100:,.2f}".replace(",", " ")
    if (translation.get_language() or "").startswith("fr"):
        whole = whole.replace(".", ",")
    return f"{whole} {currency}"


def render_invoice(invoice: Invoice, *, language: str) -> bytes:
    with translation.override(language):
        pdf = FPDF(format="A4")
        pdf.set_title(_text(_("Invoice %(number)s") % {"number": invoice.number}))
        pdf.set_author(_text(invoice.issuer.get("name")))
        pdf.set_lang(language)
        pdf.add_page()
        pdf.set_auto_page_break(auto=True, margin=20)
        width = pdf.epw
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(width, 10, _text(_("Invoice %(number)s") % {"number": invoice.number}), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        issued = timezone.localtime(invoice.issued_at).date().isoformat() if invoice.issued_at else ""
        pdf.multi_cell(width, 5, _text(_("Issued on %(date)s") % {"date": issued}), new_x="LMARGIN", new_y="NEXT")
        if invoice.due_date:
            pdf.multi_cell(width, 5, _text(_("Due on %(date)s") % {"date": invoice.due_date.isoformat()}),
                           new_x="LMARGIN", new_y="NEXT")
        if invoice.status == InvoiceStatus.PAID and invoice.paid_at:
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(width, 5, _text(_("Paid on %(date)s") % {"date": timezone.localtime(invoice.paid_at).date().isoformat()}),
                           new_x="LMARGIN", new_y="NEXT")
        if invoice.status == InvoiceStatus.VOID:
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(width, 5, _text(_("Void")), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        issuer, customer = invoice.issuer, invoice.customer
        top = pdf.get_y()
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(width / 2 - 4, 5, _text(_("From")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        lines = [issuer.get("name"), issuer.get("address"),
                 _("VAT number: %(number)s") % {"number": issuer["vat_number"]} if issuer.get("vat_number") else "",
                 _("Registration: %(number)s") % {"number": issuer["registration"]} if issuer.get("registration") else ""]
        pdf.multi_cell(width / 2 - 4, 5, _text("\n".join(line for line in lines if line)), new_x="LMARGIN", new_y="NEXT")
        left_bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + width / 2, top)
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(width / 2, 5, _text(_("Bill to")), new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        lines = [customer.get("name"), customer.get("address"), customer.get("country"),
                 _("VAT number: %(number)s") % {"number": customer["vat_number"]} if customer.get("vat_number") else ""]
        pdf.multi_cell(width / 2, 5, _text("\n".join(line for line in lines if line)), new_x="LEFT", new_y="NEXT")
        pdf.set_xy(pdf.l_margin, max(left_bottom, pdf.get_y()) + 6)

        pdf.set_font("Helvetica", "B", 10)
        columns = (width * 0.62, width * 0.1, width * 0.28)
        for label, column_width, align in ((_("Description"), columns[0], "L"), (_("Qty"), columns[1], "R"),
                                           (_("Amount"), columns[2], "R")):
            pdf.cell(column_width, 7, _text(label), border="B", align=align)
        pdf.ln()
        pdf.set_font("Helvetica", "", 10)
        for line in InvoiceLine.objects.for_tenant(invoice.tenant_id).filter(invoice=invoice):
            y = pdf.get_y()
            pdf.multi_cell(columns[0], 6, _text(line.description), new_x="RIGHT", new_y="TOP")
            height = max(pdf.get_y() - y, 6)
            pdf.set_xy(pdf.l_margin + columns[0], y)
            pdf.cell(columns[1], 6, str(line.quantity), align="R")
            pdf.cell(columns[2], 6, _text(_amount(line.net_amount, invoice.currency)), align="R")
            pdf.set_xy(pdf.l_margin, y + height)
        pdf.ln(3)
        totals = [(_("Total before VAT"), invoice.net_amount)]
        if invoice.is_reverse_charge:
            totals.append((_("VAT: reverse charge"), 0))
        else:
            totals.append((_("VAT at %(rate)s%%") % {"rate": invoice.vat_rate.normalize()}, invoice.vat_amount))
        totals.append((_("Total"), invoice.gross_amount))
        for position, (label, cents) in enumerate(totals):
            pdf.set_font("Helvetica", "B" if position == len(totals) - 1 else "", 10)
            pdf.cell(columns[0] + columns[1], 6, _text(label), align="R")
            pdf.cell(columns[2], 6, _text(_amount(cents, invoice.currency)), align="R", new_x="LMARGIN", new_y="NEXT")
        if invoice.is_reverse_charge:
            pdf.ln(2)
            pdf.set_font("Helvetica", "I", 9)
            pdf.multi_cell(width, 5, _text(_("VAT reverse charge: article 196 of Council Directive 2006/112/EC.")),
                           new_x="LMARGIN", new_y="NEXT")
        if invoice.bank_reference and invoice.status not in (InvoiceStatus.PAID, InvoiceStatus.VOID):
            pdf.ln(4)
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(width, 5, _text(_("Pay by bank transfer")), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
            lines = [
                _("Account holder: %(name)s") % {"name": issuer.get("bank_account_holder", "")},
                _("Bank: %(name)s") % {"name": issuer["bank_name"]} if issuer.get("bank_name") else "",
                _("IBAN: %(iban)s") % {"iban": issuer.get("iban", "")},
                _("BIC: %(bic)s") % {"bic": issuer["bic"]} if issuer.get("bic") else "",
                _("Reference to give with the transfer: %(reference)s") % {"reference": invoice.bank_reference},
            ]
            pdf.multi_cell(width, 5, _text("\n".join(line for line in lines if line)), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
