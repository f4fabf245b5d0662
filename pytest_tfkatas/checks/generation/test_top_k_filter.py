"""Hidden checks: top_k_filter."""

from __future__ import annotations

import pytest
import torch
from transformers import TopKLogitsWarper

from pytest_tfkatas.harness import describe, expect, expect_raises

INF = float("-inf")


def random_logits(batch: int, vocab: int, seed: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    # Rows of different scales: a k-th largest taken over the whole batch cannot pass for each row's.
    scales = torch.linspace(0.5, 4.0, batch).unsqueeze(1)
    return (torch.randn(batch, vocab, generator=generator) * scales + scales).to(dtype)


def warper(logits: torch.Tensor, k: int, filter_value: float = INF) -> torch.Tensor:
    return TopKLogitsWarper(k, filter_value=filter_value)(None, logits.clone())


def show(tensor: object) -> str:
    if isinstance(tensor, torch.Tensor):
        return f"{describe(tensor)} {tensor.float().tolist()}"
    return describe(tensor)


def kept_counts(tensor: torch.Tensor, filter_value: float) -> list[int]:
    return (tensor != filter_value).sum(dim=-1).tolist()


def check(kata, logits: torch.Tensor, k: int, expected: torch.Tensor, what: str, **kwargs) -> torch.Tensor:
    """Call the kata and compare with ``expected``, bit for bit (-inf equals -inf)."""
    __tracebackhide__ = True
    before = logits.clone()
    out = kata(logits, k, **kwargs)
    expect(
        isinstance(out, torch.Tensor),
        kata,
        got=describe(out),
        expected="a tensor of the logits' shape",
    )
    expect(
        out.shape == logits.shape and out.dtype == logits.dtype,
        kata,
        got=describe(out),
        expected=f"{describe(expected)}: the logits' shape and dtype",
        tip="filter the logits where they are (masked_fill or torch.where): no conversion, no reshaping.",
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
    filter_value = kwargs.get("filter_value", INF)
    tip = None
    if out.shape == expected.shape:
        got_counts, want_counts = kept_counts(out, filter_value), kept_counts(expected, filter_value)
        if got_counts != want_counts:
            tip = (
                f"each row keeps {want_counts} logits here, not {got_counts}: every logit that is not "
                "smaller than the k-th largest of its row stays (ties included)."
            )
    expect(torch.equal(out, expected), kata, got=show(out), expected=f"{show(expected)} ({what})", tip=tip)
    return out


@pytest.mark.parametrize(("batch", "vocab", "seed"), [(1, 7, 0), (3, 50, 1), (4, 9, 2)])
def test_the_same_logits_as_transformers_top_k_warper_keeps(kata, batch, vocab, seed):
    logits = random_logits(batch, vocab, seed)
    for k in sorted({1, 2, 5, vocab - 1}):
        check(kata, logits, k, warper(logits, k), f"TopKLogitsWarper({k}) on random logits")


def test_every_logit_tied_with_the_kth_largest_is_kept(kata):
    logits = torch.tensor(
        [
            [3.0, 1.0, 3.0, 2.0, 3.0, 0.5],  # k=2: the three 3s
            [5.0, 2.0, 2.0, 2.0, 0.0, -1.0],  # k=2: 5 and the three 2s
            [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],  # all equal: all kept
        ]
    )
    expected = torch.tensor(
        [
            [3.0, INF, 3.0, INF, 3.0, INF],
            [5.0, 2.0, 2.0, 2.0, INF, INF],
            [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        ]
    )
    assert torch.equal(warper(logits, 2), expected)
    check(kata, logits, 2, expected, "logits equal to the 2nd largest are kept, however many")
    expected_3 = expected.clone()
    expected_3[1, 4] = INF  # k=3: the 3rd largest of each row is the same as its 2nd
    assert torch.equal(warper(logits, 3), expected_3)
    check(kata, logits, 3, expected_3, "k=3: the first row's 3rd largest is still 3.0")
    expected_4 = warper(logits, 4)
    assert expected_4[0].tolist() == [3.0, INF, 3.0, 2.0, 3.0, INF]
    check(kata, logits, 4, expected_4, "k=4")


@pytest.mark.parametrize("extra", [0, 1, 1000])
def test_a_k_as_large_as_the_vocabulary_or_larger_keeps_every_logit(kata, extra):
    logits = random_logits(2, 6, 3)
    check(kata, logits, 6 + extra, logits.clone(), f"k={6 + extra} for a vocabulary of 6: everything kept")


def test_minus_infinity_counts_like_any_other_logit(kata):
    logits = torch.tensor(
        [
            [1.0, INF, 0.0, INF, -2.0],  # 3 finite: k=4 keeps everything, -inf stays -inf
            [INF, 4.0, INF, INF, INF],  # 1 finite
            [0.5, 0.25, 2.0, INF, 1.0],  # 4 finite: k=4 drops the -inf
        ]
    )
    expected = torch.tensor(
        [
            [1.0, INF, 0.0, INF, -2.0],
            [INF, 4.0, INF, INF, INF],
            [0.5, 0.25, 2.0, INF, 1.0],
        ]
    )
    check(kata, logits, 4, expected, "rows with -inf already, k=4")
    # With a finite filter value: a -inf below the k-th largest becomes the filter value, as in the
    # warper; in a row whose k-th largest is -inf nothing is below it.
    expected = torch.tensor(
        [
            [1.0, INF, 0.0, INF, -2.0],
            [INF, 4.0, INF, INF, INF],
            [0.5, 0.25, 2.0, -100.0, 1.0],
        ]
    )
    assert torch.equal(warper(logits, 4, -100.0), expected)
    check(kata, logits, 4, expected, "k=4, filter_value=-100.0", filter_value=-100.0)
    expected = torch.tensor(
        [
            [1.0, -100.0, 0.0, -100.0, -100.0],
            [INF, 4.0, INF, INF, INF],  # its 2nd largest is -inf: nothing is below it
            [-100.0, -100.0, 2.0, -100.0, 1.0],
        ]
    )
    assert torch.equal(warper(logits, 2, -100.0), expected)
    check(kata, logits, 2, expected, "k=2, filter_value=-100.0", filter_value=-100.0)


@pytest.mark.parametrize("filter_value", [-1e4, 0.0, -0.5])
def test_filtered_logits_become_the_filter_value_given(kata, filter_value):
    logits = random_logits(3, 8, 4)
    check(
        kata,
        logits,
        3,
        warper(logits, 3, filter_value),
        f"k=3, filter_value={filter_value}",
        filter_value=filter_value,
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.float16], ids=str)
def test_the_logits_dtype_is_kept_and_the_logits_left_unchanged(kata, dtype):
    logits = random_logits(3, 40, 5, dtype)
    for k in (1, 4, 39):
        check(kata, logits, k, warper(logits, k), f"TopKLogitsWarper({k}) on {dtype} logits")
    check(kata, logits, 6, warper(logits, 6, -50.0), "filter_value=-50.0", filter_value=-50.0)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=str)
def test_logits_a_last_bit_apart_are_told_apart(kata, dtype):
    # Three neighbours of the dtype (nothing lies between them), as float32 and float64 logits can be.
    low = torch.tensor(1.0, dtype=dtype)
    middle = torch.nextafter(low, torch.tensor(2.0, dtype=dtype))
    high = torch.nextafter(middle, torch.tensor(2.0, dtype=dtype))
    generator = torch.Generator().manual_seed(10)
    noise = torch.randn(2, 6, generator=generator, dtype=torch.float64).to(dtype)
    logits = torch.stack(
        [torch.stack([middle, low, noise[0, 0] - 3, high, noise[0, 1] - 3, middle]), noise[1] / 3 + 1]
    )
    for k in (1, 2, 4):
        expected = warper(logits, k)
        assert expected[0].isfinite().sum() == {1: 1, 2: 3, 4: 4}[k]
        check(kata, logits, k, expected, f"k={k}, {dtype} logits 1.0 and the next two numbers above it")
    check(kata, logits, 3, warper(logits, 3, -50.0), "k=3, filter_value=-50.0", filter_value=-50.0)


@pytest.mark.parametrize("k", [0, -1, -7])
def test_a_k_below_one_raises_value_error(kata, k):
    expect_raises(
        kata, ValueError, random_logits(2, 5, 6), k, because="at least one logit must be kept (k >= 1)"
    )
