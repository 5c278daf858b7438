"""Accent folding shared by the database (SQL function) and Python (query parsing).

The embedded PostgreSQL of a newcomer's machine has no ``unaccent`` extension, so the
folding is a plain ``translate()`` over Latin-1 and Latin Extended-A: the same result
everywhere, and IMMUTABLE, so it can back indexes.
"""

from __future__ import annotations

import unicodedata

LIGATURES = {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss"}


def _pairs() -> tuple[str, str]:
    accented, plain = [], []
    for code in range(0x00C0, 0x0180):
        char = chr(code)
        if char in LIGATURES:
            continue
        base = unicodedata.normalize("NFKD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            accented.append(char)
            plain.append(base)
    # Letters with a stroke do not decompose; fold them by hand.
    for char, base in (("Ø", "O"), ("ø", "o"), ("Đ", "D"), ("đ", "d"), ("Ł", "L"), ("ł", "l"), ("Ħ", "H"), ("ħ", "h"), ("Ŧ", "T"), ("ŧ", "t"), ("ı", "i")):
        accented.append(char)
        plain.append(base)
    return "".join(accented), "".join(plain)


ACCENTED, PLAIN = _pairs()
_TABLE = str.maketrans(ACCENTED, PLAIN)


def fold(text: str) -> str:
    """Lower-case ``text`` without accents, exactly as ``comptoir_fold()`` does in SQL."""
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    return text.translate(_TABLE).lower()


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def fold_function_sql() -> str:
    replaced = "$1"
    for ligature, letters in LIGATURES.items():
        replaced = f"replace({replaced}, {_sql_literal(ligature)}, {_sql_literal(letters)})"
    return (
        "CREATE OR REPLACE FUNCTION public.comptoir_fold(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT lower(translate("
        f"{replaced}, {_sql_literal(ACCENTED)}, {_sql_literal(PLAIN)})) $$"
    )
