"""Hidden checks: ab_test."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import random
import subprocess
import sys
from collections import Counter

import pytest

from pytest_tfkatas.harness import expect, expect_raises

BUCKET_TIP = (
    'bucket = int.from_bytes(hashlib.sha256(f"{salt}:{user_id}".encode()).digest()[:8], "big") / 2**64; '
    'the user gets "B" when bucket < share_b.'
)
Z_TIP = (
    "pooled = all successes / all requests; z = (rate_B - rate_A) / sqrt(pooled * (1 - pooled) * "
    "(1 / requests_A + 1 / requests_B)); two-sided p-value = math.erfc(abs(z) / math.sqrt(2))."
)


def arm_of(user_id, share_b: float, salt: str) -> str:
    """The contract's arm, computed another way: the first 16 hex digits of the digest."""
    bucket = int(hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:16], 16) / 2**64
    return "B" if bucket < share_b else "A"


def z_test(successes_a: int, requests_a: int, successes_b: int, requests_b: int) -> tuple[float, float]:
    """z and the two-sided p-value of the pooled two-proportion z-test, through the normal CDF."""
    pooled = (successes_a + successes_b) / (requests_a + requests_b)
    variance = pooled * (1 - pooled) * (requests_a + requests_b) / (requests_a * requests_b)
    z = (successes_b / requests_b - successes_a / requests_a) / math.sqrt(variance)
    normal_cdf = 0.5 * (1 + math.erf(abs(z) / math.sqrt(2)))
    return z, 2 * (1 - normal_cdf)


def users(count: int, seed: int = 0) -> list[str | int]:
    """``count`` distinct users, strings and ints mixed, in a shuffled order."""
    ids: list[str | int] = [f"user-{i}" if i % 3 else i * 7 for i in range(count)]
    random.Random(seed).shuffle(ids)
    return ids


def traffic(seed: int = 1) -> tuple[list[str | int], list[bool]]:
    """Requests of 400 users, most of them more than once, B succeeding more often than A."""
    rng = random.Random(seed)
    people = users(400, seed)
    ids = [rng.choice(people) for _ in range(1500)]
    outcomes = [rng.random() < (0.16 if arm_of(uid, 0.4, "exp-7") == "B" else 0.1) for uid in ids]
    return ids, outcomes


def expect_arms(kata, result, ids, expected: list[str], why: str) -> None:
    arms = result.get("arms") if isinstance(result, dict) else None
    if isinstance(arms, list) and len(arms) == len(expected):
        wrong = [(uid, got, want) for uid, got, want in zip(ids, arms, expected, strict=True) if got != want]
        got = f"{len(wrong)} of {len(ids)} requests in another arm, e.g. " + ", ".join(
            f"user {uid!r} in {got!r} (expected {want!r})" for uid, got, want in wrong[:3]
        )
    else:
        got = f"arms {arms!r:.160}" + (f" for {len(ids)} requests" if isinstance(arms, list) else "")
    expect(
        arms == expected and type(arms) is list,
        kata,
        got=got,
        expected=f"the arm of every request as a list, {why}",
        tip=BUCKET_TIP,
    )


def expect_nothing_printed(kata, capsys) -> None:
    printed = capsys.readouterr()
    expect(
        not printed.out and not printed.err,
        kata,
        got=f"printed {(printed.out + printed.err)[:120]!r}",
        expected="nothing printed: the result is returned",
    )


@pytest.mark.parametrize(
    ("share_b", "salt"),
    [(0.3, "exp-1"), (0.75, "new-model-v2"), (0.5, " A/B test: modèle été "), (0.5, " ")],
    ids=["exp-1", "new-model-v2", "salt with spaces, a colon and accents", "salt of one space"],
)
def test_each_user_gets_the_arm_of_its_salted_sha256_bucket(kata, share_b, salt):
    ids = users(300) + [f"josé-{i}" for i in range(20)] + [f"用户{i}" for i in range(20)]
    result = kata(ids, [True] * len(ids), share_b, salt=salt)
    expected = [arm_of(uid, share_b, salt) for uid in ids]
    expect_arms(
        kata, result, ids, expected, f"B where the bucket of sha256('{salt}:<user id>') is below {share_b}"
    )


def test_a_user_whose_bucket_equals_share_b_stays_in_a(kata):
    ids = users(600)
    edge = "user-494"  # its first 8 bytes end in 13 zero bits: its bucket is an exact float, 0.27306...
    share = int(hashlib.sha256(f"boundary:{edge}".encode()).hexdigest()[:16], 16) / 2**64
    result = kata(ids, [True] * len(ids), share, salt="boundary")
    expected = [arm_of(uid, share, "boundary") for uid in ids]
    expect_arms(
        kata,
        result,
        ids,
        expected,
        f"user {edge!r}, whose bucket is exactly share_b = {share!r}, in 'A': B takes the buckets below "
        "share_b only",
    )


def test_each_experiment_splits_the_users_independently(kata):
    ids = users(400)
    first = kata(ids, [False] * len(ids), 0.5, salt="exp-1")["arms"]
    second = kata(ids, [False] * len(ids), 0.5, salt="exp-2")["arms"]
    same = sum(a == b for a, b in zip(first, second, strict=False))
    expect(
        first != second and 0.4 * len(ids) < same < 0.6 * len(ids),
        kata,
        got=f"{same} of {len(ids)} users in the same arm for salt 'exp-1' and salt 'exp-2'",
        expected="two independent splits: about half the users in the same arm",
        tip="the salt goes into the hash: sha256(f'{salt}:{user_id}').",
    )


def test_the_same_user_gets_the_same_arm_in_every_call_and_every_process(kata):
    """Python's hash() of a string changes with every process (PYTHONHASHSEED): users would switch
    arms whenever the service restarts."""
    ids = users(60)
    requests = ids + ids[::-1] + ids[:10]
    arms = kata(requests, [True] * len(requests), 0.5, salt="exp-3")["arms"]
    per_user: dict[object, set[str]] = {}
    for uid, arm in zip(requests, arms, strict=False):
        per_user.setdefault(uid, set()).add(arm)
    split = [uid for uid, seen in per_user.items() if len(seen) > 1]
    expect(
        not split,
        kata,
        got=f"users sent to both arms in one call: {split[:4]}",
        expected="every request of a user sent to the same arm",
        tip=BUCKET_TIP,
    )
    again = kata(list(reversed(ids)), [False] * len(ids), 0.5, salt="exp-3")["arms"][::-1]
    expect(
        again == arms[: len(ids)],
        kata,
        got=f"a second call puts {sum(a != b for a, b in zip(again, arms, strict=False))} of {len(ids)} "
        "users in another arm",
        expected="the same arm for every user in every call",
        tip=BUCKET_TIP,
    )
    script = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('learner_ab_test', sys.argv[1])\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "ids = json.loads(sys.argv[2])\n"
        "print(json.dumps(getattr(module, 'ab_test')(ids, [True] * len(ids), 0.5, salt='exp-3')['arms']))\n"
    )
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-c", script, str(kata.file), json.dumps(ids)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        got = (
            json.loads(run.stdout.strip().splitlines()[-1])
            if run.returncode == 0 and run.stdout.strip()
            else None
        )
        expect(
            got == arms[: len(ids)],
            kata,
            got=f"in a new Python process (PYTHONHASHSEED={seed}) arms {got!r:.120}"
            + (f"; it failed: {run.stderr.strip().splitlines()[-1:]}" if run.returncode else ""),
            expected=f"the arms of this process, {arms[: len(ids)]!r:.120}",
            tip="hash() of a str is salted per process; hashlib.sha256 gives the same bucket everywhere.",
        )


def test_about_share_b_of_the_users_see_b_and_raising_it_only_moves_users_to_b(kata):
    ids = users(4000, seed=5)
    in_b: dict[float, set] = {}
    for share in (0.1, 0.5, 0.9):
        arms = kata(ids, [True] * len(ids), share, salt="ramp")["arms"]
        in_b[share] = {uid for uid, arm in zip(ids, arms, strict=False) if arm == "B"}
        fraction = len(in_b[share]) / len(ids)
        expect(
            abs(fraction - share) < 0.03,
            kata,
            got=f"{fraction:.3f} of {len(ids)} users in B",
            expected=f"about {share} of them (within 0.03)",
            tip=BUCKET_TIP,
        )
    moved_back = (in_b[0.1] - in_b[0.5]) | (in_b[0.5] - in_b[0.9])
    expect(
        not moved_back,
        kata,
        got=f"users in B at a small share_b but in A at a larger one: {sorted(map(str, moved_back))[:4]}",
        expected="a ramp-up that only moves users from A to B: B at share 0.1 stays B at 0.5 and 0.9",
        tip='compare one bucket per user with share_b: "B" when bucket < share_b.',
    )


@pytest.mark.parametrize(
    ("share_b", "arm"), [(0.0, "A"), (1.0, "B"), (0, "A"), (1, "B")], ids=["0.0", "1.0", "int 0", "int 1"]
)
def test_share_0_and_1_send_everyone_to_one_arm(kata, capsys, share_b, arm):
    ids = users(200)
    outcomes = [i % 4 == 0 for i in range(len(ids))]
    capsys.readouterr()
    result = kata(ids, outcomes, share_b, salt="edge")
    expect_arms(kata, result, ids, [arm] * len(ids), f"share_b={share_b!r} sends everyone to {arm}")
    other = "B" if arm == "A" else "A"
    wanted = {
        arm: {"requests": len(ids), "successes": sum(outcomes), "rate": sum(outcomes) / len(ids)},
        other: {"requests": 0, "successes": 0, "rate": None},
        "z": None,
        "p_value": None,
    }
    got = {key: result.get(key) for key in wanted}
    expect(
        got == wanted,
        kata,
        got=repr(got),
        expected=f"{wanted!r}: the empty arm has no rate, and there is nothing to test",
    )
    expect_nothing_printed(kata, capsys)


@pytest.mark.parametrize("arm", ["A", "B"])
def test_an_arm_that_gets_no_request_at_share_0_5_has_no_rate_and_no_test(kata, capsys, arm):
    few = [uid for uid in users(40) if arm_of(uid, 0.5, "few") == arm][:3]
    ids = few * 3
    outcomes = [i % 2 == 0 for i in range(len(ids))]
    capsys.readouterr()
    result = kata(ids, outcomes, 0.5, salt="few")
    other = "B" if arm == "A" else "A"
    wanted = {
        "arms": [arm] * len(ids),
        arm: {"requests": len(ids), "successes": sum(outcomes), "rate": sum(outcomes) / len(ids)},
        other: {"requests": 0, "successes": 0, "rate": None},
        "z": None,
        "p_value": None,
    }
    got = {key: result.get(key) for key in wanted} if isinstance(result, dict) else result
    expect(
        got == wanted,
        kata,
        got=repr(got),
        expected=f"{wanted!r}: users {few} all land in {arm!r}, so {other!r} has no requests, no rate and "
        "there is nothing to test",
        tip="decide from the counts, not from share_b: an arm can get no request at any share.",
    )
    expect_nothing_printed(kata, capsys)


def test_the_counts_rates_and_z_test_follow_the_pooled_formula(kata):
    ids, outcomes = traffic()
    result = kata(ids, outcomes, 0.4, salt="exp-7")
    arms = [arm_of(uid, 0.4, "exp-7") for uid in ids]
    requests = Counter(arms)
    successes = Counter(arm for arm, ok in zip(arms, outcomes, strict=True) if ok)
    for arm in ("A", "B"):
        wanted = {
            "requests": requests[arm],
            "successes": successes[arm],
            "rate": successes[arm] / requests[arm],
        }
        got = result.get(arm)
        ok = (
            isinstance(got, dict)
            and got.get("requests") == wanted["requests"]
            and got.get("successes") == wanted["successes"]
            and type(got.get("requests")) is int
            and type(got.get("successes")) is int
            and isinstance(got.get("rate"), float)
            and math.isclose(got["rate"], wanted["rate"], rel_tol=1e-12)
        )
        expect(
            ok,
            kata,
            got=f"result[{arm!r}] = {got!r}",
            expected=f"{wanted!r}: counted per request (every request of a user counts), ints and a "
            "float rate",
        )
    z, p_value = z_test(successes["A"], requests["A"], successes["B"], requests["B"])
    got_z, got_p = result.get("z"), result.get("p_value")
    expect(
        isinstance(got_z, float)
        and isinstance(got_p, float)
        and math.isclose(got_z, z, rel_tol=1e-9)
        and math.isclose(got_p, p_value, rel_tol=1e-9, abs_tol=1e-12),
        kata,
        got=f"z = {got_z!r}, p_value = {got_p!r}",
        expected=f"z = {z:.6f} (positive: B succeeds more often), two-sided p_value = {p_value:.6f}",
        tip=Z_TIP,
    )


@pytest.mark.parametrize("outcome", [True, False], ids=["every request succeeds", "every request fails"])
def test_when_every_outcome_is_the_same_z_is_0_and_p_is_1(kata, capsys, outcome):
    ids = users(100)
    capsys.readouterr()
    result = kata(ids, [outcome] * len(ids), 0.5, salt="same")
    got = (result.get("z"), result.get("p_value"))
    expect(
        got == (0.0, 1.0),
        kata,
        got=f"z = {got[0]!r}, p_value = {got[1]!r}",
        expected="z = 0.0 and p_value = 1.0: both arms alike, no evidence of a difference (the pooled "
        "standard error is 0)",
        tip="when the pooled rate is 0 or 1 the standard error is 0: return 0.0 and 1.0 rather than divide.",
    )
    expect_nothing_printed(kata, capsys)


def test_tuples_and_0_1_outcomes_are_taken_and_the_inputs_left_unchanged(kata, capsys):
    ids, outcomes = traffic(seed=2)
    as_ints = [int(ok) for ok in outcomes]
    ids_before, outcomes_before = copy.deepcopy(ids), copy.deepcopy(as_ints)
    capsys.readouterr()
    from_lists = kata(ids, as_ints, 0.4, salt="exp-7")
    unchanged = [
        before == after and list(map(type, before)) == list(map(type, after))
        for before, after in ((ids_before, ids), (outcomes_before, as_ints))
    ]
    which, now, then = (
        ("user ids", ids, ids_before) if not unchanged[0] else ("outcomes", as_ints, outcomes_before)
    )
    expect(
        all(unchanged),
        kata,
        got=f"the {which} changed by the call, now starting {now[:5]!r}",
        expected=f"the inputs left as they were, starting {then[:5]!r}",
    )
    from_tuples = kata(tuple(ids), tuple(outcomes), 0.4, salt="exp-7")
    expect(
        from_tuples == from_lists,
        kata,
        got=f"with tuples of bools: {from_tuples!r:.200}",
        expected=f"what lists of 0 / 1 give: {from_lists!r:.200}",
    )
    expect_nothing_printed(kata, capsys)


def test_no_requests_give_empty_arms(kata, capsys):
    capsys.readouterr()
    result = kata([], (), 0.5, salt="quiet")
    wanted = {
        "arms": [],
        "A": {"requests": 0, "successes": 0, "rate": None},
        "B": {"requests": 0, "successes": 0, "rate": None},
        "z": None,
        "p_value": None,
    }
    expect(result == wanted, kata, got=repr(result), expected=repr(wanted))
    expect_nothing_printed(kata, capsys)


@pytest.mark.parametrize(
    ("ids", "outcomes", "share_b", "salt", "because"),
    [
        (["u1"], [True], -0.01, "exp", "share_b is a fraction from 0.0 to 1.0"),
        (["u1"], [True], 1.01, "exp", "share_b is a fraction from 0.0 to 1.0"),
        (["u1"], [True], float("nan"), "exp", "NaN is no fraction"),
        (["u1"], [True], True, "exp", "a bool is no fraction"),
        (["u1"], [True], "0.5", "exp", "share_b is a number"),
        (["u1"], [True], 0.5, "", "the salt names the experiment: it may not be empty"),
        (["u1"], [True], 0.5, None, "the salt names the experiment: a string"),
        (["u1"], [True], 0.5, 7, "the salt names the experiment: a string, not a number"),
        (["u1", "u2"], [True], 0.5, "exp", "each request needs its outcome"),
        (["u1"], [True, False], 0.5, "exp", "each outcome needs its request"),
    ],
    ids=[
        "share below 0",
        "share above 1",
        "NaN share",
        "bool share",
        "str share",
        "empty salt",
        "no salt",
        "int salt",
        "fewer outcomes",
        "more outcomes",
    ],
)
def test_bad_input_raises_value_error(kata, ids, outcomes, share_b, salt, because):
    expect_raises(kata, ValueError, ids, outcomes, share_b, salt=salt, because=because)
