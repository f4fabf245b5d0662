"""Hidden checks: batch_generate."""

from __future__ import annotations

import math

import pytest

from pytest_tfkatas.harness import expect, expect_raises, fail_call

# Lengths from one token to a long sentence, so that padding matters.
PROMPTS = [
    "Rain",
    "The river runs past the mill, past the bridge, and down to the wide blue sea",
    "Once upon a time",
    "A good question",
    "Le chat noir dort sur le mur",
    "Hi",
    "The teacher wrote",
]


def padding_tip(texts: object, expected: list[str]) -> str:
    if isinstance(texts, list) and sorted(map(str, texts)) == sorted(expected) and texts != expected:
        return "return the texts in the order of the prompts."
    if isinstance(texts, list) and any(str(t).startswith(p) for t, p in zip(texts, PROMPTS, strict=False)):
        return "decode only the new tokens: outputs[:, padded_prompt_length:]."
    return (
        "a decoder-only model continues from the last position of each row: pad on the left "
        '(tokenizer.padding_side = "left") and pass the attention mask to generate().'
    )


def counted(model) -> list[int]:
    """Wrap model.generate to record how many prompts each call gets."""
    generate = model.generate
    rows: list[int] = []

    def counting_generate(*args, **kwargs):
        ids = kwargs.get("input_ids", args[0] if args else None)
        rows.append(int(ids.shape[0]) if ids is not None else -1)
        return generate(*args, **kwargs)

    model.generate = counting_generate
    return rows


def test_a_batch_gives_what_one_prompt_at_a_time_gives(kata, tiny_gpt2, greedy):
    variant = tiny_gpt2.variant(81)
    model, tokenizer = variant.load_model(), variant.load_tokenizer()
    expected = [greedy(model, tokenizer, prompt, 6) for prompt in PROMPTS]
    texts = kata(model, tokenizer, PROMPTS, max_new_tokens=6, batch_size=len(PROMPTS))
    wrong = [
        i
        for i, text in enumerate(texts if isinstance(texts, list) else [])
        if i >= len(expected) or text != expected[i]
    ]
    expect(
        isinstance(texts, list) and len(texts) == len(PROMPTS) and not wrong,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: each prompt's greedy continuation, as if generated on its own, in order",
        tip=padding_tip(texts, expected),
    )


def test_batches_of_batch_size_keep_the_order(kata, gpt2, greedy):
    model, tokenizer = gpt2
    prompts = PROMPTS[::-1]
    given = list(prompts)
    expected = [greedy(model, tokenizer, prompt, 5) for prompt in prompts]
    rows = counted(model)
    texts = kata(model, tokenizer, prompts, max_new_tokens=5, batch_size=3)
    expect(
        prompts == given,
        kata,
        got=f"the caller's list of prompts afterwards: {prompts!r}",
        expected=f"{given!r}, unchanged",
        tip="sort or reorder a copy (sorted(...)), never the caller's list.",
    )
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}, in the order of the prompts",
        tip=padding_tip(texts, expected),
    )
    expect(
        rows == [3, 3, 1],
        kata,
        got=f"generate() called on batches of {rows} prompts",
        expected=f"{math.ceil(len(prompts) / 3)} calls on batches of [3, 3, 1] prompts for 7 prompts "
        "with batch_size=3",
        tip="slice the prompts, prompts[start:start + batch_size] for start in range(0, len(prompts), "
        "batch_size), and call generate() once per slice.",
    )


def test_the_defaults_are_batches_of_8_and_20_new_tokens_and_1_is_allowed(kata, gpt2):
    from pytest_tfkatas.checks.helpers import greedy_continuation

    model, tokenizer = gpt2
    prompts = (PROMPTS * 3)[:17]
    rows = counted(model)
    texts = kata(model, tokenizer, prompts)
    expected = [greedy_continuation(model, tokenizer, prompt, 20) for prompt in prompts]
    expect(
        texts == expected and rows == [8, 8, 1],
        kata,
        got=f"{texts!r} from generate() calls on {rows} prompts",
        expected="the defaults: 20 greedy tokens per prompt, in calls of [8, 8, 1] prompts for 17 prompts",
        tip="keep the signature's defaults (max_new_tokens=20, batch_size=8) and pass them on.",
    )
    rows.clear()
    texts = kata(model, tokenizer, prompts[:3], max_new_tokens=1, batch_size=1)
    expected = [greedy_continuation(model, tokenizer, prompt, 1) for prompt in prompts[:3]]
    expect(
        texts == expected and rows == [1, 1, 1],
        kata,
        got=f"{texts!r} from generate() calls on {rows} prompts",
        expected=f"{expected!r} from 3 calls of one prompt: max_new_tokens=1 and batch_size=1 are allowed",
    )


def test_greedy_on_a_model_whose_generation_config_samples(kata, tiny_llama_sampling):
    from pytest_tfkatas.checks.helpers import greedy_continuation

    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    expected = [greedy_continuation(model, tokenizer, prompt, 8) for prompt in PROMPTS]
    texts = kata(model, tokenizer, PROMPTS, max_new_tokens=8, batch_size=4)
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: greedy continuations",
        tip="pass do_sample=False to generate(): this model's generation_config samples by default.",
    )


@pytest.mark.parametrize("model_name", ["gpt2", "llama"])
def test_the_callers_tokenizer_is_left_unchanged(kata, model_name, request, greedy):
    """GPT-2's tokenizer has no pad token; the Llama one has its own (<pad>, not eos). Both pad on
    the right, as tokenizers do by default: a shared tokenizer must stay that way."""
    tiny = request.getfixturevalue(f"tiny_{model_name}")
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    before = (tokenizer.padding_side, tokenizer.pad_token, tokenizer.pad_token_id)
    prompts = ("Rain", "The river runs past the mill and down to the sea", "Hi")  # a tuple: a Sequence
    expected = [greedy(model, tokenizer, prompt, 5) for prompt in prompts]
    texts = kata(model, tokenizer, prompts, max_new_tokens=5, batch_size=3)
    after = (tokenizer.padding_side, tokenizer.pad_token, tokenizer.pad_token_id)
    expect(
        after == before,
        kata,
        got=f"the tokenizer afterwards: padding_side={after[0]!r}, pad_token={after[1]!r}",
        expected=f"padding_side={before[0]!r}, pad_token={before[1]!r}, as the caller gave it",
        tip='pad per call with tokenizer(..., padding=True, padding_side="left"), and give a missing '
        "pad token to a copy of the tokenizer (copy.deepcopy), not to the caller's.",
    )
    expect(
        texts == expected, kata, got=repr(texts), expected=f"{expected!r}", tip=padding_tip(texts, expected)
    )


def test_rows_that_end_early_give_only_their_text(kata, tiny_llama, greedy):
    """The Llama model ends these prompts early with </s>: the rest of its row is padding, which
    must not reach the text; the other rows go on to max_new_tokens."""
    from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS

    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    prompts = [LLAMA_EOS_PROMPTS[0], "Rain", LLAMA_EOS_PROMPTS[1], "Once upon a time", LLAMA_EOS_PROMPTS[2]]
    expected = [greedy(model, tokenizer, prompt, 12) for prompt in prompts]
    texts = kata(model, tokenizer, prompts, max_new_tokens=12, batch_size=5)
    specials = [text for text in texts if isinstance(text, str) and ("</s>" in text or "<pad>" in text)]
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: each row's new text, without </s> or the <pad> that follows it",
        tip="decode with skip_special_tokens=True." if specials else padding_tip(texts, expected),
    )


def test_prompts_of_whitespace_are_prompts(kata, gpt2, greedy):
    """ " " and "\n" are not empty: each has a token, and a continuation of its own."""
    model, tokenizer = gpt2
    prompts = [" ", "Rain", "\n", "The teacher wrote "]
    expected = [greedy(model, tokenizer, prompt, 4) for prompt in prompts]
    try:
        texts = kata(model, tokenizer, prompts, max_new_tokens=4, batch_size=4)
    except ValueError as error:
        fail_call(
            kata,
            got=f"ValueError: {error}",
            expected=f"{expected!r}: a prompt of whitespace is not empty",
            tip="refuse only empty strings (''), not strings of spaces or newlines.",
        )
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: each prompt continued as given, spaces included",
        tip=padding_tip(texts, expected),
    )


def test_no_prompts_give_no_texts(kata, gpt2):
    model, tokenizer = gpt2
    texts = kata(model, tokenizer, [], max_new_tokens=5)
    expect(texts == [], kata, got=repr(texts), expected="[]: no prompts, nothing to generate")


@pytest.mark.parametrize(
    ("prompts", "settings", "because"),
    [
        (["Hello", ""], {}, "an empty prompt gives the model nothing to continue"),
        (["Hello"], {"batch_size": 0}, "batch_size must be at least 1"),
        (["Hello"], {"max_new_tokens": 0}, "max_new_tokens must be at least 1"),
        ([], {"batch_size": 0}, "batch_size must be at least 1, even with no prompts"),
        ([], {"max_new_tokens": 0}, "max_new_tokens must be at least 1, even with no prompts"),
    ],
    ids=[
        "empty prompt",
        "zero batch size",
        "zero new tokens",
        "no prompts, zero batch",
        "no prompts, zero tokens",
    ],
)
def test_bad_arguments_raise_value_error(kata, gpt2, prompts, settings, because):
    model, tokenizer = gpt2
    expect_raises(kata, ValueError, model, tokenizer, prompts, because=because, **settings)
