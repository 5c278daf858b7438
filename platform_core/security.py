"""Cleaning user-supplied HTML on the way in, so that what is stored is already inert."""

from __future__ import annotations

import nh3

# What rich-text fields (descriptions, messages, pages) may keep: structure and links, no
# scripts, styles, frames, forms, images from elsewhere or event handlers.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "pre",
    "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_REL = "noopener noreferrer nofollow"


def sanitize_html(html: str | None) -> str:
    """Return ``html`` with only the allowed tags and attributes, links made safe.

    Disallowed tags are dropped with their content when it is code (script, style) and
    unwrapped otherwise; ``javascript:`` and other unlisted URL schemes are removed;
    every link gets ``rel="noopener noreferrer nofollow"``.
    """
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def safe_redirect_target(request, target: str | None, *, default: str = "/") -> str:
    """``target`` if it is a path or URL on this very host, else ``default``.

    Refuses other hosts (``//evil.example``), other schemes (``javascript:``) and any
    control character, so that a crafted ``next`` cannot split the Location header.
    """
    from django.utils.http import url_has_allowed_host_and_scheme

    if not target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target) or "\\" in target:
        return default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
