"""Decoy for redact_pii: needs fewer than 15 digits, so a 15-digit phone number stays.

caught_by: test_each_boundary_of_a_phone_number_capitals_and_a_name_inside_a_longer_name
"""

from __future__ import annotations

import re
from collections.abc import Sequence

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}")
# Digits in groups, separated by one space, dot or dash, one group maybe in parentheses; the
# length (7 to 15 digits) is checked on each match, below.
PHONE = re.compile(r"(?<![\w+])\+?(?:\(\d+\)|\d)(?:[ .-]?(?:\(\d+\)|\d))*(?!\w)")


def _phone(match: re.Match[str], mask: str) -> str:
    digits = sum(character.isdigit() for character in match.group())
    return mask if 7 <= digits < 15 else match.group()  # MISTAKE: 15 digits are a phone number


def redact_pii(
    texts: Sequence[str],
    names: Sequence[str] = (),
    *,
    mask: str = "[REDACTED]",
) -> list[str]:
    if any(not name.strip() for name in names):
        raise ValueError("a name is empty: it would match everywhere")
    # \b on both sides: whole words only; re.escape: "J.R." is literal, not "J, any, R, any".
    # Longest names first, so that "Ada Lovelace" is masked whole before "Ada".
    people = (
        re.compile(
            r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)", re.I
        )
        if names
        else None
    )
    redacted = []
    for text in texts:
        text = EMAIL.sub(mask, text)  # first: an address may hold a name or digits
        text = PHONE.sub(lambda match: _phone(match, mask), text)
        if people is not None:
            text = people.sub(mask, text)
        redacted.append(text)
    return redacted
