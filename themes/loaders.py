"""Templates are looked up in the current tenant's theme first, then in the base theme."""

from pathlib import Path

from django.db import connection
from django.template.loaders.filesystem import Loader as FilesystemLoader

THEMES_DIR = Path(__file__).resolve().parent


class ThemeLoader(FilesystemLoader):
    def get_dirs(self):
        tenant = getattr(connection, "tenant", None)
        theme = getattr(tenant, "theme", None) if tenant is not None and tenant.schema_name != "public" else None
        dirs = [THEMES_DIR / theme / "templates"] if theme else []
        return [*dirs, THEMES_DIR / "base" / "templates"]
