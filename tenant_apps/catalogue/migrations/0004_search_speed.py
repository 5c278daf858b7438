import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from tenant_apps.catalogue.search import sql


def install_title_vectors(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        sql.install_title_vectors(cursor)


def remove_title_vectors(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        sql.remove_title_vectors(cursor)


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0003_translated_order_terms'),
        ('directory', '0005_search_speed'),
    ]

    operations = [
        # Countries served are lexemes of the search vectors now (search/sql.py).
        migrations.RemoveIndex(
            model_name='product',
            name='product_countries_served',
        ),
        migrations.RemoveIndex(
            model_name='product',
            name='product_search',
        ),
        migrations.RemoveIndex(
            model_name='product',
            name='product_published',
        ),
        migrations.AddField(
            model_name='product',
            name='certification_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, editable=False, size=None),
        ),
        migrations.AddField(
            model_name='product',
            name='search_title',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='product',
            name='vertical_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, editable=False, size=None),
        ),
        # Fill the new columns of every product before indexing them.
        migrations.RunPython(install_title_vectors, remove_title_vectors),
        migrations.AddIndex(
            model_name='product',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('status', 'published')), fields=['search_vector'], name='product_search'),
        ),
        migrations.AddIndex(
            model_name='product',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('status', 'published')), fields=['search_title'], name='product_title_search'),
        ),
        migrations.AddIndex(
            model_name='product',
            index=models.Index(condition=models.Q(('status', 'published')), fields=['-published_at', '-id'], include=('company', 'kind', 'countries_served', 'vertical_ids', 'certification_ids'), name='product_published'),
        ),
    ]
