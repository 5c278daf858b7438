"""Audit log exports (CSV, XLSX) through django-import-export."""

import tablib
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from shared_apps.audit.models import AuditEvent

EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class AuditEventResource(resources.ModelResource):
    created_at = fields.Field(attribute="created_at", column_name=_("When"))
    tenant_label = fields.Field(attribute="tenant_label", column_name=_("Programme"))
    actor_label = fields.Field(attribute="actor_label", column_name=_("Actor"))
    actor_role = fields.Field(attribute="actor_role", column_name=_("Actor's role"))
    action = fields.Field(attribute="action", column_name=_("Action"))
    action_label = fields.Field(attribute="action_label", column_name=_("Description"))
    target_type = fields.Field(attribute="target_type", column_name=_("Target type"))
    target_id = fields.Field(attribute="target_id", column_name=_("Target id"))
    target_label = fields.Field(attribute="target_label", column_name=_("Target"))
    before = fields.Field(attribute="before", column_name=_("Before"))
    after = fields.Field(attribute="after", column_name=_("After"))
    ip_address = fields.Field(attribute="ip_address", column_name=_("IP address"))
    user_agent = fields.Field(attribute="user_agent", column_name=_("User agent"))
    request_id = fields.Field(attribute="request_id", column_name=_("Request id"))

    class Meta:
        model = AuditEvent
        fields = ("created_at", "tenant_label", "actor_label", "actor_role", "action", "action_label", "target_type",
                  "target_id", "target_label", "before", "after", "ip_address", "user_agent", "request_id")

    def dehydrate_created_at(self, event):
        return event.created_at.isoformat()

    def dehydrate_before(self, event):
        import json

        return json.dumps(event.before, ensure_ascii=False) if event.before is not None else ""

    def dehydrate_after(self, event):
        import json

        return json.dumps(event.after, ensure_ascii=False) if event.after is not None else ""


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(cell):
    # Text typed by users (names, labels) must not run as a formula in a spreadsheet (CSV injection).
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def export(events, fmt: str) -> bytes:
    dataset = AuditEventResource().export(queryset=events)
    dataset = tablib.Dataset(*([_neutralise(cell) for cell in row] for row in dataset), headers=dataset.headers)
    if fmt == "xlsx":
        return dataset.export("xlsx")
    return dataset.export("csv").encode("utf-8-sig")
