"""Hidden checks: redact_pii."""

from __future__ import annotations

import pytest

from pytest_tfkatas.harness import describe, expect, expect_raises

M = "[REDACTED]"

#: (text, what it becomes with the names Ada, "Grace Hopper" and J.R.)
CASES = [
    ("Write to ada.lovelace+ml@example.co.uk today.", f"Write to {M} today."),
    ("Mail x_y%z-1@mail.example-site.org, not @handle or a@b.", f"Mail {M}, not @handle or a@b."),
    ("Call +44 20 7946 0958 or (555) 123-4567.", f"Call {M} or {M}."),
    ("Fax 555.123.4567, mobile 0612345678, +1 (555) 123 4567.", f"Fax {M}, mobile {M}, {M}."),
    (
        "Room 101, year 2024, version 1.2.3, pin 12345, 12-34.",
        "Room 101, year 2024, version 1.2.3, pin 12345, 12-34.",
    ),
    ("Ada met ADA and Adam; Ada's notes.", f"{M} met {M} and Adam; {M}'s notes."),
    ("Grace Hopper and grace hopper, not Graceland.", f"{M} and {M}, not Graceland."),
    ("J.R. met JXR and J.R.R.", f"{M} met JXR and J.R.R."),
    ("JaRb and J-R- signed.", "JaRb and J-R- signed."),
    ("Nothing personal here.", "Nothing personal here."),
    ("", ""),
]
NAMES = ["Ada", "Grace Hopper", "J.R."]


def test_emails_phones_and_names_are_masked_and_nothing_else(kata):
    texts = [text for text, _ in CASES]
    given = list(texts)
    result = kata(texts, list(NAMES))
    expect(
        isinstance(result, list) and len(result) == len(texts),
        kata,
        got=describe(result),
        expected=f"a list of {len(texts)} texts",
    )
    for (text, wanted), got in zip(CASES, result, strict=True):
        expect(
            got == wanted,
            kata,
            got=f"{text!r} -> {got!r}",
            expected=f"{wanted!r}",
            tip="e-mails first (masked whole), then phone numbers of 7 to 15 digits, then the names as "
            "whole words, any case, with re.escape (a name's '.' is a dot).",
        )
    expect(
        texts == given, kata, got=f"the texts changed to {texts!r}", expected="the caller's list as it was"
    )


def test_another_mask_a_tuple_and_no_names(kata):
    texts = ("Ada: ada@example.com, +33 6 12 34 56 78", "Ada again")
    result = kata(texts, mask="<PII>")
    wanted = ["Ada: <PII>, <PII>", "Ada again"]
    expect(
        result == wanted,
        kata,
        got=describe(result),
        expected=f"{wanted}: the mask given, and no name masked when no name is given",
    )
    result = kata(texts, ("ada",), mask="*")
    wanted = ["*: *, *", "* again"]
    expect(result == wanted, kata, got=describe(result), expected=f"{wanted}: names in any case")
    result = kata(texts, ["ada"], mask=r"\*\g<0>")
    wanted = [r"\*\g<0>: \*\g<0>, \*\g<0>", r"\*\g<0> again"]
    expect(
        result == wanted,
        kata,
        got=describe(result),
        expected=f"{wanted}: the mask as it is, backslashes included",
        tip="re.sub reads backslashes and group references in a replacement string: pass a function, "
        "pattern.sub(lambda match: mask, text).",
    )


#: (text, what it becomes with the names "ada" and "Ada Lovelace", tip): the shorter name comes first,
#: in order of the names as given and in reverse alphabetical order too.
EDGES = [
    (
        "Code 123456 and 123-4567.",
        f"Code 123456 and {M}.",
        "6 digits are not a phone number, 7 are: 7 to 15 digits, both included.",
    ),
    (
        "+123 456 789 012 345 and 1234 5678 9012 3456.",
        f"{M} and 1234 5678 9012 3456.",
        "15 digits are a phone number, 16 are not: 7 to 15 digits, both included.",
    ),
    (
        "Reply to Bob.Smith@Example.ORG.",
        f"Reply to {M}.",
        "an address may hold capitals: letters are A-Z and a-z.",
    ),
    (
        "Ada Lovelace wrote to Ada.",
        f"{M} wrote to {M}.",
        "mask the longest name whole: try longer names first (sorted by length).",
    ),
]


@pytest.mark.parametrize(
    ("text", "wanted", "tip"), EDGES, ids=["7 digits", "15 digits", "capitals", "longer name"]
)
def test_each_boundary_of_a_phone_number_capitals_and_a_name_inside_a_longer_name(kata, text, wanted, tip):
    result = kata([text], ["ada", "Ada Lovelace"])
    expect(result == [wanted], kata, got=describe(result), expected=f"{[wanted]}", tip=tip)


@pytest.mark.parametrize("names", [["Ada", ""], ["  "]], ids=["an empty name", "a name of spaces"])
def test_an_empty_name_raises_value_error(kata, names):
    expect_raises(kata, ValueError, ["Ada"], names, because="an empty name would match everywhere")
