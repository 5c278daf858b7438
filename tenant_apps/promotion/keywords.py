"""How sponsored keywords and search queries are reduced to comparable words.

The folding is the directory search's (lower case, accents removed: ``comptoir_fold``
in SQL, ``fold`` here), so "Fraiseuse" and "fraiseuse" and "FRAISEUSE" are one
keyword. Hyphenated words count as their parts: "machine-outil" is "machine" and
"outil". A keyword matches a query holding every one of its words, in any order.
"""

from __future__ import annotations

import re

from tenant_apps.directory.search.folding import fold

_WORD = re.compile(r"[a-z0-9]+")
MAX_KEYWORD_WORDS = 6
MAX_QUERY_WORDS = 12
MAX_WORD_LENGTH = 60


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text or "")):
        seen.setdefault(word[:MAX_WORD_LENGTH], None)
    return list(seen)


def query_words(query: str) -> list[str]:
    return words(query)[:MAX_QUERY_WORDS]


def normalised(keyword: str) -> str:
    """The keyword as shown and compared: its folded words separated by single spaces."""
    return " ".join(words(keyword))
