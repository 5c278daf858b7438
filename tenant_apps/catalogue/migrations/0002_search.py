from django.db import migrations

from tenant_apps.catalogue.search import sql


def install_search(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        sql.install(cursor)


def remove_search(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql.DROP)


class Migration(migrations.Migration):
    # The directory's search migration creates the folding and weighting functions used here.
    dependencies = [
        ("catalogue", "0001_initial"),
        ("directory", "0004_merge_search"),
    ]

    operations = [migrations.RunPython(install_search, remove_search)]
