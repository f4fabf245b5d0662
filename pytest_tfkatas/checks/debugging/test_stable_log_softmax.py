"""Hidden checks: stable_log_softmax."""

from __future__ import annotations

import pytest
import torch

from pytest_tfkatas.harness import describe, expect, expect_raises

PROMPTS = ["Once upon a time", "The robot read a book"]


@pytest.fixture(scope="module")
def lm_logits(tiny_gpt2) -> torch.Tensor:
    """Real next-token logits of the tiny GPT-2: shape (2, sequence, vocabulary)."""
    tokenizer = tiny_gpt2.load_tokenizer()
    tokenizer.pad_token = tokenizer.eos_token
    batch = tokenizer(PROMPTS, padding=True, return_tensors="pt")
    with torch.no_grad():
        return tiny_gpt2.load_model()(**batch).logits


def reference(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """The exact log-softmax, computed in float64."""
    return torch.log_softmax(logits.double(), dim=dim)


def worst_error(result: torch.Tensor, expected: torch.Tensor) -> float:
    finite = torch.isfinite(expected)
    return float((result.double()[finite] - expected[finite]).abs().max())


def test_normal_logits_give_the_log_softmax(kata, lm_logits):
    logits = lm_logits.clone()
    result = kata(logits)
    expect(
        isinstance(result, torch.Tensor) and result.shape == logits.shape and result.dtype == logits.dtype,
        kata,
        got=describe(result),
        expected=f"a tensor like the logits: {describe(logits)}",
    )
    expected = reference(lm_logits)
    expect(
        torch.allclose(result.double(), expected, atol=1e-5),
        kata,
        got=f"values that differ from log_softmax by up to {worst_error(result, expected):.3g}",
        expected="log_softmax over the vocabulary: logits - log(sum(exp(logits)))",
    )
    expect(
        torch.equal(logits, lm_logits),
        kata,
        got="the logits passed in were changed",
        expected="a new tensor, the caller's logits left as they were",
        tip="do not use in-place operations such as sub_() on the input.",
    )


@pytest.mark.parametrize("scale", [1e4, 3e4], ids=["1e4", "3e4"])
def test_huge_logits_stay_finite_and_exact(kata, lm_logits, scale):
    # Real logits blown up to the size a diverging model produces, plus rows of equal huge logits.
    logits = torch.cat([lm_logits[0] * (scale / lm_logits.abs().max()), torch.full((2, 512), scale)])
    result = kata(logits)
    expected = reference(logits)
    tip = None
    if isinstance(result, torch.Tensor):
        if torch.isnan(result).any():
            tip = "exp() of a huge logit overflows to inf, and inf / inf is NaN: subtract the maximum first."
        elif torch.isinf(result).any():
            tip = "log(softmax(x)) is -inf where softmax underflowed to 0: compute x - logsumexp(x) instead."
        else:
            tip = (
                "clamping is not a fix, the answer must be exact: x - torch.logsumexp(x, dim, keepdim=True)."
            )
    expect(
        isinstance(result, torch.Tensor)
        and bool(torch.isfinite(result).all())
        and torch.allclose(result.double(), expected, rtol=1e-6, atol=1e-2),
        kata,
        got=f"{describe(result)} with {int((~torch.isfinite(result)).sum())} non-finite values and an "
        f"error of up to {worst_error(result, expected):.3g}"
        if isinstance(result, torch.Tensor)
        else describe(result),
        expected=f"finite log-probabilities equal to log_softmax, e.g. {expected[0, :3].tolist()}",
        tip=tip,
    )
    wide = logits.double()
    result = kata(wide)
    expect(
        result.dtype == torch.float64 and torch.allclose(result, reference(wide), atol=1e-9),
        kata,
        got=describe(result),
        expected="the exact log-softmax, in the logits' own dtype (float64)",
    )


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16], ids=["bfloat16", "float16"])
def test_half_precision_logits_keep_their_dtype(kata, lm_logits, dtype):
    """Models run in bfloat16 or float16 give logits of that type: the result keeps it (a float32
    detour for accuracy is fine, as long as the result is turned back)."""
    logits = (lm_logits * 4).to(dtype)
    before = logits.clone()
    result = kata(logits)
    expected = reference(logits)
    expect(
        isinstance(result, torch.Tensor)
        and result.dtype == dtype
        and result.shape == logits.shape
        and torch.allclose(result.double(), expected, rtol=1e-2, atol=1e-1),
        kata,
        got=f"{describe(result)} with an error of up to {worst_error(result, expected):.3g}"
        if isinstance(result, torch.Tensor)
        else describe(result),
        expected=f"a {str(dtype).removeprefix('torch.')} tensor of the same shape with the log-softmax",
        tip=f"return the logits' own dtype: compute in float32 if you like, then .to({dtype}) at the end."
        if isinstance(result, torch.Tensor) and result.dtype != dtype
        else None,
    )
    expect(
        torch.equal(logits, before),
        kata,
        got="the logits passed in were changed",
        expected="a new tensor, the caller's logits left as they were",
    )


@pytest.mark.parametrize("dim", [0, 1, 2, -2])
def test_it_normalises_over_the_given_dimension(kata, dim):
    logits = torch.randn(3, 4, 5) * 50
    result = kata(logits, dim=dim)
    expected = reference(logits, dim=dim)
    expect(
        isinstance(result, torch.Tensor) and torch.allclose(result.double(), expected, atol=1e-4),
        kata,
        got=f"{describe(result)}, whose exp sums to 1 along dim "
        f"{[d for d in range(3) if torch.allclose(result.exp().sum(d), torch.ones(()))]}"
        if isinstance(result, torch.Tensor)
        else describe(result),
        expected=f"log-probabilities that sum (after exp) to 1 along dim={dim}",
        tip="pass dim to every reduction (max, sum, logsumexp), with keepdim=True so they broadcast back.",
    )


def test_masked_tokens_get_minus_infinity(kata, lm_logits):
    # What a logits processor does to banned tokens: their logits become -inf.
    logits = lm_logits.clone()
    banned = torch.randperm(logits.shape[-1])[:100]
    logits[..., banned] = -torch.inf
    result = kata(logits)
    expected = reference(logits)
    allowed = torch.isfinite(expected)
    expect(
        isinstance(result, torch.Tensor)
        and bool(torch.isneginf(result[..., banned]).all())
        and bool(torch.isfinite(result[allowed]).all())
        and torch.allclose(result.double()[allowed], expected[allowed], atol=1e-5),
        kata,
        got=f"for the banned tokens {result[0, 0, banned[:3]].tolist()}, for the others an error of up to "
        f"{worst_error(result, expected):.3g}"
        if isinstance(result, torch.Tensor)
        else describe(result),
        expected="-inf for the banned tokens (probability 0) and the exact log-softmax for the others",
    )


@pytest.mark.parametrize(
    "bad_input",
    [torch.tensor([[15, 496, 3, 77]]), [2.0, 1.0, 0.5]],
    ids=["token ids", "list"],
)
def test_what_is_not_a_float_tensor_raises_type_error(kata, bad_input):
    expect_raises(
        kata, TypeError, bad_input, because="log-probabilities need a floating-point tensor of logits"
    )
