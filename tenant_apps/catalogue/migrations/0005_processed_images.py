import imagekit.models.fields
import tenant_apps.catalogue.models
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0004_search_speed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='productimage',
            name='image',
            field=imagekit.models.fields.ProcessedImageField(upload_to=tenant_apps.catalogue.models.image_upload_to, verbose_name='image'),
        ),
    ]
