"""Alternative: the bucket from the hex digest, the counts with collections.Counter, and the
p-value from statistics.NormalDist."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any


def _bucket(salt: str, user_id: str | int) -> float:
    return int(hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:16], 16) / 2**64


def ab_test(
    user_ids: Sequence[str | int],
    outcomes: Sequence[bool],
    share_b: float,
    *,
    salt: str,
) -> dict[str, Any]:
    if type(share_b) not in (int, float) or math.isnan(share_b) or not 0 <= share_b <= 1:
        raise ValueError("share_b must lie in [0, 1]")
    if type(salt) is not str or salt == "":
        raise ValueError("salt must be a non-empty string")
    if len(outcomes) != len(user_ids):
        raise ValueError("one outcome per user id, please")
    arms = ["B" if _bucket(salt, uid) < share_b else "A" for uid in user_ids]
    requests = Counter(arms)
    successes = Counter(arm for arm, outcome in zip(arms, outcomes, strict=True) if outcome)
    result: dict[str, Any] = {"arms": arms, "z": None, "p_value": None}
    for arm in "AB":
        n = requests[arm]
        result[arm] = {"requests": n, "successes": successes[arm], "rate": successes[arm] / n if n else None}
    n_a, n_b = requests["A"], requests["B"]
    if n_a == 0 or n_b == 0:
        return result
    pooled = (successes["A"] + successes["B"]) / (n_a + n_b)
    if pooled in (0.0, 1.0):
        result.update(z=0.0, p_value=1.0)
        return result
    z = (result["B"]["rate"] - result["A"]["rate"]) / math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    result.update(z=z, p_value=2 * (1 - NormalDist().cdf(abs(z))))
    return result
