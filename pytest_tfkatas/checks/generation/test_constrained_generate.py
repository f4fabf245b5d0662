"""Hidden checks: constrained_generate."""

from __future__ import annotations

import pytest
import torch

from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

FUNCTION_WORDS = [" the", " a", " on", " in", " and", " robot"]
# Words of several tokens each, and one without a leading space: "robot" is not " robot".
LONG_WORDS = [" library", " quiet", " sea", " small", "robot"]


def call(kata, *args, **kwargs):
    """Call the kata; words instead of token ids get a tip instead of a bare traceback.

    (The seed's force_words_ids gets its tip from the harness's list of transformers 5 pitfalls.)
    """
    try:
        return kata(*args, **kwargs)
    except TypeError as error:
        if "str" not in str(error):
            raise
        tip = (
            "prefix_allowed_tokens_fn must return token ids, not words: build them with "
            'tokenizer(word, add_special_tokens=False)["input_ids"].'
        )
        fail_call(kata, got=f"TypeError: {error}", expected="the constrained continuation", tip=tip)


def allowed_ids(tokenizer, words: list[str]) -> list[int]:
    return sorted({i for word in words for i in tokenizer(word, add_special_tokens=False)["input_ids"]})


def masked_greedy(model, tokenizer, prompt: str, allowed: list[int], steps: int) -> list[int]:
    """Greedy decoding by hand: every token outside ``allowed`` gets -inf before the argmax."""
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    new: list[int] = []
    with torch.no_grad():
        for _ in range(steps):
            logits = model(input_ids=ids).logits[0, -1]
            mask = torch.full_like(logits, float("-inf"))
            mask[allowed] = 0.0
            next_id = int((logits + mask).argmax())
            new.append(next_id)
            ids = torch.cat([ids, torch.tensor([[next_id]])], dim=1)
    return new


def check_constrained(kata, model, tokenizer, prompt: str, words: list[str], steps: int) -> None:
    allowed = allowed_ids(tokenizer, words)
    expected_ids = masked_greedy(model, tokenizer, prompt, allowed, steps)
    expected = tokenizer.decode(expected_ids, skip_special_tokens=True)
    text = call(kata, model, tokenizer, prompt, words, max_new_tokens=steps)
    expect(isinstance(text, str), kata, got=describe(text), expected="a string")
    if text == expected:
        return
    tip = None
    outside = sorted(set(tokenizer(text, add_special_tokens=False)["input_ids"]) - set(allowed))
    if text.startswith(prompt):
        tip = "decode only the new tokens, outputs[0, prompt_length:]."
    elif outside:
        shown = [tokenizer.decode([i]) for i in outside[:6]]
        tip = (
            f"the text holds tokens that no allowed word has, e.g. {shown}: allow the token ids of every "
            "word, each tokenized on its own as given (no spaces added), at every step."
        )
    fail_call(
        kata,
        got=repr(text),
        expected=f"{expected!r}: greedy decoding over the {len(allowed)} token ids of the allowed words only",
        tip=tip or "at every step, allow all the token ids of every word and pick the most likely one.",
    )


def test_every_new_token_comes_from_the_allowed_words(kata, gpt2):
    model, tokenizer = gpt2
    check_constrained(kata, model, tokenizer, "Once upon a time", FUNCTION_WORDS, 8)


def test_greedy_on_a_model_whose_generation_config_samples(kata, tiny_llama_sampling):
    """A Llama-style model (cased byte-level BPE, <s> prepended) whose generation_config samples
    by default: greedy must be asked for. Words in a tuple: any Sequence."""
    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    words = (" The", " garden", " and", " flowers", " Bird")
    check_constrained(kata, model, tokenizer, "A little bird sang in the garden", list(words), 8)
    allowed = allowed_ids(tokenizer, list(words))
    expected = tokenizer.decode(
        masked_greedy(model, tokenizer, "The hotel room", allowed, 6), skip_special_tokens=True
    )
    text = call(kata, model, tokenizer, "The hotel room", words, max_new_tokens=6)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}, with the allowed words given as a tuple",
        tip="pass do_sample=False to generate(): this model's generation_config samples by default.",
    )


def test_special_tokens_stay_out_even_when_the_model_prefers_them(kata, tiny_llama):
    """A Llama-style model (its tokenizer prepends <s>) made to prefer every special token by far:
    none of them comes from an allowed word, so none may be generated. Also the default of 10 new
    tokens, and max_new_tokens=1."""
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    specials = sorted(set(tokenizer.all_special_ids))

    def prefer_specials(module, args, output):
        output.logits[..., specials] += 100.0
        return output

    hook = model.register_forward_hook(prefer_specials)
    try:
        words = [" garden", " the", " bird", " sang", " and"]
        allowed = allowed_ids(tokenizer, words)
        for steps in (10, 1):
            expected = tokenizer.decode(
                masked_greedy(model, tokenizer, "A little bird", allowed, steps), skip_special_tokens=True
            )
            settings = {} if steps == 10 else {"max_new_tokens": 1}
            text = call(kata, model, tokenizer, "A little bird", words, **settings)
            expect(
                text == expected,
                kata,
                got=repr(text),
                expected=f"{expected!r}: {steps} new token(s) "
                + ("(the default) " if steps == 10 else "")
                + "from the allowed words only, though this model prefers <s>, </s>, <pad> and <unk>",
                tip="tokenize each word with add_special_tokens=False: a tokenizer that prepends <s> would "
                "otherwise allow <s>; never add the eos token to the allowed ids.",
            )
    finally:
        hook.remove()


def test_every_token_of_a_long_word_is_allowed(kata, gpt2):
    model, tokenizer = gpt2
    check_constrained(kata, model, tokenizer, "The robot read", LONG_WORDS, 8)


def test_the_constraint_changes_the_text(kata, tiny_gpt2, gpt2):
    # A variant answers differently: the result must come from the model that is passed in.
    model, tokenizer = tiny_gpt2.variant(seed=4).load_model(), gpt2[1]
    prompt = "A good question"
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        free_ids = model.generate(**inputs, max_new_tokens=6, do_sample=False)[
            0, inputs["input_ids"].shape[1] :
        ]
    free = tokenizer.decode(free_ids, skip_special_tokens=True)
    words = [" is", " a", " good", " answer", "!"]
    text = call(kata, model, tokenizer, prompt, words, max_new_tokens=6)
    expect(
        text != free,
        kata,
        got=f"{text!r}, the same as the model says without any constraint",
        expected="a continuation made of the allowed words' tokens only",
        tip="pass prefix_allowed_tokens_fn=lambda batch_id, input_ids: allowed_ids to generate().",
    )
    check_constrained(kata, model, tokenizer, prompt, words, 6)


@pytest.mark.parametrize(
    ("prompt", "words"),
    [("The robot read", [" ", "\n", " the", " the"]), (" ", FUNCTION_WORDS), ("\n", ("\n\n", " a"))],
    ids=["whitespace words", "a space prompt", "a newline prompt"],
)
def test_whitespace_is_a_word_and_a_prompt(kata, gpt2, prompt, words):
    """ " " and "\n" have tokens of their own: they are valid words and valid prompts, only "" is
    empty. A word given twice is allowed once."""
    model, tokenizer = gpt2
    try:
        check_constrained(kata, model, tokenizer, prompt, list(words), 5)
    except ValueError as error:
        fail_call(
            kata,
            got=f"ValueError: {error}",
            expected="the constrained continuation: whitespace has tokens, so it is neither an empty word "
            "nor an empty prompt",
            tip="raise only for '' (a string without tokens), not for strings of spaces or newlines.",
        )


@pytest.mark.parametrize(
    ("prompt", "words", "max_new_tokens", "because"),
    [
        ("Once upon a time", [], 5, "with no allowed word nothing can be generated"),
        ("Once upon a time", [" the", ""], 5, "the empty string has no tokens to allow"),
        ("Once upon a time", [" the"], 0, "max_new_tokens must be at least 1"),
        ("", [" the"], 5, "an empty prompt gives the model nothing to continue"),
    ],
    ids=["no words", "an empty word", "no new tokens", "empty prompt"],
)
def test_bad_arguments_raise_value_error(kata, gpt2, prompt, words, max_new_tokens, because):
    model, tokenizer = gpt2
    expect_raises(
        kata, ValueError, model, tokenizer, prompt, words, max_new_tokens=max_new_tokens, because=because
    )
