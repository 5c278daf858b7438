"""Bring the platform's database up to date: migrations, the public tenant, the spare pool."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants import services
from tenants.models import Domain, Tenant


class Command(BaseCommand):
    help = "Migrate every schema, register the platform's host and fill the pool of spare schemas."

    def add_arguments(self, parser):
        parser.add_argument("--skip-migrate", action="store_true")

    def handle(self, *args, skip_migrate=False, **options):
        verbosity = options["verbosity"]
        if not skip_migrate:
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(verbosity - 1, 0))
        public, _ = Tenant.objects.get_or_create(
            schema_name="public", defaults={"status": Tenant.Status.PUBLIC, "name": settings.PLATFORM_NAME}
        )
        Domain.objects.get_or_create(domain=settings.PLATFORM_DOMAIN, defaults={"tenant": public, "is_primary": True})
        services.ensure_template()
        if not skip_migrate:
            # Template, spares and programmes all follow the latest migrations.
            call_command("migrate_schemas", tenant=True, interactive=False, verbosity=max(verbosity - 1, 0))
        created = services.refill_spare_pool()
        self.stdout.write(self.style.SUCCESS(f"Platform ready on {settings.PLATFORM_DOMAIN}; {created} spare schema(s) added."))
