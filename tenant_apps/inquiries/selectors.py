"""Reads for inquiries: inboxes, a thread as each side sees it, routing rules, statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, FloatField, Prefetch, Q, QuerySet
from django.db.models.aggregates import Aggregate
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.permissions import can
from tenant_apps.directory.models import Company, Representative
from tenant_apps.inquiries.models import Attachment, HistoryEntry, Inquiry, Message, Quote, RoutingRule, Side, Status

UNASSIGNED = "none"
MINE = "me"


# Links to the other modules' pages


def product_url(product) -> str:
    """The catalogue's public page of ``product``; "" for an inquiry about no product."""
    return product.get_absolute_url() if product is not None else ""


def company_url(company) -> str:
    return reverse("directory:company-detail", args=[company.pk]) if company is not None else ""


# Who speaks for which company


def representation_of(user) -> Representative | None:
    """The user's representative row (a person represents one company at most)."""
    if user is None or not user.is_authenticated:
        return None
    return Representative.objects.filter(user=user).select_related("company").first()


def representatives_of(company: Company) -> list[Representative]:
    return list(company.representatives.select_related("user").order_by("-is_owner", "user__full_name"))


# A thread


def side_of(user, inquiry: Inquiry) -> str | None:
    """``buyer`` or ``company`` when ``user`` takes part in the thread, else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if inquiry.buyer_id == user.pk and can(user, "inquiries.send"):
        return Side.BUYER
    if can(user, "inquiries.answer") and Representative.objects.filter(company_id=inquiry.company_id, user=user).exists():
        return Side.COMPANY
    return None


def person_label(user) -> str:
    if user is None:
        return _("a former member")
    return user.full_name or user.email


def buyer_label(inquiry: Inquiry) -> str:
    """The buyer as the company sees them: name, organisation, country."""
    name = person_label(inquiry.buyer) if inquiry.buyer_id else _("Erased account")
    details = ", ".join(part for part in (inquiry.buyer_organisation, inquiry.buyer_country.name) if part)
    return f"{name} ({details})" if details else name


def inquiry_for(user, pk) -> tuple[Inquiry, str]:
    """The inquiry and the viewer's side; 404 for anyone who does not take part, as for a missing one."""
    inquiry = (Inquiry.objects.select_related("company", "product", "buyer", "assignee__user")
               .filter(pk=pk).first())
    side = side_of(user, inquiry) if inquiry is not None else None
    if side is None:
        raise Http404
    return inquiry, side


@dataclass
class TimelineItem:
    """A message or a quote, in the order they happened, with its author's name."""

    kind: str
    item: Message | Quote
    side: str
    author: str
    created_at: datetime
    is_latest_quote: bool = False


def timeline(inquiry: Inquiry) -> list[TimelineItem]:
    messages = list(inquiry.messages.prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))))
    quotes = list(inquiry.quotes.all())
    names = people_names({m.author_id for m in messages} | {q.sent_by_id for q in quotes})
    items = [TimelineItem("message", m, m.side, names.get(m.author_id, ""), m.created_at) for m in messages]
    items += [TimelineItem("quote", q, "company", names.get(q.sent_by_id, ""), q.created_at) for q in quotes]
    items.sort(key=lambda entry: (entry.created_at, entry.kind != "message"))
    quote_items = [entry for entry in items if entry.kind == "quote"]
    if quote_items:
        quote_items[-1].is_latest_quote = True
    return items


@dataclass
class HistoryLine:
    entry: HistoryEntry
    actor: str


def history(inquiry: Inquiry, side: str = Side.COMPANY) -> list[HistoryLine]:
    """The thread's history, oldest first; who handles it inside the company is the company's business."""
    entries = inquiry.history.all()
    if side != Side.COMPANY:
        entries = entries.exclude(action=HistoryEntry.Action.ASSIGNED)
    entries = list(entries)
    names = people_names({entry.actor_id for entry in entries})
    return [HistoryLine(entry, names.get(entry.actor_id, "")) for entry in entries]


def people_names(ids) -> dict[int, str]:
    """Display names of people by id in one query; erased or deleted people get none."""
    ids = {pk for pk in ids if pk}
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids).only("pk", "full_name", "email", "is_active")
    return {user.pk: (user.full_name or user.email) for user in users if user.is_active}


def attachment_for(user, pk) -> Attachment:
    """An attachment of a thread the user takes part in; 404 otherwise."""
    attachment = Attachment.objects.select_related("message__inquiry").filter(pk=pk).first()
    if attachment is None or side_of(user, attachment.message.inquiry) is None:
        raise Http404
    return attachment


# Inboxes


def buyer_inbox(user) -> QuerySet[Inquiry]:
    """The buyer's own inquiries, the most recently active first."""
    return (Inquiry.objects.filter(buyer=user).select_related("company", "product")
            .order_by("-last_activity_at", "-pk"))


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    product_id: int | None = None
    assignee: str = ""  # "", MINE, UNASSIGNED or a representative's id


def company_inbox(company: Company, *, filters: InboxFilters = InboxFilters(), viewer: Representative | None = None):
    """The company's inquiries, filtered, the most recently active first."""
    inquiries = Inquiry.objects.filter(company=company)
    if filters.status:
        inquiries = inquiries.filter(status=filters.status)
    if filters.product_id:
        inquiries = inquiries.filter(product_id=filters.product_id)
    if filters.assignee == MINE and viewer is not None:
        inquiries = inquiries.filter(assignee=viewer)
    elif filters.assignee == UNASSIGNED:
        inquiries = inquiries.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        inquiries = inquiries.filter(assignee_id=int(filters.assignee))
    return inquiries.select_related("product", "buyer", "assignee__user").order_by("-last_activity_at", "-pk")


def waiting_count(*, company: Company) -> int:
    """Open threads where the buyer spoke last."""
    return (Inquiry.objects.filter(company=company, last_side=Side.BUYER)
            .exclude(status=Status.CLOSED).count())


def answered_count(*, buyer) -> int:
    """The buyer's open threads where the company spoke last."""
    return Inquiry.objects.filter(buyer=buyer, last_side=Side.COMPANY).exclude(status=Status.CLOSED).count()


def status_counts(company: Company) -> dict[str, int]:
    counts = dict(Inquiry.objects.filter(company=company).values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in Status.values}


def products_with_inquiries(company: Company):
    from tenant_apps.catalogue.models import Product

    return Product.objects.filter(company=company, inquiries__isnull=False).distinct().order_by("title")


def published_products(company: Company):
    from tenant_apps.catalogue.models import Product

    return Product.objects.filter(company=company, status=Product.Status.PUBLISHED).order_by("title")


def routing_rules(company: Company) -> list[RoutingRule]:
    return list(RoutingRule.objects.filter(company=company)
                .select_related("product", "vertical", "representative__user"))


def buyer_defaults(user, tenant) -> dict:
    """What the inquiry form can fill in for a buyer: country and organisation from their profile."""
    from shared_apps.accounts.models import Membership
    from tenant_apps.catalogue.models import BuyerProfile

    profile = BuyerProfile.objects.filter(user=user).first()
    if profile is not None:
        return {"buyer_country": profile.country, "buyer_organisation": profile.company_name}
    organisation = (Membership.objects.for_tenant(tenant).filter(user=user)
                    .values_list("organisation", flat=True).first())
    return {"buyer_organisation": organisation or ""}


# Statistics


class _Median(Aggregate):
    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class CompanyInquiryStats:
    """One company's inquiries over a period: how many, in which status, and how fast it answered."""

    company_id: int
    company_name: str
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    median_first_response: timedelta | None = None
    mean_first_response: timedelta | None = None

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in pipeline order, for templates."""
        return [(value, label, self.by_status.get(value, 0)) for value, label in Status.choices]

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.total if self.total else None


def _as_datetime(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min))
    raise TypeError(f"Expected a date or datetime, not {value!r}")


def inquiry_stats(company_ids=None, start=None, end=None) -> list[CompanyInquiryStats]:
    """Per company: inquiries received in [start, end), counts by status, how many were answered,
    the median and mean time to the first answer (message or quote). One query, plus one for
    the names of requested companies that received nothing.

    ``company_ids`` None means every company that received an inquiry; otherwise every listed
    company gets a row, zeros included. ``start``/``end`` are dates (midnight, local time) or
    datetimes; either may be None.
    """
    start, end = _as_datetime(start), _as_datetime(end)
    inquiries = Inquiry.objects.all()
    if company_ids is not None:
        company_ids = [int(pk) for pk in company_ids]
        inquiries = inquiries.filter(company_id__in=company_ids)
    if start is not None:
        inquiries = inquiries.filter(created_at__gte=start)
    if end is not None:
        inquiries = inquiries.filter(created_at__lt=end)
    per_status = {f"status_{value}": Count("pk", filter=Q(status=value)) for value in Status.values}
    rows = (inquiries.values("company_id", "company__name")
            .annotate(total=Count("pk"), answered=Count("pk", filter=Q(first_response_at__isnull=False)),
                      median=_Median("response_seconds"), mean=Avg("response_seconds"), **per_status)
            .order_by("company__name", "company_id"))
    stats = [
        CompanyInquiryStats(
            company_id=row["company_id"], company_name=row["company__name"], total=row["total"],
            by_status={value: row[f"status_{value}"] for value in Status.values}, answered=row["answered"],
            median_first_response=_seconds(row["median"]), mean_first_response=_seconds(row["mean"]),
        )
        for row in rows
    ]
    if company_ids:
        missing = set(company_ids) - {row.company_id for row in stats}
        if missing:
            stats += [CompanyInquiryStats(company_id=pk, company_name=name,
                                          by_status=dict.fromkeys(Status.values, 0))
                      for pk, name in Company.objects.filter(pk__in=missing).values_list("pk", "name")]
            stats.sort(key=lambda row: (row.company_name, row.company_id))
    return stats


def _seconds(value) -> timedelta | None:
    return timedelta(seconds=round(value)) if value is not None else None
