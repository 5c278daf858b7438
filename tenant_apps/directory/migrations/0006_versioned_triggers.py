from django.db import migrations

from tenant_apps.directory.search import sql


def install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        sql.install_versioned_triggers(cursor)


def remove(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        sql.remove_versioned_triggers(cursor)


class Migration(migrations.Migration):
    """The profile triggers call functions of this release's own name (see search/sql.py)."""

    dependencies = [
        ("directory", "0005_search_speed"),
    ]

    operations = [migrations.RunPython(install, remove)]
