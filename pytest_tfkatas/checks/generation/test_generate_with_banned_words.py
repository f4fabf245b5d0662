"""Hidden checks: generate_with_banned_words."""

from __future__ import annotations

import contextlib
import copy
import io
import math

import pytest
import torch

from pytest_tfkatas.checks.helpers import tokenizer_changes, tokenizer_state
from pytest_tfkatas.harness import describe, expect, expect_raises
from pytest_tfkatas.zoo import LLAMA_LONG_PROMPT


def sequences(tokenizer, word: str) -> list[list[int]]:
    return [tokenizer(text, add_special_tokens=False)["input_ids"] for text in (word, " " + word)]


def continuation(model, tokenizer, prompt: str, max_new_tokens: int = 20, **settings) -> str:
    """Greedy with transformers' own bad_words_ids (NoBadWordsLogitsProcessor) and sequence_bias
    (SequenceBiasLogitsProcessor): the same rules as the contract's, written by others."""
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        output = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            num_beams=1,
            pad_token_id=tokenizer.eos_token_id,
            **{key: value for key, value in settings.items() if value},
        )
    return tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)


def expected_text(model, tokenizer, prompt, banned=(), boosted=None, max_new_tokens: int = 20) -> str:
    bad = [ids for word in banned for ids in sequences(tokenizer, word)]
    bias = {tuple(ids): float(b) for word, b in (boosted or {}).items() for ids in sequences(tokenizer, word)}
    return continuation(model, tokenizer, prompt, max_new_tokens, bad_words_ids=bad, sequence_bias=bias)


def call(kata, model, tokenizer, prompt, *args, **kwargs) -> str:
    """Call the kata; check what every call must keep: a string, the model's generation_config,
    config, mode and weights, the tokenizer, and the caller's words and biases, all as they were;
    nothing printed."""
    __tracebackhide__ = True
    config = model.generation_config.to_dict()
    model_config = model.config.to_dict()
    tokenizer_before = tokenizer_state(tokenizer)
    training = model.training
    weight = next(model.parameters()).detach().clone()
    arguments = copy.deepcopy((args, kwargs))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        text = kata(model, tokenizer, prompt, *args, **kwargs)
    expect(
        not printed.getvalue(),
        kata,
        got=f"printed {printed.getvalue()[:120]!r}",
        expected="nothing printed: the new text is returned",
    )
    expect(isinstance(text, str), kata, got=describe(text), expected="the new text, a string")
    expect(
        model.generation_config.to_dict() == config,
        kata,
        got=f"the model's generation_config changed to {model.generation_config.to_dict()}",
        expected=f"the generation_config left as it was: {config}",
        tip="pass do_sample, num_beams and max_new_tokens to generate() rather than setting them on "
        "the model's config.",
    )
    expect(
        model.training == training and torch.equal(next(model.parameters()), weight),
        kata,
        got=f"the model changed (training={model.training})",
        expected=f"the model left as it was (training={training})",
    )
    after = model.config.to_dict()
    changed = {
        key: after.get(key, "(removed)")
        for key in sorted(set(after) | set(model_config))
        if after.get(key, object()) != model_config.get(key, object())
    }
    expect(
        not changed,
        kata,
        got=f"the model's config changed: {changed}",
        expected="the model's config left as it was",
        tip="pass pad_token_id and other settings to generate() rather than setting them on model.config.",
    )
    tokenizer_after = tokenizer_state(tokenizer)
    expect(
        tokenizer_after == tokenizer_before,
        kata,
        got=f"the caller's tokenizer changed: {tokenizer_changes(tokenizer_before, tokenizer_after)}",
        expected="the tokenizer left as it was",
        tip="pass pad_token_id=tokenizer.eos_token_id to generate() rather than setting tokenizer.pad_token.",
    )
    expect(
        (args, kwargs) == arguments,
        kata,
        got=f"the caller's arguments changed to {args!r} {kwargs!r}",
        expected=f"the caller's words and biases left as they were: {arguments[0]!r} {arguments[1]!r}",
    )
    return text


def check(
    kata, model, tokenizer, prompt, what: str, banned=None, boosted=None, max_new_tokens=None, tip=None
):
    __tracebackhide__ = True
    args = () if banned is None else (banned,)
    kwargs = {
        key: value for key, value in (("boosted", boosted), ("max_new_tokens", max_new_tokens)) if value
    }
    expected = expected_text(model, tokenizer, prompt, banned or (), boosted, max_new_tokens or 20)
    text = call(kata, model, tokenizer, prompt, *args, **kwargs)
    if text != expected and banned:
        greedy = expected_text(model, tokenizer, prompt, max_new_tokens=max_new_tokens or 20)
        one_form = [
            expected_text(
                model, tokenizer, prompt, [prefix + word for word in banned], boosted, max_new_tokens or 20
            )
            for prefix in ("", " ")
        ]
        if text in one_form:
            tip = (
                "a word is two token sequences, as written and after a space (tokenizer(word) and "
                "tokenizer(' ' + word)): ban both."
            )
        elif text == greedy:
            tip = "the banned words are still there: the processor must give their tokens -inf."
    expect(text == expected, kata, got=repr(text), expected=f"{expected!r} ({what})", tip=tip)


@pytest.mark.parametrize(
    ("zoo_name", "prompt", "word"),
    [
        ("llama", "The attention mask tells", "the"),  # greedy: " the models the models ..."
        ("llama", "The plot made no", "booked"),  # "booked": three tokens, at the start, no space
        ("llama", "One day a storm", "broke"),  # " broke": two tokens, after a space
        ("llama", "Please send the report", "ed"),  # "ed": glued to the prompt's last word
        ("gpt2", "The soup was cold,", "The"),  # "The" at the start of a line
        ("gpt2", "Once upon a time", "the"),  # " the the the ..."
    ],
)
def test_a_banned_word_is_not_generated_where_greedy_puts_it(kata, request, zoo_name, prompt, word):
    tiny = request.getfixturevalue(f"tiny_{zoo_name}")
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    greedy = continuation(model, tokenizer, prompt)
    assert word in greedy
    check(kata, model, tokenizer, prompt, f"greedy gives {greedy!r}; {word!r} banned", banned=[word])


def test_a_word_of_several_tokens_loses_its_last_token_only_after_the_others(kata, tiny_llama, tiny_gpt2):
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    assert (
        sequences(tokenizer, "broke")[1]
        == tokenizer(" bro broke", add_special_tokens=False)["input_ids"][-2:]
    )
    # " bro" may still come: only "ke" after it is banned.
    assert continuation(model, tokenizer, "One day a storm").startswith(" broke")
    assert expected_text(model, tokenizer, "One day a storm", ["broke"]).startswith(" bro")
    check(kata, model, tokenizer, "One day a storm", "' bro' allowed, 'ke' after it not", banned=("broke",))
    # The prompt ends with " bro": the ban holds from the first new token.
    assert continuation(model, tokenizer, "One day a storm bro").startswith("ke")
    check(kata, model, tokenizer, "One day a storm bro", "the prompt's ' bro' counts", banned=["broke"])
    # "booked" ends with "ed", and "ed" after anything but "boo" is no ban: plain greedy.
    greedy = continuation(model, tokenizer, "Please send the report")
    assert (
        greedy.startswith("ed") and sequences(tokenizer, "booked")[0][-1] == sequences(tokenizer, "ed")[0][0]
    )
    assert expected_text(model, tokenizer, "Please send the report", ["booked"]) == greedy
    check(
        kata, model, tokenizer, "Please send the report", "'ed' is banned only after 'boo'", banned=["booked"]
    )
    # "encoder" and "decoder" end with "co" + "der", as greedy's " scoders" does: only after "en"
    # (or "de") would "der" be banned; after " s" it is no ban.
    greedy = continuation(model, tokenizer, "Once upon a time a")
    assert (
        greedy.startswith(" scoders")
        and sequences(tokenizer, "encoder")[0][-2:] == sequences(tokenizer, "scoders")[0][1:3]
    )
    assert expected_text(model, tokenizer, "Once upon a time a", ["encoder", "decoder"]) == greedy
    check(
        kata,
        model,
        tokenizer,
        "Once upon a time a",
        "'der' is banned only after all of 'en' + 'co' (or 'de' + 'co'), not after 'co' alone",
        banned=["encoder", "decoder"],
    )
    # The word's first tokens are the whole prompt (gpt2 adds no <s>): banned from the first step,
    # also when that is the only step.
    model, tokenizer = tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
    assert sequences(tokenizer, "One.")[0][:-1] == tokenizer("One")["input_ids"]
    assert continuation(model, tokenizer, "One").startswith(".")
    for max_new_tokens in (1, 6):
        check(
            kata,
            model,
            tokenizer,
            "One",
            "'.' banned after 'One'",
            banned=["One."],
            max_new_tokens=max_new_tokens,
        )
    # A word of more tokens than the prompt has, banned from the first step (gpt2: no <s>).
    assert len(tokenizer("A")["input_ids"]) == 1 and len(sequences(tokenizer, "librarian")[0]) == 6
    check(kata, model, tokenizer, "A", "'librarian' is longer than the prompt", banned=["librarian", "the"])


def test_words_are_banned_as_written(kata, tiny_llama, tiny_gpt2):
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    greedy = continuation(model, tokenizer, "The attention mask tells")
    assert "The" not in greedy and " the" in greedy
    check(
        kata,
        model,
        tokenizer,
        "The attention mask tells",
        "banning 'The' leaves 'the' alone",
        banned=["The"],
        tip="match words as written: 'The' and 'the' are different tokens.",
    )
    model, tokenizer = tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
    check(kata, model, tokenizer, "The soup was cold,", "'the' banned, 'The' allowed", banned=["the"])


def test_without_banned_words_the_continuation_is_plain_greedy(kata, tiny_llama, tiny_gpt2):
    for tiny, prompt in ((tiny_llama, LLAMA_LONG_PROMPT), (tiny_gpt2, "Once upon a time")):
        model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
        # No max_new_tokens given: the default of 20 (the llama prompt runs on past 21).
        check(kata, model, tokenizer, prompt, "no words given: plain greedy, 20 new tokens")
        for banned in ([], ()):
            check(kata, model, tokenizer, prompt, f"banned={banned!r}: plain greedy", banned=banned)
        check(kata, model, tokenizer, prompt, "boosted={}: plain greedy", banned=[], boosted={})
        assert expected_text(model, tokenizer, prompt, ["zebra"], max_new_tokens=7) == greedy_prefix(
            model, tokenizer, prompt, 7
        )
        check(
            kata,
            model,
            tokenizer,
            prompt,
            "a banned word greedy never gives",
            banned=["zebra"],
            max_new_tokens=7,
        )

    # A prompt of one space is blank, not empty: it has a token to continue.
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    check(kata, model, tokenizer, " ", "the prompt ' ' is not empty", banned=["the"], max_new_tokens=8)


def greedy_prefix(model, tokenizer, prompt: str, max_new_tokens: int) -> str:
    return continuation(model, tokenizer, prompt, max_new_tokens)


def test_a_boosted_word_comes_and_a_negative_bias_pushes_one_away(kata, tiny_llama, tiny_gpt2):
    model, tokenizer = tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
    assert " day" not in continuation(model, tokenizer, "Once upon a time")
    assert " day" in expected_text(model, tokenizer, "Once upon a time", boosted={"day": 5.0})
    check(kata, model, tokenizer, "Once upon a time", "' day' boosted by 5.0", boosted={"day": 5.0})
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    prompt = "The attention mask tells"
    greedy = continuation(model, tokenizer, prompt)
    for boosted in (
        {"day": 12.0, "model": 2.5},
        {"the": -3.0},
        {"robot": 9.0, "one": 3.0},
        {"one": 4.0, "library": 4.0},
    ):
        assert expected_text(model, tokenizer, prompt, boosted=boosted) != greedy
        check(kata, model, tokenizer, prompt, f"boosted={boosted}", boosted=boosted)
    # "ed" as written, glued to the prompt's last word: its bias counts there too.
    prompt = "Please send the report"
    assert continuation(model, tokenizer, prompt).startswith("ed")
    assert not expected_text(model, tokenizer, prompt, boosted={"ed": -3.0}).startswith("ed")
    check(
        kata,
        model,
        tokenizer,
        prompt,
        "greedy gives 'ed' next; its bias -3.0 pushes it away",
        boosted={"ed": -3.0},
        tip="a word is two token sequences, as written and after a space (tokenizer(word) and "
        "tokenizer(' ' + word)): bias both.",
    )


def test_the_biases_of_several_matching_sequences_add_up(kata, tiny_llama):
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    prompt = "One day a storm"
    # After " bro", "ke" ends both " broke" and "ke": both biases go to it.
    assert sequences(tokenizer, "broke")[1][-1] == sequences(tokenizer, "ke")[0][0]
    greedy = continuation(model, tokenizer, prompt)
    assert greedy.startswith(" broke")
    for one in ({"ke": -1.5}, {"broke": -1.5}):
        assert expected_text(model, tokenizer, prompt, boosted=one) == greedy
    boosted = {"ke": -1.5, "broke": -1.5}
    expected = expected_text(model, tokenizer, prompt, boosted=boosted)
    assert expected.startswith(" bro") and not expected.startswith(" broke")
    check(
        kata,
        model,
        tokenizer,
        prompt,
        "after ' bro', 'ke' gets -1.5 for 'ke' and -1.5 for ' broke': -3.0 in all, which pushes it away",
        boosted=boosted,
        tip="add each matching sequence's bias to the score (+=): when several match, their biases add up.",
    )


def test_a_ban_wins_over_a_boost(kata, tiny_llama):
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    prompt = "The attention mask tells"
    expected = expected_text(model, tokenizer, prompt, ["the"])
    assert expected_text(model, tokenizer, prompt, ["the"], {"the": 50.0}) == expected
    assert expected_text(model, tokenizer, prompt, boosted={"the": 50.0}) != expected
    check(
        kata,
        model,
        tokenizer,
        prompt,
        "'the' banned and boosted: banned",
        banned=["the"],
        boosted={"the": 50.0},
    )


def test_greedy_on_a_model_whose_generation_config_samples(kata, tiny_llama_sampling):
    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    assert model.generation_config.do_sample
    check(kata, model, tokenizer, "One day a storm", "asked for greedy explicitly", banned=("broke", "the"))
    model.generation_config.num_beams = 3  # greedy is one beam too: say so
    check(kata, model, tokenizer, "The plot made no", "one beam, though the config says 3", banned=["booked"])


@pytest.mark.parametrize(
    ("prompt", "banned", "settings", "error", "because"),
    [
        ("Once", "the", {}, TypeError, "a bare string is not a list of words (it would ban letters)"),
        ("", ["the"], {}, ValueError, "an empty prompt has nothing to continue"),
        ("Once", ["the", ""], {}, ValueError, "an empty word has no tokens to ban"),
        ("Once", ["  "], {}, ValueError, "a blank word is no word"),
        ("Once", [], {"boosted": {"": 2.0}}, ValueError, "an empty word has no tokens to boost"),
        ("Once", [], {"boosted": {" \t": 2.0}}, ValueError, "a blank word is no word"),
        ("Once", [], {"boosted": {"day": math.nan}}, ValueError, "a bias must be a finite number"),
        ("Once", [], {"boosted": {"day": math.inf}}, ValueError, "a bias must be a finite number"),
        (
            "Once",
            [],
            {"boosted": {"day": -math.inf}},
            ValueError,
            "a bias must be a finite number (ban it instead)",
        ),
        ("Once", ["the"], {"max_new_tokens": 0}, ValueError, "max_new_tokens must be at least 1"),
    ],
    ids=[
        "bare string",
        "empty prompt",
        "empty word",
        "blank word",
        "empty boosted word",
        "blank boosted word",
        "nan",
        "inf",
        "-inf",
        "0 tokens",
    ],
)
def test_bad_arguments_raise(kata, gpt2, prompt, banned, settings, error, because):
    model, tokenizer = gpt2
    expect_raises(kata, error, model, tokenizer, prompt, banned, because=because, **settings)
