"""Inquiry attachments are private: stored outside MEDIA_ROOT, served only by a checked view."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class AttachmentStorage(FileSystemStorage):
    """Reads PRIVATE_MEDIA_ROOT at use time (tests point it elsewhere); ``url()`` always raises."""

    def __init__(self):
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return Path(settings.PRIVATE_MEDIA_ROOT) / "inquiries"

    @property
    def location(self):
        return str(self.base_location.resolve())

    def url(self, name):
        raise ValueError("Inquiry attachments have no public URL; use the download view.")


attachment_storage = AttachmentStorage()
