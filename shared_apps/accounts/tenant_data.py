"""Rows in tenant schemas that point at a person, whose account lives in `public`.

Django's delete collector follows foreign keys through the current search_path only,
so deleting a user from the public schema cannot cascade into tenant tables. Tenant
models therefore reference users with ``on_delete=DO_NOTHING`` (a system check
enforces it) and ``purge_user_from_tenants`` removes their rows in every programme
before the account goes.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models
from django_tenants.utils import schema_context


def _tenant_models():
    labels = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    for model in apps.get_models():
        if model._meta.app_label in labels:
            yield model


def user_foreign_keys():
    """(model, field) for every tenant-schema foreign key to the user model."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in _tenant_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is user_model:
                yield model, field


def purge_user_from_tenants(user) -> None:
    from tenants.models import Tenant

    links = list(user_foreign_keys())
    for schema_name in Tenant.objects.programmes().values_list("schema_name", flat=True):
        with schema_context(schema_name):
            for model, field in links:
                model._base_manager.filter(**{field.name: user.pk}).delete()


@checks.register(checks.Tags.models)
def check_tenant_user_foreign_keys(app_configs=None, **kwargs):
    errors = []
    for model, field in user_foreign_keys():
        if field.remote_field.on_delete is not models.DO_NOTHING:
            errors.append(checks.Error(
                f"{model._meta.label}.{field.name} points at the user model from a tenant schema.",
                hint="Use on_delete=models.DO_NOTHING: shared_apps.accounts.tenant_data removes these rows "
                     "in every programme before a user is deleted.",
                obj=field, id="comptoir.E001",
            ))
    return errors
