"""Writes to the showroom page: its title and its blocks, composed by the programme's admins.

Rich text is sanitised here, on the way in (platform_core.security), so that what is
stored and rendered is already inert; links are limited to this site's paths and web
addresses.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from platform_core.security import sanitize_html
from platform_core.uploads import IMAGE_KINDS, validate_upload
from shared_apps.accounts.permissions import can, current_tenant
from shared_apps.audit.services import record
from tenant_apps.catalogue.models import ShowroomBlock, ShowroomPage

IMAGE_MAX_BYTES = 5 * 1024 * 1024
MAX_BLOCKS = 30
MAX_STORIES = 12
NAV_CACHE_SECONDS = 3600

TEXT_FIELDS = ("heading", "heading_en", "link_label", "link_label_en", "image_alt")
RICH_FIELDS = ("body", "body_en")


class ShowroomError(Exception):
    """A showroom change the rules refuse; the message is meant for the person who tried."""


def _require(user) -> None:
    tenant = current_tenant()
    if not can(user, "showroom.edit", tenant=tenant):
        raise ShowroomError(_("You may not do this in this programme."))


def nav_cache_key() -> str:
    return f"catalogue:showroom-title:{connection.schema_name}"


def showroom_page() -> ShowroomPage:
    page = ShowroomPage.objects.filter(pk=1).first()
    if page is None:
        tenant = current_tenant()
        page, _created = ShowroomPage.objects.get_or_create(pk=1, defaults={"title": tenant.name if tenant else "Showroom"})
    return page


def update_page(*, actor, title: str, title_en: str = "", summary: str = "", summary_en: str = "") -> ShowroomPage:
    _require(actor)
    page = showroom_page()
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the page a title.")})
    page.title, page.title_en = title[:120], title_en.strip()[:120]
    page.summary, page.summary_en = summary.strip()[:300], summary_en.strip()[:300]
    page.save()
    cache.delete(nav_cache_key())
    record(action="showroom.page_changed", tenant=current_tenant(), actor=actor, target=page)
    return page


def validate_link(url: str) -> str:
    """A path on this site ("/catalogue/") or an http(s) address; nothing else."""
    url = url.strip()
    if not url:
        return ""
    if any(ord(char) < 32 for char in url) or "\\" in url:
        raise ValidationError({"link_url": _("Enter a path on this site, such as /catalogue/, or a web address.")})
    if url.startswith("/") and not url.startswith("//"):
        return url
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise ValidationError(
            {"link_url": _("Enter a path on this site, such as /catalogue/, or a web address.")}
        ) from error
    return url


def clean_stories(items) -> list[dict[str, str]]:
    stories = []
    for item in items or []:
        story = {key: str(item.get(key, "")).strip()[:1000 if key.startswith("quote") else 120]
                 for key in ("quote", "quote_en", "author", "role", "role_en")}
        if not any(story.values()):
            continue
        if not story["quote"] or not story["author"]:
            raise ValidationError({"items": _("Each story needs its text and who said it.")})
        stories.append(story)
    if len(stories) > MAX_STORIES:
        raise ValidationError({"items": _("A block holds at most %(count)s stories.") % {"count": MAX_STORIES}})
    return stories


@transaction.atomic
def add_block(*, actor, kind: str) -> ShowroomBlock:
    """A new, hidden block at the end of the page: it shows once the admin has filled it in."""
    _require(actor)
    if kind not in ShowroomBlock.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of block.")})
    page = showroom_page()
    if page.blocks.count() >= MAX_BLOCKS:
        raise ValidationError({"kind": _("A page holds at most %(count)s blocks.") % {"count": MAX_BLOCKS}})
    position = (page.blocks.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    block = ShowroomBlock.objects.create(page=page, kind=kind, position=position, is_enabled=False)
    record(action="showroom.block_added", tenant=current_tenant(), actor=actor, target=block, after={"kind": kind})
    return block


@transaction.atomic
def save_block(*, actor, block: ShowroomBlock, image=None, remove_image: bool = False, companies=None,
               products=None, items=None, is_enabled: bool | None = None, **values) -> ShowroomBlock:
    _require(actor)
    for name in TEXT_FIELDS:
        if name in values:
            setattr(block, name, (values[name] or "").strip())
    for name in RICH_FIELDS:
        if name in values:
            setattr(block, name, sanitize_html(values[name] or ""))
    if "link_url" in values:
        block.link_url = validate_link(values["link_url"] or "")
    if block.link_url and not (block.link_label or "").strip():
        raise ValidationError({"link_label": _("Give the button a text.")})
    if items is not None:
        block.items = clean_stories(items)
    if image is not None:
        try:
            validate_upload(image, kinds=IMAGE_KINDS, max_bytes=IMAGE_MAX_BYTES)
        except ValidationError as error:
            raise ValidationError({"image": error.messages}) from error
        if block.image:
            block.image.delete(save=False)
        block.image.save(image.name, image, save=False)
    elif remove_image and block.image:
        block.image.delete(save=False)
    if is_enabled is not None:
        block.is_enabled = is_enabled
    block.save()
    if companies is not None:
        block.companies.set(companies)
    if products is not None:
        block.products.set(products)
    record(action="showroom.block_changed", tenant=current_tenant(), actor=actor, target=block)
    return block


@transaction.atomic
def move_block(*, actor, block: ShowroomBlock, direction: str) -> None:
    _require(actor)
    blocks = list(ShowroomBlock.objects.filter(page_id=block.page_id).order_by("position", "id"))
    for index, item in enumerate(blocks):
        item.position = index
    i = next(index for index, item in enumerate(blocks) if item.pk == block.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(blocks):
        blocks[i].position, blocks[j].position = blocks[j].position, blocks[i].position
    ShowroomBlock.objects.bulk_update(blocks, ["position"])


def set_block_shown(*, actor, block: ShowroomBlock, is_enabled: bool) -> ShowroomBlock:
    _require(actor)
    block.is_enabled = is_enabled
    block.save(update_fields=["is_enabled", "updated_at"])
    record(action="showroom.block_changed", tenant=current_tenant(), actor=actor, target=block,
           after={"is_enabled": is_enabled})
    return block


def delete_block(*, actor, block: ShowroomBlock) -> None:
    _require(actor)
    if block.image:
        block.image.delete(save=False)
    record(action="showroom.block_deleted", tenant=current_tenant(), actor=actor, target=block)
    block.delete()
