"""Checking uploaded files by what they contain, not by their name or declared type.

``validate_upload(upload, kinds=IMAGE_KINDS | {"pdf"}, max_bytes=...)`` raises a
``ValidationError`` a form can show next to its field, and returns the detected kind.
"""

from __future__ import annotations

import io
import logging

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

IMAGE_KINDS = frozenset({"png", "jpg", "webp", "gif"})
DOCUMENT_KINDS = frozenset({"pdf"})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Decompression bombs: refuse images whose pixel count would exhaust a worker's memory.
MAX_IMAGE_PIXELS = 40_000_000

_KIND_NAMES = {"png": "PNG", "jpg": "JPEG", "webp": "WebP", "gif": "GIF", "pdf": "PDF"}


def _kinds_label(kinds) -> str:
    return ", ".join(sorted(_KIND_NAMES.get(kind, kind.upper()) for kind in kinds))


def _read(upload) -> bytes:
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def detect_kind(content: bytes) -> str | None:
    """The file's type as its first bytes tell it (``png``, ``pdf``…), or None."""
    guess = filetype.guess(content[:8192])
    return guess.extension if guess is not None else None


def _check_image(content: bytes) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("This image is too large in pixels; please send a smaller one."), code="too_many_pixels")
            image.verify()
        # verify() leaves the image unusable and misses truncated data; decoding does not.
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many types for broken files
        raise ValidationError(_("This image is damaged or incomplete; please send it again."), code="unreadable") from exc


def _check_pdf(content: bytes) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("This PDF is protected by a password; please send an unprotected copy."), code="encrypted")
        if len(reader.pages) == 0:
            raise ValidationError(_("This PDF has no pages."), code="empty")
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many types for broken files
        raise ValidationError(_("This PDF is damaged or incomplete; please send it again."), code="unreadable") from exc


def validate_upload(upload, *, kinds=IMAGE_KINDS | DOCUMENT_KINDS, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Check size, sniffed type and readability of ``upload``; return its kind (``pdf``, ``png``…)."""
    size = getattr(upload, "size", None)
    if size is None:
        size = len(_read(upload))
    if size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("This file is larger than %(limit)s; please send a smaller one.") % {"limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    content = _read(upload)
    kind = detect_kind(content)
    if kind not in kinds:
        logger.info("upload refused", extra={"detected": kind, "declared": getattr(upload, "content_type", None)})
        raise ValidationError(
            _("This kind of file is not accepted. Send one of: %(kinds)s.") % {"kinds": _kinds_label(kinds)},
            code="wrong_type",
        )
    if kind in IMAGE_KINDS:
        _check_image(content)
    elif kind == "pdf":
        _check_pdf(content)
    return kind
