"""Private files (personal-data exports): never under MEDIA_ROOT, never given a public URL."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    # base_url=None: .url() raises, so nothing can hand out a public link by mistake.
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None, file_permissions_mode=0o600,
                             directory_permissions_mode=0o700)
