"""Integrity checks of a class's kata files: a learner's file much like the reference solution, or
two learners' files much like each other. No pytest.

The comparison is copydetect's (a maintained implementation of the winnowing fingerprints that
MOSS uses): it tokenizes the code with pygments, replaces every name by one placeholder and drops
comments and layout, then compares fingerprints of 25-token windows. The stub's own code (its
signature and docstring) is boilerplate: learners all share it, so it never counts as alike.
"""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Mapping

from pytest_tfkatas.gradebook import Flag

__all__ = ["NOISE_TOKENS", "alike"]

#: Matches shorter than this many tokens are noise (copydetect's k): one line in common is no flag.
NOISE_TOKENS = 25


def _fingerprint(code: str, boilerplate: object = None) -> object:
    from copydetect import CodeFingerprint

    # copydetect logs a warning for a file with too little code to fingerprint: not our reader's
    # concern, so it is kept out of the run's output.
    logger = logging.getLogger("copydetect")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return CodeFingerprint("kata.py", NOISE_TOKENS, 1, boilerplate=boilerplate, fp=io.StringIO(code))
    finally:
        logger.setLevel(level)


def similarity(first: object, second: object) -> float:
    """The larger of the two shares of matching tokens: a copy with lines added still matches."""
    from copydetect import compare_files

    _, shares, _ = compare_files(first, second)
    return float(max(shares))


def alike(
    kata: str,
    files: Mapping[str, str],
    *,
    stub: str | None,
    reference: str | None,
    threshold: float,
) -> list[Flag]:
    """The flags of one kata: ``files`` maps each learner to the text of their file (only files
    that differ from the stub belong here); ``stub`` is shared boilerplate; ``reference`` is the
    reference solution (None where this installation has none)."""
    import numpy as np

    boilerplate = None
    if stub is not None:
        hashes = getattr(_fingerprint(stub), "hashes", None)
        boilerplate = np.array(sorted(hashes)) if hashes is not None and len(hashes) else None
    prints = {learner: _fingerprint(text, boilerplate) for learner, text in files.items()}
    flags: list[Flag] = []
    if reference is not None:
        solution = _fingerprint(reference, boilerplate)
        for learner, print_ in prints.items():
            share = similarity(print_, solution)
            if share >= threshold:
                flags.append(Flag(kata, learner, "reference", share))
    for (first, one), (second, other) in itertools.combinations(sorted(prints.items()), 2):
        share = similarity(one, other)
        if share >= threshold:
            flags.append(Flag(kata, first, second, share))
    return flags
