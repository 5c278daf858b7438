import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('promotion', '0002_grant_promotion_permissions'),
    ]

    operations = [
        migrations.AddField(
            model_name='promotionrequest',
            name='featured_company',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='promotion.featuredcompany', verbose_name='featured company slot'),
        ),
        migrations.AddField(
            model_name='promotionrequest',
            name='featured_product',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='promotion.featuredproduct', verbose_name='featured product slot'),
        ),
    ]
