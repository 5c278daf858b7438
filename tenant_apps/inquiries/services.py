"""Writes for inquiries: sending, answering, quoting, moving through the pipeline, routing.

Every function runs inside the programme's schema (a request on its host, or a task's
``schema_context``), takes the acting person, checks they may act, records the step in
the thread's history and in analytics (B-MON), and tells the other side (B-NOTIF).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from platform_core.mail import recipient_language
from platform_core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, validate_upload
from shared_apps.accounts.permissions import can
from shared_apps.audit.services import record
from tenant_apps.analytics.models import Event
from tenant_apps.analytics.services import record_event
from tenant_apps.directory.models import Company, Representative
from tenant_apps.inquiries.models import (
    Attachment,
    HistoryEntry,
    Inquiry,
    Kind,
    Message,
    Quote,
    RoutingRule,
    Side,
    Status,
)
from tenant_apps.inquiries.selectors import buyer_label, person_label, side_of
from tenant_apps.notifications.services import notify

logger = logging.getLogger(__name__)

ATTACHMENT_KINDS = IMAGE_KINDS | DOCUMENT_KINDS
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_MESSAGE = 5
MESSAGE_MAX_LENGTH = 10_000
# A buyer writing to dozens of companies an hour is a script, not a buyer.
MAX_INQUIRIES_PER_HOUR = 20
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "webp": "image/webp",
                 "gif": "image/gif"}

# The pipeline (new → answered → quoted → won / lost / closed). Answering and quoting move
# a thread by themselves; people choose only the outcomes.
TRANSITIONS = {
    Status.NEW: {Status.ANSWERED, Status.QUOTED, Status.LOST, Status.CLOSED},
    Status.ANSWERED: {Status.QUOTED, Status.WON, Status.LOST, Status.CLOSED},
    Status.QUOTED: {Status.WON, Status.LOST, Status.CLOSED},
    Status.WON: {Status.CLOSED},
    Status.LOST: {Status.CLOSED},
    Status.CLOSED: set(),
}
COMPANY_CHOICES = (Status.WON, Status.LOST, Status.CLOSED)
BUYER_CHOICES = (Status.CLOSED,)
QUOTABLE = {Status.NEW, Status.ANSWERED, Status.QUOTED}
NEW_INQUIRY_KINDS = {
    Kind.CONTACT: "inquiries.new_contact",
    Kind.QUESTION: "inquiries.new_question",
    Kind.RFQ: "inquiries.new_rfq",
    Kind.ORDER: "inquiries.new_order",
}


class InquiryError(Exception):
    """A step the rules refuse; ``str()`` is a message for the person who tried."""


class NotAllowed(InquiryError):
    pass


class InvalidTransition(InquiryError):
    pass


class ThreadClosed(InquiryError):
    pass


# Who is who


def _require_side(user, inquiry: Inquiry, *sides: str) -> str:
    side = side_of(user, inquiry)
    if side is None or side not in sides:
        raise NotAllowed(_("You may not do this on this inquiry."))
    return side


def _owner_of(user, company: Company) -> Representative:
    rep = Representative.objects.filter(company=company, user=user).first() if user.is_authenticated else None
    if rep is None or not rep.is_owner or not can(user, "inquiries.answer"):
        raise NotAllowed(_("Only the owner of the company's profile may do this."))
    return rep


# Sending


def validate_attachments(uploads: Iterable) -> list:
    """Check every file as every upload is checked (size, type from the bytes, readability, antivirus)."""
    from tenant_apps.verification.services import scan_for_malware

    uploads = [upload for upload in uploads if upload]
    if len(uploads) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise ValidationError({"attachments": [
            _("Attach at most %(count)s files to one message.") % {"count": MAX_ATTACHMENTS_PER_MESSAGE}]})
    problems = []
    for upload in uploads:
        try:
            validate_upload(upload, kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)
            scan_for_malware(upload)
        except ValidationError as error:
            problems.extend(f"{_file_name(upload)}: {message}" for message in error.messages)
    if problems:
        raise ValidationError({"attachments": problems})
    return uploads


def _file_name(upload) -> str:
    return (getattr(upload, "name", "") or _("file"))[-120:]


def _clean_text(value: str, *, field: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("Write your message.")]})
    if len(value) > MESSAGE_MAX_LENGTH:
        raise ValidationError({field: [_("Keep the message under %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH}]})
    return value


def _check_trade_terms(kind: str, values: dict) -> dict:
    """The quantities and terms an RFQ or order needs; other kinds carry none."""
    empty = {"quantity": None, "unit": "", "target_price": None, "currency": "", "incoterm": "",
             "destination_country": "", "deadline": None}
    if kind not in (Kind.RFQ, Kind.ORDER):
        return empty
    terms = {name: empty[name] if values.get(name) in (None, "") else values[name] for name in empty}
    errors: dict[str, list] = {}
    terms["quantity"] = _decimal(terms["quantity"], "0.001")
    terms["target_price"] = _decimal(terms["target_price"], "0.01")
    if terms["quantity"] is None:
        errors["quantity"] = [_("Give the quantity you need.")]
    elif terms["quantity"] <= 0:
        errors["quantity"] = [_("The quantity must be more than zero.")]
    if not terms["unit"]:
        errors["unit"] = [_("Choose the unit of the quantity.")]
    if not terms["destination_country"]:
        errors["destination_country"] = [_("Choose the country the goods go to.")]
    if kind == Kind.RFQ and not terms["incoterm"]:
        errors["incoterm"] = [_("Choose the Incoterm you want the price quoted in.")]
    if terms["target_price"] is None:
        terms["currency"] = ""  # a currency alone says nothing
    else:
        if terms["target_price"] <= 0:
            errors["target_price"] = [_("The target price must be more than zero.")]
        if not terms["currency"]:
            errors["currency"] = [_("Choose the currency of the target price.")]
    if terms["deadline"] is not None and terms["deadline"] < timezone.localdate():
        errors["deadline"] = [_("This date is in the past.")]
    if errors:
        raise ValidationError(errors)
    return terms


@transaction.atomic
def create_inquiry(*, buyer, company: Company, kind: str, subject: str, body: str, buyer_country: str,
                   product=None, buyer_organisation: str = "", attachments: Iterable = (), request=None,
                   **trade_terms) -> Inquiry:
    """Open a thread from ``buyer`` to ``company``: routed to a representative, notified, recorded.

    ``trade_terms`` are the RFQ and order fields (quantity, unit, target_price, currency,
    incoterm, destination_country, deadline); they are required by kind and dropped for
    contacts and questions. Raises ``ValidationError`` (by field) or ``InquiryError``.
    """
    if not can(buyer, "inquiries.send"):
        raise NotAllowed(_("You may not send inquiries in this programme."))
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Choose what you are sending.")]})
    if company.visibility == Company.Visibility.HIDDEN:
        raise NotAllowed(_("This company does not receive inquiries."))
    representatives = list(company.representatives.select_related("user").order_by("-is_owner", "created_at"))
    if not any(rep.user.is_active for rep in representatives):
        raise NotAllowed(_("This company has nobody to answer inquiries yet. Use its contact details instead."))
    if any(rep.user_id == buyer.pk for rep in representatives):
        raise NotAllowed(_("You represent this company: you cannot send it an inquiry."))
    if product is not None and (product.company_id != company.pk or not product.is_published):
        raise ValidationError({"product": [_("Choose one of this company's products.")]})
    if kind == Kind.QUESTION and product is None:
        raise ValidationError({"product": [_("Choose the product your question is about.")]})
    subject = " ".join((subject or "").split())[:200]
    if not subject:
        raise ValidationError({"subject": [_("Give your inquiry a subject.")]})
    if not buyer_country:
        raise ValidationError({"buyer_country": [_("Choose your country.")]})
    body = _clean_text(body, field="body")
    terms = _check_trade_terms(kind, trade_terms)
    uploads = validate_attachments(attachments)
    since = timezone.now() - timedelta(hours=1)
    if Inquiry.objects.filter(buyer=buyer, created_at__gte=since).count() >= MAX_INQUIRIES_PER_HOUR:
        raise NotAllowed(_("You have sent many inquiries in the last hour. Please wait a little before sending more."))

    now = timezone.now()
    inquiry = Inquiry(
        company=company, product=product, buyer=buyer, buyer_organisation=(buyer_organisation or "").strip()[:200],
        buyer_country=buyer_country, kind=kind, subject=subject, last_side=Side.BUYER, created_at=now,
        last_activity_at=now,
        **terms,
    )
    assignee, rule = route(inquiry, representatives=representatives)
    inquiry.assignee, inquiry.routing_rule = assignee, rule
    inquiry.full_clean(exclude=["company", "product", "buyer", "assignee", "routing_rule"])
    inquiry.save()
    message = Message.objects.create(inquiry=inquiry, author_id=buyer.pk, side=Side.BUYER, body=body)
    _store_attachments(message, uploads)
    HistoryEntry.objects.create(inquiry=inquiry, actor_id=buyer.pk, side=Side.BUYER, action=HistoryEntry.Action.CREATED,
                                to_status=Status.NEW)
    if assignee is not None:
        HistoryEntry.objects.create(inquiry=inquiry, side=Side.COMPANY, action=HistoryEntry.Action.ASSIGNED,
                                    detail=person_label(assignee.user)[:200])
    record_event(Event.Kind.INQUIRY, request=request, user=buyer, company_id=company.pk, product_id=_id(product),
                 inquiry_id=inquiry.pk, metadata={"kind": kind, "buyer_country": str(buyer_country)})
    # Routed by a rule: the chosen representative hears of it. Otherwise everyone who speaks for the company.
    recipients = [assignee.user] if rule is not None else [rep.user for rep in representatives]
    _tell(recipients, inquiry, kind=NEW_INQUIRY_KINDS[kind], title=lambda: _new_inquiry_title(inquiry),
          body=lambda: _new_inquiry_body(inquiry, body))
    return inquiry


def route(inquiry: Inquiry, *, representatives=None) -> tuple[Representative | None, RoutingRule | None]:
    """The representative an inquiry goes to, and the rule that chose them (None: the owner, by default).

    A rule for the product wins over one for a vertical of the product, which wins over
    one for the buyer's country; rules pointing at someone whose account is inactive are skipped.
    """
    rules = list(RoutingRule.objects.filter(company_id=inquiry.company_id).select_related("representative__user"))
    vertical_ids = set(inquiry.product.verticals.values_list("pk", flat=True)) if inquiry.product_id else set()
    matches = (
        [rule for rule in rules if inquiry.product_id and rule.product_id == inquiry.product_id],
        [rule for rule in rules if rule.vertical_id in vertical_ids],
        [rule for rule in rules if rule.country and rule.country == inquiry.buyer_country],
    )
    for candidates in matches:
        for rule in candidates:
            if rule.representative.user.is_active:
                return rule.representative, rule
    if representatives is None:
        representatives = list(Representative.objects.filter(company_id=inquiry.company_id).select_related("user"))
    owner = next((rep for rep in representatives if rep.is_owner and rep.user.is_active), None)
    return owner, None


# Answering


@transaction.atomic
def post_message(*, author, inquiry: Inquiry, body: str, attachments: Iterable = (), request=None) -> Message:
    """Add a message to the thread; the company's first one answers the inquiry (new → answered)."""
    side = _require_side(author, inquiry, Side.BUYER, Side.COMPANY)
    inquiry = _locked(inquiry)
    if inquiry.is_closed:
        raise ThreadClosed(_("This inquiry is closed: no more messages can be added."))
    body = _clean_text(body, field="body")
    uploads = validate_attachments(attachments)
    message = Message.objects.create(inquiry=inquiry, author_id=author.pk, side=side, body=body)
    _store_attachments(message, uploads)
    HistoryEntry.objects.create(inquiry=inquiry, actor_id=author.pk, side=side, action=HistoryEntry.Action.MESSAGE)
    response_seconds = _first_response(inquiry) if side == Side.COMPANY else None
    inquiry.last_side, inquiry.last_activity_at = side, timezone.now()
    inquiry.save(update_fields=["last_side", "last_activity_at", "first_response_at", "response_seconds"])
    record_event(Event.Kind.MESSAGE, request=request, user=author, company_id=inquiry.company_id,
                 product_id=inquiry.product_id, inquiry_id=inquiry.pk, value=response_seconds,
                 metadata={"side": side, "attachments": len(uploads)})
    if side == Side.COMPANY and inquiry.status == Status.NEW:
        _move(inquiry, Status.ANSWERED, actor=author, side=side, request=request)
    name = person_label(author)
    _tell(_other_side(inquiry, side), inquiry, kind="inquiries.new_message",
          title=lambda: _("New message from %(name)s: %(subject)s") % {"name": name, "subject": inquiry.subject},
          body=lambda: Truncator(body).chars(500))
    return message


@transaction.atomic
def send_quote(*, author, inquiry: Inquiry, amount, currency: str, valid_until, terms: str = "", request=None) -> Quote:
    """The company offers a price; the thread becomes ``quoted`` and the buyer is told."""
    _require_side(author, inquiry, Side.COMPANY)
    inquiry = _locked(inquiry)
    if inquiry.status not in QUOTABLE:
        raise InvalidTransition(_("A quotation can only be sent while the inquiry is open (new, answered or quoted)."))
    errors = {}
    amount = _decimal(amount, "0.01")
    if amount is None or amount <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    if not currency:
        errors["currency"] = [_("Choose the currency.")]
    if valid_until is None:
        errors["valid_until"] = [_("Say until when the price holds.")]
    elif valid_until < timezone.localdate():
        errors["valid_until"] = [_("This date is in the past.")]
    if errors:
        raise ValidationError(errors)
    terms = _clean_text(terms, field="terms", required=False)
    quote = Quote(inquiry=inquiry, sent_by_id=author.pk, amount=amount, currency=currency, valid_until=valid_until,
                  terms=terms)
    quote.full_clean(exclude=["inquiry"])
    quote.save()
    HistoryEntry.objects.create(inquiry=inquiry, actor_id=author.pk, side=Side.COMPANY, action=HistoryEntry.Action.QUOTE,
                                detail=f"{quote.amount} {quote.currency}")
    response_seconds = _first_response(inquiry)
    inquiry.last_side, inquiry.last_activity_at = Side.COMPANY, timezone.now()
    inquiry.save(update_fields=["last_side", "last_activity_at", "first_response_at", "response_seconds"])
    record_event(Event.Kind.QUOTE, request=request, user=author, company_id=inquiry.company_id,
                 product_id=inquiry.product_id, inquiry_id=inquiry.pk, value=response_seconds,
                 metadata={"amount": str(quote.amount), "currency": currency, "valid_until": valid_until.isoformat()})
    if inquiry.status != Status.QUOTED:
        _move(inquiry, Status.QUOTED, actor=author, side=Side.COMPANY, request=request)
    company_name = inquiry.company.name
    _tell(_other_side(inquiry, Side.COMPANY), inquiry, kind="inquiries.quote_received",
          title=lambda: _("%(company)s sent you a quotation: %(subject)s") % {"company": company_name,
                                                                               "subject": inquiry.subject},
          body=lambda: _quote_body(quote))
    return quote


def status_choices(inquiry: Inquiry, side: str | None) -> list[str]:
    """The statuses this side may move the thread to now (what the status form offers)."""
    choices = COMPANY_CHOICES if side == Side.COMPANY else BUYER_CHOICES if side == Side.BUYER else ()
    return [status for status in choices if status in TRANSITIONS[Status(inquiry.status)]
            and not (status == Status.WON and inquiry.first_response_at is None)]


def check_transition(current: str, target: str, *, side: str, inquiry: Inquiry | None = None) -> None:
    """Raise ``InvalidTransition`` with a message saying why ``current`` may not become ``target``."""
    current, labels = Status(current), dict(Status.choices)
    if target not in Status.values:
        raise InvalidTransition(_("Choose a status from the list."))
    if target == current:
        raise InvalidTransition(_("This inquiry is already “%(status)s”.") % {"status": labels[current]})
    if current == Status.CLOSED:
        raise InvalidTransition(_("This inquiry is closed: its status can no longer change."))
    if side == Side.BUYER and target != Status.CLOSED:
        raise InvalidTransition(_("As the buyer, you can close your inquiry; the company records the outcome."))
    if side == Side.COMPANY and target not in COMPANY_CHOICES:
        raise InvalidTransition(_("An inquiry becomes “answered” when you reply and “quoted” when you send a "
                                  "quotation."))
    if current in (Status.WON, Status.LOST) and target != Status.CLOSED:
        raise InvalidTransition(_("A won or lost inquiry can only be closed."))
    if target == Status.WON and inquiry is not None and inquiry.first_response_at is None:
        raise InvalidTransition(_("Answer the buyer before marking the inquiry as won."))
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(_("An inquiry with the status “%(current)s” cannot move to “%(target)s”.")
                                % {"current": labels[current], "target": labels[Status(target)]})


@transaction.atomic
def change_status(*, actor, inquiry: Inquiry, status: str, request=None) -> Inquiry:
    """The company records the outcome (won, lost, closed); the buyer may close their own inquiry."""
    side = _require_side(actor, inquiry, Side.BUYER, Side.COMPANY)
    inquiry = _locked(inquiry)
    check_transition(inquiry.status, status, side=side, inquiry=inquiry)
    previous = inquiry.status
    _move(inquiry, status, actor=actor, side=side, request=request)
    inquiry.last_activity_at = timezone.now()
    inquiry.save(update_fields=["last_activity_at"])
    name, labels = person_label(actor), dict(Status.choices)
    _tell(_other_side(inquiry, side), inquiry, kind="inquiries.status_changed",
          title=lambda: _("%(subject)s: now “%(status)s”") % {"subject": inquiry.subject, "status": labels[status]},
          body=lambda: _("%(name)s moved the inquiry from “%(from)s” to “%(to)s”.")
          % {"name": name, "from": labels[previous], "to": labels[status]})
    return inquiry


@transaction.atomic
def assign(*, actor, inquiry: Inquiry, representative: Representative) -> Inquiry:
    """The company's owner hands the inquiry to one of its representatives, who is told."""
    _owner_of(actor, inquiry.company)
    if representative.company_id != inquiry.company_id:
        raise NotAllowed(_("Choose one of this company's representatives."))
    inquiry = _locked(inquiry)
    if inquiry.assignee_id == representative.pk:
        return inquiry
    before = inquiry.assignee_id
    inquiry.assignee = representative
    inquiry.save(update_fields=["assignee"])
    HistoryEntry.objects.create(inquiry=inquiry, actor_id=actor.pk, side=Side.COMPANY,
                                action=HistoryEntry.Action.ASSIGNED, detail=person_label(representative.user)[:200])
    record(action="inquiries.reassigned", tenant=_tenant(), actor=actor, target=inquiry,
           before={"assignee": before}, after={"assignee": representative.pk})
    if representative.user_id != actor.pk:
        _tell([representative.user], inquiry, kind="inquiries.assigned",
              title=lambda: _("An inquiry was assigned to you: %(subject)s") % {"subject": inquiry.subject},
              body=lambda: Truncator(_new_inquiry_title(inquiry)).chars(500))
    return inquiry


# Routing rules


@transaction.atomic
def add_routing_rule(*, actor, company: Company, representative: Representative, product=None, vertical=None,
                     country: str = "") -> RoutingRule:
    """The owner sends a product's, a vertical's or a country's inquiries to one representative."""
    _owner_of(actor, company)
    if representative.company_id != company.pk:
        raise ValidationError({"representative": [_("Choose one of this company's representatives.")]})
    criteria = [value for value in (product, vertical, country) if value]
    if len(criteria) != 1:
        raise ValidationError(_("Choose one criterion: a product, a vertical or a country."))
    if product is not None and product.company_id != company.pk:
        raise ValidationError({"product": [_("Choose one of this company's products.")]})
    existing = RoutingRule.objects.filter(company=company, product=product, vertical=vertical, country=country or "")
    clash = existing.select_related("representative__user").first()
    if clash is not None:
        raise ValidationError(_("A rule already sends these inquiries to %(name)s. Remove it first.")
                              % {"name": person_label(clash.representative.user)})
    rule = RoutingRule.objects.create(company=company, representative=representative, product=product,
                                      vertical=vertical, country=country or "")
    record(action="inquiries.routing_rule_added", tenant=_tenant(), actor=actor, target=company,
           after={"rule": rule.pk, "representative": representative.pk, "product": _id(product),
                  "vertical": _id(vertical), "country": country or ""})
    return rule


@transaction.atomic
def remove_routing_rule(*, actor, rule: RoutingRule) -> None:
    _owner_of(actor, rule.company)
    record(action="inquiries.routing_rule_removed", tenant=_tenant(), actor=actor, target=rule.company,
           before={"rule": rule.pk, "representative": rule.representative_id})
    rule.delete()


# Contact details


def record_contact_reveal(*, user, company: Company, product=None, request=None) -> None:
    """A buyer asked to see a company's e-mail and phone: the company's monitoring counts it (B-MON)."""
    record_event(Event.Kind.CONTACT_REVEAL, request=request, user=user, company_id=company.pk,
                 product_id=_id(product))


# Helpers


def _locked(inquiry: Inquiry) -> Inquiry:
    locked = (Inquiry.objects.select_for_update(of=("self",))
              .select_related("company", "product", "buyer", "assignee__user").get(pk=inquiry.pk))
    return locked


def _first_response(inquiry: Inquiry) -> int | None:
    """Mark the company's first answer; return the seconds it took (None when already answered)."""
    if inquiry.first_response_at is not None:
        return None
    inquiry.first_response_at = timezone.now()
    inquiry.response_seconds = max(0, int((inquiry.first_response_at - inquiry.created_at).total_seconds()))
    return inquiry.response_seconds


def _move(inquiry: Inquiry, status: str, *, actor, side: str, request=None) -> None:
    previous = inquiry.status
    inquiry.status = status
    inquiry.save(update_fields=["status"])
    HistoryEntry.objects.create(inquiry=inquiry, actor_id=actor.pk, side=side, action=HistoryEntry.Action.STATUS,
                                from_status=previous, to_status=status)
    record_event(Event.Kind.STATUS_CHANGE, request=request, user=actor, company_id=inquiry.company_id,
                 product_id=inquiry.product_id, inquiry_id=inquiry.pk,
                 metadata={"from": previous, "to": status, "side": side})


def _store_attachments(message: Message, uploads: list) -> None:
    from platform_core.uploads import detect_kind

    for upload in uploads:
        upload.seek(0)
        kind = detect_kind(upload.read(8192))
        upload.seek(0)
        attachment = Attachment(message=message, original_name=_file_name(upload)[-200:],
                                content_type=CONTENT_TYPES.get(kind, "application/octet-stream"), size=upload.size)
        attachment.file.save(upload.name or "attachment", upload, save=False)
        attachment.save()


def _other_side(inquiry: Inquiry, side: str) -> list:
    """Who hears of a step: the buyer, or on the company's side its assignee (everyone when unassigned)."""
    if side == Side.COMPANY:
        return [inquiry.buyer] if inquiry.buyer is not None else []
    if inquiry.assignee is not None and inquiry.assignee.user.is_active:
        return [inquiry.assignee.user]
    return [rep.user for rep in Representative.objects.filter(company_id=inquiry.company_id).select_related("user")]


def _tell(users, inquiry: Inquiry, *, kind: str, title, body) -> None:
    """Notify each person in their own language; ``title`` and ``body`` are called under it."""
    tenant = _tenant()
    url = reverse("inquiries:inquiry-detail", args=[inquiry.pk])
    seen = set()
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        with translation.override(recipient_language(user, tenant)):
            notify(recipient=user, kind=kind, title=str(title()), body=str(body()), url=url)


def _new_inquiry_title(inquiry: Inquiry) -> str:
    values = {"buyer": buyer_label(inquiry), "subject": inquiry.subject,
              "product": inquiry.product.title if inquiry.product_id else ""}
    if inquiry.kind == Kind.RFQ:
        return _("Request for quotation from %(buyer)s: %(subject)s") % values
    if inquiry.kind == Kind.ORDER:
        return _("Order request from %(buyer)s: %(subject)s") % values
    if inquiry.kind == Kind.QUESTION:
        return _("Question from %(buyer)s about %(product)s: %(subject)s") % values
    return _("New contact from %(buyer)s: %(subject)s") % values


def _new_inquiry_body(inquiry: Inquiry, body: str) -> str:
    lines = []
    if inquiry.product_id:
        lines.append(_("Product: %(product)s") % {"product": inquiry.product.title})
    if inquiry.has_trade_terms:
        lines.append(_("Quantity: %(quantity)s %(unit)s") % {"quantity": _number(inquiry.quantity),
                                                             "unit": inquiry.get_unit_display()})
        if inquiry.target_price is not None:
            lines.append(_("Target price: %(price)s %(currency)s") % {"price": inquiry.target_price,
                                                                      "currency": inquiry.currency})
        if inquiry.incoterm:
            lines.append(_("Incoterm: %(incoterm)s") % {"incoterm": inquiry.get_incoterm_display()})
        lines.append(_("Destination: %(country)s") % {"country": inquiry.destination_country.name})
        if inquiry.deadline:
            from django.utils.formats import date_format

            lines.append(_("Answer wanted by: %(date)s") % {"date": date_format(inquiry.deadline, "DATE_FORMAT")})
    lines.extend(["", Truncator(body).chars(500)])
    return "\n".join(lines).strip()


def _quote_body(quote: Quote) -> str:
    from django.utils.formats import date_format

    lines = [_("Amount: %(amount)s %(currency)s") % {"amount": quote.amount, "currency": quote.currency},
             _("Valid until: %(date)s") % {"date": date_format(quote.valid_until, "DATE_FORMAT")}]
    if quote.terms:
        lines.extend(["", Truncator(quote.terms).chars(400)])
    return "\n".join(lines)


def _decimal(value, places: str) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal(places)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None


def _number(value) -> str:
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


def _id(obj) -> int | None:
    return obj.pk if obj is not None else None


def _tenant():
    from tenants.models import Tenant

    tenant = getattr(connection, "tenant", None)
    if not isinstance(tenant, Tenant):
        tenant = Tenant.objects.get(schema_name=connection.schema_name)
    return tenant
