"""Where other apps plug in their personal data: what a copy contains, what erasure does.

An export section is ``fn(*, user, tenant) -> list[dict]`` (rows of plain values); an
erasure handler is ``fn(*, user, tenant) -> None`` that deletes the person's rows or, where
other people depend on them (messages, inquiries), anonymises them. Both run inside the
tenant's schema. Register them from the app's ``AppConfig.ready()``::

    @export_section("messages")
    def my_messages(*, user, tenant): ...

    @erasure_handler
    def forget_messages(*, user, tenant): ...
"""

from __future__ import annotations

from collections.abc import Callable

ExportSection = Callable[..., list[dict]]
ErasureHandler = Callable[..., None]

_export_sections: dict[str, ExportSection] = {}
_erasure_handlers: list[ErasureHandler] = []


def export_section(name: str):
    def decorator(fn: ExportSection) -> ExportSection:
        _export_sections[name] = fn
        return fn

    return decorator


def erasure_handler(fn: ErasureHandler) -> ErasureHandler:
    if fn not in _erasure_handlers:
        _erasure_handlers.append(fn)
    return fn


def export_sections() -> dict[str, ExportSection]:
    return dict(_export_sections)


def erasure_handlers() -> list[ErasureHandler]:
    return list(_erasure_handlers)
