"""Verification documents are private: stored outside MEDIA_ROOT and served only by a checked view."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class VerificationStorage(FileSystemStorage):
    """Reads PRIVATE_MEDIA_ROOT at use time (tests point it elsewhere); ``url()`` always raises."""

    def __init__(self):
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        from pathlib import Path

        return str(Path(settings.PRIVATE_MEDIA_ROOT).resolve())

    def url(self, name):
        raise ValueError("Verification documents have no public URL; use the download view.")


verification_storage = VerificationStorage()
