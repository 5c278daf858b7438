"""Spreadsheets in and out: the import columns, reading CSV/XLSX files, the template and the directory export."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

import tablib
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields, resources

from platform_core.uploads import detect_kind
from tenant_apps.directory.models import Company

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def fold(value) -> str:
    """Lower case, accents removed, punctuation as single spaces: 'Société  Générale-Nord' → 'societe generale nord'."""
    text = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = [
    Column("company_name", _lazy("Company name"), ("company", "name", "nom", "entreprise", "nom de l entreprise",
                                                  "nom de la societe", "societe"), required=True),
    Column("legal_name", _lazy("Legal name"), ("raison sociale", "denomination sociale", "nom legal")),
    Column("registration_number", _lazy("Registration number"),
           ("registration", "rccm", "siren", "siret", "numero d immatriculation", "immatriculation",
            "numero d enregistrement", "numero rccm"), required=True),
    Column("country", _lazy("Country"), ("pays", "country code", "code pays"), required=True),
    Column("city", _lazy("City"), ("ville",)),
    Column("sector", _lazy("Sector"), ("secteur", "secteur d activite")),
    Column("size", _lazy("Size"), ("taille", "company size", "taille de l entreprise")),
    Column("export_stage", _lazy("Export stage"), ("stade d export", "stade a l export", "maturite export",
                                                  "experience a l export")),
    Column("website", _lazy("Website"), ("site web", "site internet", "site", "web")),
    Column("description", _lazy("Description"), ("presentation",)),
    Column("representative_name", _lazy("Representative full name"),
           ("representative", "representative name", "representant", "nom du representant", "nom complet du representant")),
    Column("representative_email", _lazy("Representative e-mail"),
           ("email", "e mail", "representative email", "courriel", "courriel du representant", "e mail du representant",
            "email du representant", "adresse e mail")),
    Column("representative_job_title", _lazy("Representative job title"),
           ("job title", "fonction", "poste", "fonction du representant")),
    Column("owner", _lazy("Owner (yes/no)"), ("owner", "proprietaire", "proprietaire oui non", "responsable du profil")),
]
COLUMN_KEYS = [column.key for column in COLUMNS]

EXAMPLE_ROW = ["Société Exemple", "Société Exemple SARL", "SN-DKR-2024-B-12345", "SN", "Dakar", "agro-alimentaire",
               "small", "growing", "https://www.example.org", "", "Awa Diop", "awa.diop@example.org",
               "Directrice générale", "yes"]


class ImportFileError(ValidationError):
    """The file as a whole cannot be read; the message is for the person who sent it."""


def _header_lookup() -> dict[str, str]:
    lookup = {}
    for column in COLUMNS:
        names = {column.key, *column.aliases, str(column.label)}
        for language in ("en", "fr"):
            with translation.override(language):
                names.add(str(column.label))
        lookup.update({fold(name): column.key for name in names})
    return lookup


def _map_headers(headers: list[str]) -> list[str | None]:
    lookup = _header_lookup()
    keys, unknown, seen = [], [], set()
    for header in headers:
        if not fold(header):
            keys.append(None)
            continue
        key = lookup.get(fold(header))
        if key is None:
            unknown.append(header)
        elif key in seen:
            raise ImportFileError(_("The column “%(column)s” appears twice.") % {"column": header}, code="duplicate_column")
        seen.add(key)
        keys.append(key)
    if unknown:
        raise ImportFileError(
            _("These columns are not recognised: %(columns)s. Use the column names of the template.")
            % {"columns": ", ".join(f"“{header}”" for header in unknown)}, code="unknown_column")
    missing = [str(column.label) for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        raise ImportFileError(_("These required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
                              code="missing_column")
    return keys


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store long identifiers as numbers: 12345.0 was typed 12345.
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def decode_text(content: bytes) -> str:
    """Text of a CSV file from UTF-8 (with or without BOM), UTF-16 (Excel 'Unicode text') or Windows-1252."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    # French Excel writes ';' because ',' is the decimal separator; Unicode text exports use tabs.
    return max((";", ",", "\t"), key=first_line.count)


def _csv_rows(content: bytes) -> list[list[str]]:
    text = decode_text(content)
    if "\x00" in text:
        raise ImportFileError(_("This file is not a CSV or Excel (XLSX) file."), code="wrong_type")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            row = [_cell_text(value) for value in values]
            if any(row):
                rows.append(row)
            # The header plus the row limit plus one, to tell the person the file is too long.
            if len(rows) > MAX_ROWS + 1:
                break
        workbook.close()
        return rows
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ImportFileError(_("This Excel file is damaged or could not be read; save it again and retry."),
                              code="unreadable") from exc


def read_upload(upload) -> tuple[str, list[dict[str, str]]]:
    """(format, rows) of an uploaded CSV or XLSX file; each row maps column keys to text, plus its line number."""
    size = getattr(upload, "size", None)
    upload.seek(0)
    content = upload.read(MAX_BYTES + 1)
    if not content:
        raise ImportFileError(_("This file is empty."), code="empty")
    if (size or len(content)) > MAX_BYTES or len(content) > MAX_BYTES:
        raise ImportFileError(_("This file is larger than %(limit)s; split it into several files.")
                              % {"limit": filesizeformat(MAX_BYTES)}, code="too_large")
    kind = detect_kind(content)
    if kind in ("xlsx", "zip"):
        file_format, table = "xlsx", _xlsx_rows(content)
    elif kind == "xls":
        raise ImportFileError(_("Old Excel files (.xls) are not accepted: save the file as .xlsx or CSV."),
                              code="wrong_type")
    elif kind is None:
        file_format, table = "csv", _csv_rows(content)
    else:
        raise ImportFileError(_("This file is not a CSV or Excel (XLSX) file."), code="wrong_type")
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise ImportFileError(_("This file is empty."), code="empty")
    keys = _map_headers(table[0])
    data = table[1:]
    if not data:
        raise ImportFileError(_("This file has column names but no rows to import."), code="no_rows")
    if len(data) > MAX_ROWS:
        raise ImportFileError(_("This file has more than %(limit)s rows; split it into several files.")
                              % {"limit": MAX_ROWS}, code="too_many_rows")
    rows = []
    for line, cells in enumerate(data, start=2):
        row = dict.fromkeys(COLUMN_KEYS, "")
        for key, cell in zip(keys, cells, strict=False):
            if key is not None:
                row[key] = cell.strip()
        row["line"] = line
        rows.append(row)
    return file_format, rows


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    # Text typed by members must not run as a formula when the file is opened (CSV injection).
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def render(dataset: tablib.Dataset, fmt: str) -> bytes:
    dataset = tablib.Dataset(*([neutralise(cell) for cell in row] for row in dataset), headers=dataset.headers)
    if fmt == "xlsx":
        return dataset.export("xlsx")
    return dataset.export("csv").encode("utf-8-sig")


def template(fmt: str) -> bytes:
    """An import file with the column names in the reader's language and one example row."""
    dataset = tablib.Dataset(EXAMPLE_ROW, headers=[str(column.label) for column in COLUMNS])
    if fmt == "xlsx":
        return dataset.export("xlsx")
    return dataset.export("csv").encode("utf-8-sig")


class DirectoryResource(resources.ModelResource):
    """The directory as a spreadsheet: one row per company, its representatives in one cell."""

    name = fields.Field(attribute="name", column_name=_lazy("Company name"))
    legal_name = fields.Field(attribute="legal_name", column_name=_lazy("Legal name"))
    registration_number = fields.Field(attribute="registration_number", column_name=_lazy("Registration number"))
    country = fields.Field(column_name=_lazy("Country"))
    country_code = fields.Field(column_name=_lazy("Country code"))
    city = fields.Field(attribute="city", column_name=_lazy("City"))
    sector = fields.Field(column_name=_lazy("Sector"))
    size = fields.Field(column_name=_lazy("Size"))
    export_stage = fields.Field(column_name=_lazy("Export stage"))
    website = fields.Field(attribute="website", column_name=_lazy("Website"))
    verification = fields.Field(column_name=_lazy("Verification"))
    verified_until = fields.Field(column_name=_lazy("Verified until"))
    representatives = fields.Field(column_name=_lazy("Representatives"))

    class Meta:
        model = Company
        fields = ("name", "legal_name", "registration_number", "country", "country_code", "city", "sector", "size",
                  "export_stage", "website", "verification", "verified_until", "representatives")
        export_order = fields

    def dehydrate_country(self, company):
        return str(company.country.name) if company.country else ""

    def dehydrate_country_code(self, company):
        return company.country.code if company.country else ""

    def dehydrate_sector(self, company):
        return company.sector.name if company.sector_id else ""

    def dehydrate_size(self, company):
        return str(company.get_size_display()) if company.size else ""

    def dehydrate_export_stage(self, company):
        return str(company.get_export_stage_display()) if company.export_stage else ""

    def dehydrate_verification(self, company):
        if company.is_verified:
            return _("Verified")
        if company.verified_at is not None:
            return _("Verification expired")
        return _("Not verified")

    def dehydrate_verified_until(self, company):
        return company.verification_expires_at.date().isoformat() if company.verification_expires_at else ""

    def dehydrate_representatives(self, company):
        people = []
        for representative in company.representatives.all():
            user = representative.user
            label = f"{user.full_name} <{user.email}>" if user.full_name else user.email
            if representative.job_title:
                label += f", {representative.job_title}"
            if representative.is_owner:
                label += " (" + _("owner") + ")"
            people.append(label)
        return "; ".join(people)


def export_directory(companies, fmt: str) -> bytes:
    return render(DirectoryResource().export(queryset=companies), fmt)
