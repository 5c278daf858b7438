"""Company registration number formats by country, where we know them.

``check_format(country, number)`` returns ``(scheme, is_valid)`` or None when we do not
know the country's format: an unknown format is no reason for a finding.
"""

from __future__ import annotations

import re


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def compact(number: str) -> str:
    return re.sub(r"[\s.\-/]", "", number or "").upper()


def _france(number):
    digits = compact(number)
    if re.fullmatch(r"\d{9}", digits):
        return "SIREN", luhn_ok(digits)
    if re.fullmatch(r"\d{14}", digits):
        return "SIRET", luhn_ok(digits)
    return "SIREN/SIRET", False


def _belgium(number):
    digits = compact(number)
    if re.fullmatch(r"\d{9}", digits):
        digits = "0" + digits
    if not re.fullmatch(r"[01]\d{9}", digits):
        return "BCE/KBO", False
    return "BCE/KBO", 97 - int(digits[:8]) % 97 == int(digits[8:])


def _senegal(number):
    # NINEA: seven to nine digits, optionally followed by the three-character COFI code.
    return "NINEA", bool(re.fullmatch(r"\d{7,9}([0-9][A-Z][0-9])?", compact(number)))


def _morocco(number):
    value = compact(number)
    if re.fullmatch(r"\d{15}", value):
        return "ICE", True
    return "RC/ICE", bool(re.fullmatch(r"(RC)?\d{1,7}", value))


def _ivory_coast(number):
    value = re.sub(r"\s", "", (number or "").upper())
    return "RCCM", bool(re.fullmatch(r"CI-[A-Z]{2,4}(-\d{2})?-\d{4}-[A-Z]\d{0,2}-\d{1,6}", value))


def _tunisia(number):
    return "RNE", bool(re.fullmatch(r"\d{7}[A-Z]", compact(number)))


def _canada(number):
    digits = compact(number)
    if re.fullmatch(r"\d{10}", digits):
        return "NEQ", digits[:2] in {"11", "22", "33", "44", "55", "88"}
    if re.fullmatch(r"\d{9}(RC\d{4})?", digits):
        return "BN", luhn_ok(digits[:9])
    return "NEQ/BN", False


FORMATS = {"FR": _france, "BE": _belgium, "SN": _senegal, "MA": _morocco, "CI": _ivory_coast, "TN": _tunisia,
           "CA": _canada}


def check_format(country: str, number: str) -> tuple[str, bool] | None:
    checker = FORMATS.get(str(country or "").upper())
    if checker is None or not (number or "").strip():
        return None
    return checker(number)
