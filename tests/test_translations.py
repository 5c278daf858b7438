"""The French catalogue is complete and compiled, and pages follow the visitor's language.

The catalogue is read with the standard library only (no polib, no gettext tools), so
the suite runs on a fresh clone. The committed .mo must hold exactly what the .po
says: a .po edited without running compilemessages fails here.
"""

from __future__ import annotations

import ast
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
FR_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
FR_MO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.mo"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid[:60]!r}"


def parse_po(path: Path) -> list[Entry]:
    """A small reader for the PO files that makemessages writes (obsolete entries skipped)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    pending_flags: set[str] = set()

    def finish():
        nonlocal entry
        if entry is not None:
            entries.append(entry)
        entry = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            finish()
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if keyword:
            name, index, text = keyword.group(1), keyword.group(2), ast.literal_eval(keyword.group(3))
            if name in ("msgctxt", "msgid") and (entry is None or entry.msgstr):
                finish()
            if entry is None:
                entry = Entry(flags=pending_flags, line=number)
                pending_flags = set()
            if name.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = text
            else:
                target = (name, 0)
                setattr(entry, name, text)
            continue
        assert line.startswith('"') and entry is not None and target is not None, f"{path}:{number}: cannot read {raw!r}"
        text = ast.literal_eval(line)
        if target[0] == "msgstr":
            entry.msgstr[target[1]] += text
        else:
            setattr(entry, target[0], getattr(entry, target[0]) + text)
    finish()
    return entries


def read_mo(path: Path) -> dict[str, str]:
    """Every (key, value) pair of a compiled catalogue, as gettext stores them."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _revision, count, ids_at, strs_at = struct.unpack(order + "4I", data[4:20])
    catalogue = {}
    for i in range(count):
        id_length, id_offset = struct.unpack(order + "2I", data[ids_at + 8 * i: ids_at + 8 * i + 8])
        str_length, str_offset = struct.unpack(order + "2I", data[strs_at + 8 * i: strs_at + 8 * i + 8])
        key = data[id_offset: id_offset + id_length].decode("utf-8")
        catalogue[key] = data[str_offset: str_offset + str_length].decode("utf-8")
    return catalogue


def mo_key_and_value(entry: Entry) -> tuple[str, str]:
    key = entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\x00{entry.msgid_plural}"
    if entry.msgctxt is not None:
        key = f"{entry.msgctxt}\x04{key}"
    value = "\x00".join(entry.msgstr[i] for i in sorted(entry.msgstr))
    return key, value


PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|\{\{.*?\}\}")


@pytest.fixture(scope="module")
def french() -> tuple[Entry, list[Entry]]:
    entries = parse_po(FR_PO)
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return header, [e for e in entries if e is not header]


def test_french_catalogue_header(french):
    header, _entries = french
    text = header.msgstr[0]
    assert "fuzzy" not in header.flags
    assert "Language: fr\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in text


def test_every_french_entry_is_translated_and_checked(french):
    _header, entries = french
    assert len(entries) > 300
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    untranslated = [e.label for e in entries if not e.msgstr or not all(s.strip() for s in e.msgstr.values())]
    assert not fuzzy and not untranslated, (
        f"locale/fr/LC_MESSAGES/django.po: fuzzy entries {fuzzy}, untranslated entries {untranslated}"
    )
    for entry in entries:
        if entry.msgid_plural is not None:
            assert sorted(entry.msgstr) == [0, 1], entry.label


def test_french_translations_keep_every_placeholder(french):
    _header, entries = french
    for entry in entries:
        for form, translation in entry.msgstr.items():
            source = entry.msgid if form == 0 or entry.msgid_plural is None else entry.msgid_plural
            expected = sorted(PLACEHOLDER.findall(source))
            assert sorted(PLACEHOLDER.findall(translation)) == expected, entry.label


def test_compiled_french_catalogue_matches_the_po(french):
    header, entries = french
    compiled = read_mo(FR_MO)
    expected = dict(mo_key_and_value(e) for e in entries)
    stale = sorted(key for key, value in expected.items() if compiled.get(key) != value)
    extra = sorted(key for key in compiled if key and key not in expected)
    assert not stale and not extra, (
        "locale/fr/LC_MESSAGES/django.mo is out of date: run compilemessages and commit the .mo "
        f"(differs: {stale[:5]}, only in .mo: {extra[:5]})"
    )
    assert "Language: fr" in compiled[""]


def test_programme_home_follows_accept_language(alpha):
    french_page = alpha.client().get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in french_page
    assert "Aller au contenu principal" in french_page
    assert "Ce que propose le programme" in french_page
    assert "Skip to main content" not in french_page

    english_page = alpha.client().get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").content.decode()
    assert '<html lang="en"' in english_page
    assert "What the programme offers" in english_page


def test_language_cookie_wins_over_the_browser(alpha):
    client = alpha.client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in page
    assert "Skip to main content" in page and "What the programme offers" in page
    assert "Aller au contenu principal" not in page


def test_english_first_programme_speaks_french_when_asked(beta):
    page = beta.client().get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="fr"' in page and "Aller au contenu principal" in page
