"""Hidden checks: top_p_filter."""

from __future__ import annotations

import math

import pytest
import torch
from transformers import TopPLogitsWarper

from pytest_tfkatas.harness import describe, expect, expect_raises

INF = float("-inf")


def random_logits(batch: int, vocab: int, seed: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    # Rows of different scales: a nucleus worked out over the whole batch cannot pass for each row's.
    scales = torch.linspace(0.5, 3.0, batch).unsqueeze(1)
    return (torch.randn(batch, vocab, generator=generator) * scales + scales).to(dtype)


def warper(logits: torch.Tensor, p: float, filter_value: float = INF) -> torch.Tensor:
    return TopPLogitsWarper(p, filter_value=filter_value)(None, logits.clone())


def nucleus_sizes(logits: torch.Tensor, p: float, margin: float = 1e-5) -> list[int]:
    """How many tokens each row keeps, worked out in float64, most probable first; each row's
    probability mass at the cut must be ``margin`` away from p, so that any precision agrees
    (half precision's softmax is off by some 1e-3)."""
    sizes = []
    for row in torch.softmax(logits.double(), dim=-1):
        ranked = sorted(row.tolist(), reverse=True)
        if p == 1.0:
            sizes.append(sum(1 for value in ranked if value > 0))
            continue
        total, size = 0.0, 0
        while size == 0 or (total < p and ranked[size] > 0):
            total += ranked[size]
            size += 1
        assert all(abs(sum(ranked[:n]) - p) > margin for n in range(1, len(ranked) + 1)), "p too near a cut"
        sizes.append(size)
    return sizes


def p_away_from_cuts(logits: torch.Tensor, around: float) -> float:
    """A p near ``around`` as far as can be from every row's cumulative probabilities (float64)."""
    ranked = torch.softmax(logits.double(), dim=-1).sort(dim=-1, descending=True).values
    cuts = ranked.cumsum(dim=-1).flatten()
    candidates = torch.linspace(around - 0.1, around + 0.1, 201, dtype=torch.float64)
    distance = (candidates.unsqueeze(1) - cuts.unsqueeze(0)).abs().min(dim=1).values
    return round(float(candidates[distance.argmax()]), 4)


def show(tensor: object) -> str:
    if isinstance(tensor, torch.Tensor):
        values = [[round(v, 4) for v in row] for row in tensor.float().tolist()]
        return f"{describe(tensor)} {values}"
    return describe(tensor)


def call(kata, logits: torch.Tensor, p: float, **kwargs) -> torch.Tensor:
    """Call the kata; check what every answer must be: a new tensor of the logits' shape and dtype,
    the logits unchanged."""
    __tracebackhide__ = True
    before = logits.clone()
    out = kata(logits, p, **kwargs)
    expect(isinstance(out, torch.Tensor), kata, got=describe(out), expected="a tensor of the logits' shape")
    expect(
        out.shape == logits.shape and out.dtype == logits.dtype,
        kata,
        got=describe(out),
        expected=f"{describe(logits)}: the logits' shape and dtype",
        tip="work out the probabilities in any precision, but filter the logits themselves (masked_fill or "
        "torch.where): no conversion of the result.",
    )
    expect(
        torch.equal(logits, before),
        kata,
        got=f"the caller's logits changed to {show(logits)} (they were {show(before)})",
        expected="the caller's logits left as they were",
        tip="build a new tensor (masked_fill, torch.where) rather than assigning into logits[...].",
    )
    expect(
        out is not logits and out.data_ptr() != logits.data_ptr(),
        kata,
        got="the caller's own tensor (or a view of it) returned",
        expected="a new tensor",
    )
    return out


def counts_tip(out: torch.Tensor, filter_value: float, sizes: list[int]) -> str | None:
    got = (out != filter_value).sum(dim=-1).tolist()
    if got == sizes:
        return None
    return (
        f"each row keeps {sizes} tokens here, not {got}: ranked most probable first, a token is kept while "
        "the tokens before it add up to less than p (reaching p exactly is enough), and the first always."
    )


def check(kata, logits: torch.Tensor, p: float, expected: torch.Tensor, what: str, **kwargs) -> None:
    """The kata's answer must equal ``expected`` bit for bit (no ties at the cut)."""
    __tracebackhide__ = True
    out = call(kata, logits, p, **kwargs)
    filter_value = kwargs.get("filter_value", INF)
    sizes = (expected != filter_value).sum(dim=-1).tolist()
    expect(
        torch.equal(out, expected),
        kata,
        got=show(out),
        expected=f"{show(expected)} ({what})",
        tip=counts_tip(out, filter_value, sizes),
    )


def check_sizes(kata, logits: torch.Tensor, p: float, sizes: list[int], what: str, **kwargs) -> None:
    """Equal probabilities straddle the cut: the number kept per row is fixed, not which; the kept
    tokens must be as probable as any dropped one, and keep their logits."""
    __tracebackhide__ = True
    out = call(kata, logits, p, **kwargs)
    filter_value = kwargs.get("filter_value", INF)
    kept = out != filter_value
    ok = kept.sum(dim=-1).tolist() == sizes and torch.equal(out[kept], logits[kept])
    for row, row_kept in zip(logits, kept, strict=True):
        if ok and not row_kept.all():
            ok = bool(row[row_kept].min() >= row[~row_kept].max())
    expect(
        ok,
        kata,
        got=show(out),
        expected=f"the {sizes} most probable tokens of each row kept, as they were, the others "
        f"{filter_value} ({what}; equal probabilities at the cut: which of them are kept is up to you)",
        tip=counts_tip(out, filter_value, sizes),
    )


@pytest.mark.parametrize(("batch", "vocab", "seed"), [(1, 7, 0), (3, 50, 1), (4, 9, 2)])
def test_the_same_logits_as_transformers_top_p_warper_keeps(kata, batch, vocab, seed):
    logits = random_logits(batch, vocab, seed)
    for p in (0.1, 0.5, 0.8, 0.95):
        expected = warper(logits, p)
        assert (expected != INF).sum(dim=-1).tolist() == nucleus_sizes(logits, p)
        check(kata, logits, p, expected, f"TopPLogitsWarper({p}) on random logits")


def test_reaching_p_exactly_is_enough(kata):
    """Equal logits give exact probabilities (1/4, 1/8), so the mass reaches p exactly."""
    logits = torch.tensor([[0.0] * 4 + [INF] * 4, [0.0] * 8])
    for p, sizes in ((0.5, [2, 4]), (0.75, [3, 6]), (0.375, [2, 3]), (0.25, [1, 2]), (0.625, [3, 5])):
        assert (warper(logits, p) != INF).sum(dim=-1).tolist() == sizes
        check_sizes(kata, logits, p, sizes, f"probabilities 1/4 and 1/8, p={p}")


def test_tokens_of_equal_probability_count_one_by_one(kata):
    logits = torch.tensor(
        [
            [3.0, 0.0, 3.0, 1.0, 0.0, 1.0, 1.0, 0.0],
            [1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0],
            [2.0, 2.0, 2.0, 2.0, 0.0, 2.0, 2.0, 2.0],
        ]
    )
    for p in (0.3, 0.6, 0.8, 0.99):
        sizes = nucleus_sizes(logits, p)
        assert (warper(logits, p) != INF).sum(dim=-1).tolist() == sizes
        check_sizes(kata, logits, p, sizes, f"p={p}, equal logits inside and across the cut")


@pytest.mark.parametrize("p", [1e-9, 2.0**-30, 0.01])
def test_the_most_probable_token_is_always_kept(kata, p):
    logits = random_logits(4, 30, 7)
    expected = logits.masked_fill(logits < logits.max(dim=-1, keepdim=True).values, INF)
    assert torch.equal(warper(logits, p), expected)
    check(kata, logits, p, expected, f"p={p}: only each row's most probable token")


def test_p_of_one_keeps_every_token_but_those_of_probability_zero(kata):
    logits = random_logits(3, 12, 8)
    check(kata, logits, 1.0, logits.clone(), "p=1.0: every token kept")
    logits[0, [1, 5]] = INF
    logits[2, :11] = INF
    for p in (1.0, 0.9):
        expected = warper(logits, p, -100.0)
        assert (expected[0, [1, 5]] == -100.0).all() and (expected[2, :11] == -100.0).all()
        assert (expected != -100.0).sum(dim=-1).tolist() == nucleus_sizes(logits, p)
        check(
            kata, logits, p, expected, f"p={p}: -inf logits get the filter value -100.0", filter_value=-100.0
        )
    check(kata, logits, 1.0, logits.clone(), "p=1.0, filter value -inf: nothing changes")


@pytest.mark.parametrize("filter_value", [-1e4, 0.0, -0.5])
def test_logits_outside_the_nucleus_become_the_filter_value_given(kata, filter_value):
    logits = random_logits(3, 8, 4)
    check(
        kata,
        logits,
        0.6,
        warper(logits, 0.6, filter_value),
        f"p=0.6, filter_value={filter_value}",
        filter_value=filter_value,
    )


def test_each_row_of_a_batch_is_filtered_on_its_own(kata):
    logits = random_logits(4, 20, 9)
    logits[1] = logits[1] * 6  # a peaked row: a small nucleus
    logits[3] = logits[3] / 6  # a flat row: a large one
    expected = torch.cat([warper(row.unsqueeze(0), 0.7) for row in logits])
    assert len(set((expected != INF).sum(dim=-1).tolist())) == 4
    check(kata, logits, 0.7, expected, "p=0.7, each row's own nucleus")


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.float16], ids=str)
def test_the_logits_dtype_is_kept_and_the_logits_left_unchanged(kata, dtype):
    logits = random_logits(3, 8, 6, dtype) / 2  # nuclei of 1 to 7 tokens
    for around, filter_value in ((0.35, INF), (0.6, INF), (0.9, -50.0)):
        p = p_away_from_cuts(logits, around)
        sizes = nucleus_sizes(logits, p, margin=0.03)
        ranked = logits.sort(dim=-1, descending=True).values
        threshold = torch.stack([ranked[i, size - 1] for i, size in enumerate(sizes)]).unsqueeze(1)
        expected = logits.masked_fill(logits < threshold, filter_value)
        check(kata, logits, p, expected, f"p={p} on {dtype} logits", filter_value=filter_value)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=str)
def test_logits_far_from_zero_give_the_nucleus_of_their_softmax(kata, dtype):
    """A language model's logits are often far from 0 (gpt2's are around -100): exp() of them
    overflows or underflows, their softmax does not."""
    generator = torch.Generator().manual_seed(11)
    logits = torch.randn(3, 16, generator=generator, dtype=torch.float64) * 2
    logits += torch.tensor([[-110.0], [95.0], [-750.0]], dtype=torch.float64)
    logits = logits.to(dtype)
    for around, filter_value in ((0.5, INF), (0.8, -1e4)):
        p = p_away_from_cuts(logits, around)
        sizes = nucleus_sizes(logits, p, margin=1e-3)
        assert (warper(logits, p, filter_value) != filter_value).sum(dim=-1).tolist() == sizes
        check(
            kata,
            logits,
            p,
            warper(logits, p, filter_value),
            f"p={p} on {dtype} logits around -110, 95 and -750",
            filter_value=filter_value,
        )


@pytest.mark.parametrize("p", [0.0, -0.1, 1.0000001, 1.5, math.nan, math.inf], ids=str)
def test_a_p_outside_zero_to_one_raises_value_error(kata, p):
    expect_raises(kata, ValueError, random_logits(2, 5, 6), p, because="p is a probability mass in (0, 1]")
