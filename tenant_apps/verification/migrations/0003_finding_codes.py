"""Findings keep a message code and parameters instead of a sentence in the task's language.

Existing sentences are matched against every message in every language of the platform
(codes never change, so reading them from the app is safe here); a sentence that matches
none is kept and shown as written.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import translation


def add_codes(apps, schema_editor):
    from tenant_apps.verification import findings

    Finding = apps.get_model("verification", "Finding")
    for finding in Finding.objects.filter(code="").select_related("request__company").iterator():
        parsed = findings.parse(finding.message)
        if parsed is None:
            continue
        finding.code, finding.params = parsed
        if "country" in finding.params:
            # The sentence named the country in the language of the task: store the code.
            finding.params["country"] = str(finding.request.company.country)
        finding.message = ""
        finding.save(update_fields=["code", "params", "message"])


def write_sentences(apps, schema_editor):
    from tenant_apps.verification import findings

    Finding = apps.get_model("verification", "Finding")
    with translation.override(settings.LANGUAGE_CODE):
        for finding in Finding.objects.exclude(code="").iterator():
            finding.message = findings.render(finding.code, finding.params, finding.message)
            finding.save(update_fields=["message"])


class Migration(migrations.Migration):

    dependencies = [
        ('verification', '0002_default_document_types'),
    ]

    operations = [
        migrations.AddField(
            model_name='finding',
            name='code',
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AddField(
            model_name='finding',
            name='params',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='finding',
            name='message',
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(add_codes, write_sentences),
    ]
