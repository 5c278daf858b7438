"""comptoir product_images: bring product images stored before processing up to date.

Images uploaded since processing exists are stored upright, at most 1,600 px a side, as
WebP without camera metadata, with a 480 × 360 thumbnail made on save. This re-encodes
older ones the same way (their metadata goes) and makes any missing thumbnail. Safe to
run again: processed images are left as they are.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import ProductImage
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Re-encode product images stored before processing and make missing thumbnails."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="only this programme (its slug)")

    def handle(self, *args, tenant=None, **options):
        programmes = Tenant.objects.programmes().filter(modules__contains=["catalogue"])
        if tenant:
            programmes = programmes.filter(slug=tenant)
            if not programmes.exists():
                raise CommandError(f"No programme '{tenant}' with the catalogue.")
        for programme in programmes:
            with tenant_context(programme):
                done, missing = self._process()
            self.stdout.write(f"{programme.slug}: {done} image(s) brought up to date, {missing} file(s) missing.")

    def _process(self) -> tuple[int, int]:
        done = missing = 0
        for image in ProductImage.objects.order_by("pk").iterator():
            storage, old_name = image.image.storage, image.image.name
            if not old_name or not storage.exists(old_name):
                missing += 1
                continue
            if not old_name.endswith(".webp"):
                with storage.open(old_name) as original:
                    # The field processes what it stores; saving the row makes the thumbnail.
                    image.image.save(PurePosixPath(old_name).name, File(original), save=False)
                image.save(update_fields=["image"])
                storage.delete(old_name)
                done += 1
            elif not image.thumbnail.storage.exists(image.thumbnail.name):
                image.thumbnail.generate(force=True)
                done += 1
        return done, missing
