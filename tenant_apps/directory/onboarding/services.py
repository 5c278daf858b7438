"""Bulk onboarding: check an import row by row, keep it for preview, and apply it all or nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from shared_apps.accounts.models import Invitation, Membership, User
from shared_apps.audit.services import record
from tenant_apps.directory.models import Company, Representative, Sector
from tenant_apps.directory.onboarding import resources
from tenant_apps.directory.onboarding.models import ImportBatch, PendingRepresentative
from tenants import catalog

logger = logging.getLogger(__name__)

BATCH_LIFETIME = timedelta(hours=24)
MAX_LENGTHS = {"company_name": 200, "legal_name": 200, "registration_number": 60, "city": 120,
               "representative_name": 200, "representative_job_title": 120}
YES = {"yes", "y", "oui", "o", "true", "vrai", "1", "x"}
NO = {"no", "n", "non", "false", "faux", "0", ""}


class ImportInvalid(Exception):
    """The import has errors: nothing was written. ``plan`` holds every row with its errors."""

    def __init__(self, plan):
        super().__init__("import has errors")
        self.plan = plan


class BatchClosed(Exception):
    """The pending import was already confirmed or has expired."""


@dataclass
class RowPlan:
    line: int
    values: dict
    company_action: str = ""  # "create", "update" or "same" (another row of the file creates or updates it)
    company_label: str = ""
    representative_action: str = ""  # "link", "already", "invite", "pending" or ""
    errors: list[str] = field(default_factory=list)
    # Resolved values used when applying; never shown.
    company_id: int | None = None
    company_key: str = ""
    sector_id: int | None = None
    country: str = ""
    size: str = ""
    export_stage: str = ""
    website: str = ""
    email: str = ""
    user_id: int | None = None
    is_owner: bool = False


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)

    def count(self, **criteria) -> int:
        return sum(all(getattr(row, key) == value for key, value in criteria.items()) for row in self.rows)

    @property
    def summary(self) -> dict:
        return {
            "companies_created": self.count(company_action="create"),
            "companies_updated": self.count(company_action="update"),
            "representatives_linked": self.count(representative_action="link"),
            "invitations": len({row.email for row in self.rows if row.representative_action == "invite"}),
        }


def registration_key(value: str) -> str:
    return "".join(value.split()).upper()


def _country_lookup() -> dict[str, str]:
    lookup = {}
    for language in ("en", "fr"):
        with translation.override(language):
            for code, name in countries:
                lookup[resources.fold(name)] = code
    for code, _name in countries:
        lookup[code.lower()] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            lookup[alpha3.lower()] = code
    return lookup


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[resources.fold(value)] = value
        for language in ("en", "fr"):
            with translation.override(language):
                lookup[resources.fold(label)] = value
    return lookup


# Common French words for the size and export stage, whatever the catalogue says.
SIZE_WORDS = {"tpe": "micro", "micro entreprise": "micro", "petite": "small", "pme": "small", "moyenne": "medium",
              "eti": "medium", "grande": "large", "grande entreprise": "large"}
STAGE_WORDS = {"primo exportateur": "first_time", "debutant": "first_time", "en croissance": "growing",
               "exportateur confirme": "experienced", "confirme": "experienced", "experimente": "experienced"}


def _sector_lookup() -> dict[str, int]:
    lookup = {}
    for sector in Sector.objects.only("pk", "name", "name_en", "slug"):
        for name in (sector.slug, sector.name, sector.name_en):
            if name:
                lookup.setdefault(resources.fold(name), sector.pk)
                # 'agro-alimentaire' and 'agroalimentaire' are the same sector.
                lookup.setdefault(resources.fold(name).replace(" ", ""), sector.pk)
    return lookup


def _existing_companies(keys: set[str]) -> dict[str, list[Company]]:
    found: dict[str, list[Company]] = {}
    if not keys:
        return found
    companies = (Company.objects.annotate(registration_key=Upper(Replace("registration_number", Value(" "), Value(""))))
                 .filter(registration_key__in=keys).prefetch_related("representatives"))
    for company in companies:
        found.setdefault(company.registration_key, []).append(company)
    return found


def plan_import(*, tenant, actor, rows: list[dict]) -> ImportPlan:
    """Check every row against the file and the database as they are now; writes nothing."""
    country_lookup = _country_lookup()
    sector_lookup = _sector_lookup()
    size_lookup = {**_choice_lookup(Company.Size.choices), **SIZE_WORDS}
    stage_lookup = {**_choice_lookup(Company.ExportStage.choices), **STAGE_WORDS}
    keys = {registration_key(row.get("registration_number", "")) for row in rows} - {""}
    existing = _existing_companies(keys)
    emails = {row.get("representative_email", "").strip().lower() for row in rows} - {""}
    users = {user.email.lower(): user for user in User.objects.filter(email__in=emails)} if emails else {}
    members = set(Membership.objects.for_tenant(tenant).filter(user__in=users.values()).values_list("user_id", flat=True))
    open_invitations = {
        email.lower() for email in Invitation.objects.for_tenant(tenant).filter(
            email__in=emails, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now(),
        ).values_list("email", flat=True)
    } if emails else set()
    pending = set(PendingRepresentative.objects.filter(linked_at__isnull=True, email__in=emails)
                  .values_list("company_id", "email")) if emails else set()

    plan = ImportPlan(rows=[])
    first_row_of: dict[str, RowPlan] = {}
    people_of: dict[tuple[str, str], int] = {}
    owner_of: dict[str, int] = {}
    for raw in rows:
        values = {key: str(raw.get(key, "") or "").strip() for key in resources.COLUMN_KEYS}
        row = RowPlan(line=int(raw.get("line", 0)), values=values)
        plan.rows.append(row)
        errors = row.errors
        for key, column in ((column.key, column) for column in resources.COLUMNS if column.required):
            if not values[key]:
                errors.append(_("%(column)s is missing.") % {"column": column.label})
        for key, limit in MAX_LENGTHS.items():
            if len(values[key]) > limit:
                label = next(column.label for column in resources.COLUMNS if column.key == key)
                errors.append(_("%(column)s is longer than %(limit)s characters.") % {"column": label, "limit": limit})

        if values["country"]:
            row.country = country_lookup.get(resources.fold(values["country"]), "")
            if not row.country:
                errors.append(_("“%(value)s” is not a country we know: use its two-letter code (for example SN or FR) "
                                "or its name in French or English.") % {"value": values["country"]})
        if values["sector"]:
            folded = resources.fold(values["sector"])
            row.sector_id = sector_lookup.get(folded) or sector_lookup.get(folded.replace(" ", ""))
            if row.sector_id is None:
                errors.append(_("“%(value)s” is not one of this programme's sectors: use a sector's name or its short "
                                "name as listed on the import page.") % {"value": values["sector"]})
        if values["size"]:
            row.size = size_lookup.get(resources.fold(values["size"]), "")
            if not row.size:
                errors.append(_("“%(value)s” is not a company size: use micro, small, medium or large.")
                              % {"value": values["size"]})
        if values["export_stage"]:
            row.export_stage = stage_lookup.get(resources.fold(values["export_stage"]), "")
            if not row.export_stage:
                errors.append(_("“%(value)s” is not an export stage: use first_time, growing or experienced.")
                              % {"value": values["export_stage"]})
        if values["website"]:
            website = values["website"]
            if "://" not in website:
                website = "https://" + website
            try:
                URLValidator(schemes=["http", "https"])(website)
                row.website = website
            except ValidationError:
                errors.append(_("“%(value)s” is not a web address.") % {"value": values["website"]})

        owner = resources.fold(values["owner"])
        if owner in YES:
            row.is_owner = True
        elif owner not in NO:
            errors.append(_("Owner must be “yes” or “no”, not “%(value)s”.") % {"value": values["owner"]})
        if values["representative_email"]:
            try:
                validate_email(values["representative_email"])
                row.email = User.objects.normalize_email(values["representative_email"]).lower()
            except ValidationError:
                errors.append(_("“%(value)s” is not a valid e-mail address.") % {"value": values["representative_email"]})
        elif values["representative_name"] or values["representative_job_title"] or row.is_owner:
            errors.append(_("The representative's e-mail is missing: it is needed to link or invite them."))

        key = registration_key(values["registration_number"])
        row.company_key = key
        row.company_label = values["company_name"]
        if not key:
            continue
        earlier = first_row_of.get(key)
        if earlier is not None:
            if resources.fold(earlier.values["company_name"]) != resources.fold(values["company_name"]):
                errors.append(_("Registration number %(number)s is also on row %(line)s, for another company "
                                "(“%(company)s”).") % {"number": values["registration_number"], "line": earlier.line,
                                                       "company": earlier.values["company_name"]})
            else:
                row.company_action = "same"
                row.company_id = earlier.company_id
        else:
            matches = existing.get(key, [])
            if len(matches) > 1:
                errors.append(_("Registration number %(number)s already belongs to several companies in the directory; "
                                "correct them before importing.") % {"number": values["registration_number"]})
            elif matches and resources.fold(matches[0].name) != resources.fold(values["company_name"]):
                errors.append(_("Registration number %(number)s already belongs to “%(company)s” in the directory.")
                              % {"number": values["registration_number"], "company": matches[0].name})
            elif matches:
                row.company_action, row.company_id = "update", matches[0].pk
            else:
                row.company_action = "create"
            first_row_of[key] = row

        if row.email:
            seen_on = people_of.get((key, row.email))
            if seen_on is not None:
                errors.append(_("%(email)s is already a representative of this company on row %(line)s.")
                              % {"email": row.email, "line": seen_on})
            people_of.setdefault((key, row.email), row.line)
            user = users.get(row.email)
            if user is not None and user.pk in members:
                row.user_id = user.pk
                company = next(iter(existing.get(key, [])), None) if row.company_id else None
                already = company is not None and any(rep.user_id == user.pk for rep in company.representatives.all())
                row.representative_action = "already" if already else "link"
            elif (row.company_id, row.email) in pending or row.email in open_invitations:
                row.representative_action = "pending"
            else:
                row.representative_action = "invite"
        if row.is_owner:
            if key in owner_of:
                errors.append(_("Row %(line)s already names the owner of this company: a company has one owner.")
                              % {"line": owner_of[key]})
            owner_of.setdefault(key, row.line)
            company = next(iter(existing.get(key, [])), None) if row.company_id else None
            current = next((rep for rep in company.representatives.all() if rep.is_owner), None) if company else None
            if current is not None and current.user_id != row.user_id:
                errors.append(_("“%(company)s” already has an owner: change the owner on the company's page.")
                              % {"company": company.name})

    if any(row.representative_action == "invite" for row in plan.rows) and not _may_invite_reps(actor, tenant):
        plan.errors.append(_("Some representatives are not members yet and you may not invite company representatives: "
                             "ask an administrator who may."))
    return plan


def _may_invite_reps(actor, tenant) -> bool:
    from shared_apps.accounts.permissions import can, role_in

    return can(actor, "members.invite", tenant=tenant) and \
        catalog.COMPANY_REP in catalog.GRANTABLE_ROLES.get(role_in(actor, tenant), [])


def start_import(*, tenant, actor, file_name: str, file_format: str, rows: list[dict]) -> tuple[ImportBatch, ImportPlan]:
    """Keep the rows read from a file (resources.read_upload) for the preview, and check them."""
    ImportBatch.objects.filter(expires_at__lte=timezone.now()).delete()
    batch = ImportBatch.objects.create(
        created_by=actor, file_name=(file_name or "import")[:200], file_format=file_format,
        rows=rows, expires_at=timezone.now() + BATCH_LIFETIME,
    )
    return batch, plan_import(tenant=tenant, actor=actor, rows=rows)


def _company_fields(row: RowPlan) -> dict:
    values = row.values
    data = {"name": values["company_name"], "legal_name": values["legal_name"],
            "registration_number": values["registration_number"], "country": row.country, "city": values["city"],
            "sector_id": row.sector_id, "size": row.size, "export_stage": row.export_stage, "website": row.website,
            "description": values["description"]}
    # Empty cells leave what the directory already knows.
    return {key: value for key, value in data.items() if value not in ("", None)}


def confirm_import(*, tenant, actor, batch: ImportBatch) -> dict:
    """Apply the batch in one transaction after checking it again; raises ImportInvalid and writes nothing on any error."""
    from shared_apps.accounts.services import invite

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch.is_open:
            raise BatchClosed
        plan = plan_import(tenant=tenant, actor=actor, rows=batch.rows)
        if not plan.is_valid:
            raise ImportInvalid(plan)
        companies: dict[str, Company] = {}
        for row in plan.rows:
            if row.company_key in companies:
                company = companies[row.company_key]
            elif row.company_action == "update":
                company = Company.objects.get(pk=row.company_id)
                for name, value in _company_fields(row).items():
                    setattr(company, name, value)
                company.save()
            else:
                company = Company.objects.create(**_company_fields(row))
            companies[row.company_key] = company
            if row.representative_action in ("link", "already"):
                representative, created = Representative.objects.get_or_create(
                    company=company, user_id=row.user_id,
                    defaults={"job_title": row.values["representative_job_title"], "is_owner": row.is_owner},
                )
                if not created:
                    representative.job_title = row.values["representative_job_title"] or representative.job_title
                    representative.is_owner = representative.is_owner or row.is_owner
                    representative.save(update_fields=["job_title", "is_owner"])
        invitations: dict[str, int | None] = {}
        for row in plan.rows:
            if row.representative_action not in ("invite", "pending"):
                continue
            company = companies[row.company_key]
            if row.representative_action == "invite" and row.email not in invitations:
                invitation = invite(tenant=tenant, inviter=actor, email=row.email, role=catalog.COMPANY_REP,
                                    organisation=company.name)
                invitations[row.email] = invitation.pk
            PendingRepresentative.objects.update_or_create(
                company=company, email=row.email, linked_at=None,
                defaults={"full_name": row.values["representative_name"], "is_owner": row.is_owner,
                          "job_title": row.values["representative_job_title"],
                          **({"invitation_id": invitations[row.email]} if row.email in invitations else {})},
            )
        batch.confirmed_at = timezone.now()
        batch.rows = []  # The personal data in the file is not kept once applied.
        batch.save(update_fields=["confirmed_at", "rows"])
        summary = plan.summary
        record(action="directory.import_confirmed", tenant=tenant, actor=actor, target_type="directory.importbatch",
               target_id=batch.pk, target_label=batch.file_name, after={**summary, "rows": len(plan.rows)})
    logger.info("directory import applied", extra={"batch": batch.pk, **summary})
    return summary


def link_invited_representative(*, invitation, user) -> list[Representative]:
    """Make ``user`` the representative of every company an import invited them for (in the current schema)."""
    linked = []
    for pending in PendingRepresentative.objects.filter(email__iexact=invitation.email, linked_at__isnull=True) \
            .select_related("company"):
        has_owner = Representative.objects.filter(company=pending.company, is_owner=True).exclude(user=user).exists()
        representative, _created = Representative.objects.get_or_create(
            company=pending.company, user=user,
            defaults={"job_title": pending.job_title, "is_owner": pending.is_owner and not has_owner},
        )
        pending.linked_at = timezone.now()
        pending.save(update_fields=["linked_at"])
        linked.append(representative)
    return linked
