"""Kata: A/B testing of two deployed models (seed question 88).

Run the checks with:  pytest --katas ab_test
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any


def ab_test(
    user_ids: Sequence[str | int],
    outcomes: Sequence[bool],
    share_b: float,
    *,
    salt: str,
) -> dict[str, Any]:
    """Split the traffic between model A and model B by user, and test whether B does better.

    Each request comes from a user; every request of a user goes to the same arm, in every call
    and every process. The arm of a user: take ``hashlib.sha256(f"{salt}:{user_id}".encode())``,
    read the first 8 bytes of its digest as a big-endian unsigned integer and divide by ``2**64``
    (a bucket in [0, 1)); the user gets ``"B"`` if the bucket is below ``share_b``, else ``"A"``.
    So about ``share_b`` of the users see B, raising ``share_b`` only moves users from A to B,
    and each experiment (``salt``) splits the users independently.

    The outcomes are then compared with a two-sided two-proportion z-test with a pooled rate:
    ``p = (successes_A + successes_B) / (requests_A + requests_B)``,
    ``z = (rate_B - rate_A) / sqrt(p * (1 - p) * (1 / requests_A + 1 / requests_B))``, and the
    p-value is the probability that a standard normal is at least ``|z|`` away from 0.

    Args:
        user_ids: the user of each request, strings or ints (a user may appear many times).
        outcomes: whether each request succeeded (a click, a thumbs-up), one per request, as
            bools (or 0 / 1).
        share_b: the fraction of users to send to B, from 0.0 to 1.0, both included.
        salt: the experiment's name, a non-empty string.

    Returns:
        A dict: ``"arms"``, the arm (``"A"`` or ``"B"``) of each request, in order, as a list;
        ``"A"`` and ``"B"``, each a dict with that arm's ``"requests"`` (int), ``"successes"``
        (int) and ``"rate"`` (successes / requests, a float; None when the arm has no requests);
        ``"z"`` and ``"p_value"`` (floats; both None when an arm has no requests; when every
        outcome is the same, ``z`` is 0.0 and ``p_value`` 1.0: no evidence of a difference).

    The inputs are left unchanged. Nothing is printed.

    Raises:
        ValueError: if ``share_b`` is not a number from 0.0 to 1.0 (NaN or a bool neither),
            ``salt`` is not a non-empty string, or there are not as many outcomes as user ids.
    """
    # TODO: validate, assign each request's arm from its user's hash, count per arm, run the z-test.
    raise NotImplementedError
