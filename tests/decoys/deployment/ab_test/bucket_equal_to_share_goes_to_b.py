"""Decoy for ab_test: sends a user to B when its bucket equals share_b, not only when below it.

caught_by: test_a_user_whose_bucket_equals_share_b_stays_in_a
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
    if isinstance(share_b, bool) or not isinstance(share_b, (int, float)) or not 0.0 <= share_b <= 1.0:
        raise ValueError(f"share_b must be a number from 0.0 to 1.0, got {share_b!r}")  # NaN fails too
    if not isinstance(salt, str) or not salt:
        raise ValueError("salt must be a non-empty string naming the experiment")
    if len(user_ids) != len(outcomes):
        raise ValueError(f"{len(user_ids)} user ids but {len(outcomes)} outcomes")

    def arm_of(user_id: str | int) -> str:
        # hash() is salted per process (PYTHONHASHSEED): a user would switch arms on every restart.
        digest = hashlib.sha256(f"{salt}:{user_id}".encode()).digest()
        bucket = int.from_bytes(digest[:8], "big") / 2**64  # uniform in [0, 1)
        return "B" if bucket <= share_b else "A"  # MISTAKE

    arms = [arm_of(user_id) for user_id in user_ids]
    result: dict[str, Any] = {"arms": arms}
    for arm in ("A", "B"):
        hits = [bool(outcome) for outcome, got in zip(outcomes, arms, strict=True) if got == arm]
        result[arm] = {
            "requests": len(hits),
            "successes": sum(hits),
            "rate": sum(hits) / len(hits) if hits else None,
        }

    a, b = result["A"], result["B"]
    z = p_value = None
    if a["requests"] and b["requests"]:
        pooled = (a["successes"] + b["successes"]) / (a["requests"] + b["requests"])
        spread = math.sqrt(pooled * (1 - pooled) * (1 / a["requests"] + 1 / b["requests"]))
        # Every outcome alike (pooled rate 0 or 1): no evidence of a difference at all.
        z = (b["rate"] - a["rate"]) / spread if spread else 0.0
        p_value = math.erfc(abs(z) / math.sqrt(2))  # two-sided: P(|N(0, 1)| >= |z|)
    return {**result, "z": z, "p_value": p_value}
