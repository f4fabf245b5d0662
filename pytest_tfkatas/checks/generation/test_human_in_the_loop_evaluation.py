"""Hidden checks: human_in_the_loop_evaluation."""

from __future__ import annotations

import builtins

import pytest

from pytest_tfkatas.checks.helpers import greedy_continuation
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

PROMPTS = ["Once upon a time", "The robot read"]
REASK_TIP = "an invalid answer is asked again (up to max_attempts times): parse it, and ask once more."


class Human:
    """A scripted human: answers the questions in order, and records them."""

    def __init__(self, kata, *answers: str, tip: str = "ask at most max_attempts times per prompt.") -> None:
        self.kata = kata
        self.answers = list(answers)
        self.questions: list[str] = []
        #: What to say when the function asks more questions than there are answers.
        self.tip = tip

    def __repr__(self) -> str:
        return f"<a human who answers {', '.join(map(repr, self.answers))}>"

    def __call__(self, question: str) -> str:
        self.questions.append(question)
        if len(self.questions) > len(self.answers):
            fail_call(
                self.kata,
                got=f"question #{len(self.questions)}: {question!r}",
                expected=f"{questions(len(self.answers))} at most: the answers were {self.answers!r}",
                tip=self.tip,
            )
        return self.answers[len(self.questions) - 1]


def questions(count: int) -> str:
    return f"{count} question" if count == 1 else f"{count} questions"


def call(kata, *args, **kwargs):
    """Call the kata; an answer turned into int() without re-asking gets a tip."""
    try:
        return kata(*args, **kwargs)
    except ValueError as error:
        if "invalid literal for int()" not in str(error):
            raise
        fail_call(kata, got=f"ValueError: {error}", expected="the invalid answer asked again", tip=REASK_TIP)


@pytest.fixture(autouse=True)
def no_keyboard(monkeypatch, request):
    """input() must never be called: the human is reached through ``ask`` only."""
    kata = request.getfixturevalue("kata")

    def refuse(*args: object) -> str:
        fail_call(
            kata,
            got=f"it called input({', '.join(map(repr, args))})",
            expected="every question asked through the ask callable it is given",
            tip="call ask(question) and use its answer: input() blocks tests, servers and notebooks.",
        )

    monkeypatch.setattr(builtins, "input", refuse)


def test_each_prompt_gets_its_text_and_score(kata, tiny_gpt2, gpt2):
    # A variant answers differently: the texts must come from the model that is passed in.
    model, tokenizer = tiny_gpt2.variant(seed=6).load_model(), gpt2[1]
    human = Human(kata, "4", " 2 \n")
    ratings = call(kata, model, tokenizer, list(PROMPTS), human, max_new_tokens=6)
    expected = [
        {"prompt": prompt, "text": greedy_continuation(model, tokenizer, prompt, 6), "score": score}
        for prompt, score in zip(PROMPTS, [4, 2], strict=True)
    ]
    tip = None
    if isinstance(ratings, list) and ratings and isinstance(ratings[0], dict):
        if str(ratings[0].get("text", "")).startswith(PROMPTS[0]):
            tip = "the text is the continuation alone: decode outputs[0, prompt_length:]."
        elif not isinstance(ratings[0].get("score"), int):
            tip = "turn the answer into an int: int(answer.strip())."
    expect(
        ratings == expected and all(type(r["score"]) is int for r in ratings),
        kata,
        got=describe(ratings) if not isinstance(ratings, list) else repr(ratings),
        expected=f"{expected!r}: one rating per prompt, the greedy continuation and the score as an int",
        tip=tip,
    )


def test_the_question_shows_the_prompt_the_text_and_the_scale(kata, gpt2):
    model, tokenizer = gpt2
    human = Human(
        kata, "7", tip="'7' is on the scale 0 to 10: check answers against low and high, not 1 to 5."
    )
    ratings = call(kata, model, tokenizer, ["Rain fell softly"], human, max_new_tokens=5, low=0, high=10)
    text = greedy_continuation(model, tokenizer, "Rain fell softly", 5)
    question = human.questions[0] if human.questions else ""
    missing = [part for part in ("Rain fell softly", text, "0", "10") if part not in question]
    expect(
        human.questions and not missing,
        kata,
        got=f"the question {question!r}" if human.questions else "no question asked",
        expected=f"a question that shows the prompt, the continuation {text!r} and the scale 0 to 10",
        tip="the human can only rate what they see: put the prompt, the text, low and high in the question.",
    )
    expect(
        isinstance(ratings, list) and len(ratings) == 1 and ratings[0].get("score") == 7,
        kata,
        got=repr(ratings),
        expected="a score of 7: it is on the scale 0 to 10",
        tip="check the answer against low and high, not a fixed 1 to 5.",
    )


def test_invalid_answers_are_asked_again(kata, gpt2):
    model, tokenizer = gpt2
    human = Human(kata, "great", "7", "", "3", "0", "5")
    ratings = call(kata, model, tokenizer, list(PROMPTS), human, max_new_tokens=4, max_attempts=4)
    scores = [r.get("score") for r in ratings] if isinstance(ratings, list) else ratings
    expect(
        scores == [3, 5],
        kata,
        got=f"scores {scores!r}, after {questions(len(human.questions))}",
        expected="scores [3, 5]: 'great', '7' (off the 1 to 5 scale) and '' asked again before '3', "
        "and '0' before '5'",
        tip="an answer outside low..high is invalid too: ask again."
        if isinstance(scores, list) and 7 in scores
        else REASK_TIP,
    )
    expect(
        len(human.questions) == 6,
        kata,
        got=questions(len(human.questions)),
        expected="6 questions: 4 for the first prompt, 2 for the second",
    )
    bare = [
        q
        for q, prompt in zip(human.questions, [PROMPTS[0]] * 4 + [PROMPTS[1]] * 2, strict=False)
        if not isinstance(q, str) or prompt not in q
    ]
    expect(
        not bare,
        kata,
        got=f"questions asked again without their prompt: {bare[:2]!r}",
        expected="every question, the repeated ones too, showing the prompt, the text and the scale",
        tip="ask the same question again (a reminder of the scale in front of it is fine).",
    )


def test_too_many_invalid_answers_raise_value_error(kata, gpt2):
    model, tokenizer = gpt2
    human = Human(kata, "nope", "six", "meh", tip="ask at most max_attempts times, then raise ValueError.")
    expect_raises(
        kata,
        ValueError,
        model,
        tokenizer,
        PROMPTS[:1],
        human,
        max_new_tokens=4,
        max_attempts=3,
        because="3 invalid answers use up max_attempts=3 and there is no score to return",
        match="meh",
    )
    expect(
        len(human.questions) == 3,
        kata,
        got=questions(len(human.questions)),
        expected="3 questions: max_attempts=3",
        tip=REASK_TIP,
    )


def test_the_defaults_greedy_on_a_sampling_model_20_tokens_scale_1_to_5(kata, tiny_llama_sampling):
    """A Llama-style model whose generation_config samples: greedy must be asked for. Its first
    prompt ends early with </s>, which must not reach the text; the second runs to 20 tokens.
    The default scale is 1 to 5, both included: '6' is asked again, '1' and '5' are scores."""
    from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS

    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    prompts = (LLAMA_EOS_PROMPTS[0], "Once upon a time")
    human = Human(kata, "1", "6", "5", tip="the default scale is 1 to 5: '6' is asked again, '5' is a score.")
    ratings = call(kata, model, tokenizer, prompts, human)
    expected = [
        {"prompt": prompt, "text": greedy_continuation(model, tokenizer, prompt, 20), "score": score}
        for prompt, score in zip(prompts, [1, 5], strict=True)
    ]
    tip = None
    if isinstance(ratings, list) and any(
        "</s>" in str(r.get("text", "")) for r in ratings if isinstance(r, dict)
    ):
        tip = "decode with skip_special_tokens=True."
    elif isinstance(ratings, list) and len(ratings) == 2 and [r.get("score") for r in ratings] == [1, 5]:
        tip = "generate 20 greedy tokens by default (do_sample=False: this generation_config samples)."
    expect(
        ratings == expected and len(human.questions) == 3,
        kata,
        got=f"{ratings!r} after {questions(len(human.questions))}",
        expected=f"{expected!r} after 3 questions: the defaults (20 greedy tokens, a scale of 1 to 5)",
        tip=tip,
    )


def test_the_defaults_are_three_attempts_and_20_tokens_and_one_attempt_is_allowed(kata, gpt2):
    model, tokenizer = gpt2
    human = Human(
        kata, "x", "y", "z", "4", tip="the default max_attempts is 3: raise after the third invalid answer."
    )
    expect_raises(
        kata,
        ValueError,
        model,
        tokenizer,
        PROMPTS[:1],
        human,
        max_new_tokens=3,
        because="3 invalid answers use up the default max_attempts=3",
    )
    human = Human(kata, "2", tip="max_attempts=1 asks once.")
    ratings = call(kata, model, tokenizer, PROMPTS[:1], human, max_attempts=1)
    expected = [
        {"prompt": PROMPTS[0], "text": greedy_continuation(model, tokenizer, PROMPTS[0], 20), "score": 2}
    ]
    expect(
        ratings == expected,
        kata,
        got=repr(ratings),
        expected=f"{expected!r}: max_attempts=1 allows one question; the text has the default 20 new tokens",
    )


def test_a_scale_through_zero_and_a_prompt_given_twice(kata, gpt2):
    """On the scale -2 to 2, "-1", "0" and "-2" are scores; "1.5" is no whole number and "-3" is
    off the scale, so both are asked again. A prompt given twice is rated twice, in order."""
    model, tokenizer = gpt2
    prompts = [PROMPTS[0], PROMPTS[0], PROMPTS[1]]
    human = Human(
        kata,
        "-1",
        "1.5",
        "0",
        "-3",
        "-2",
        tip="on the scale -2 to 2, '-1', '0' and '-2' are valid: int(answer.strip()), then low..high.",
    )
    ratings = call(kata, model, tokenizer, prompts, human, max_new_tokens=4, low=-2, high=2)
    expected = [
        {"prompt": prompt, "text": greedy_continuation(model, tokenizer, prompt, 4), "score": score}
        for prompt, score in zip(prompts, [-1, 0, -2], strict=True)
    ]
    tip = None
    if not isinstance(ratings, list) or len(ratings) != 3:
        tip = "one rating per prompt given, a repeated prompt included: loop over the prompts as they come."
    elif [r.get("score") for r in ratings if isinstance(r, dict)] == [-1, 1, -2]:
        tip = "'1.5' is no whole number: int(answer.strip()) refuses it, float() does not."
    expect(
        ratings == expected and all(type(r["score"]) is int for r in ratings) and len(human.questions) == 5,
        kata,
        got=f"{ratings!r} after {questions(len(human.questions))}",
        expected=f"{expected!r} after 5 questions: '1.5' and '-3' asked again; -1, 0 and -2 are scores",
        tip=tip,
    )


@pytest.mark.parametrize(
    ("prompts", "settings", "because"),
    [
        ([], {}, "there is no prompt to evaluate"),
        (PROMPTS, {"low": 5, "high": 1}, "the scale 5 to 1 is upside down"),
        (
            PROMPTS,
            {"low": 3, "high": 3},
            "a scale from 3 to 3 leaves nothing to choose: low must be less than high",
        ),
        (PROMPTS, {"max_attempts": 0}, "max_attempts must be at least 1"),
    ],
    ids=["no prompts", "upside-down scale", "a one-point scale", "no attempts"],
)
def test_bad_arguments_raise_value_error(kata, gpt2, prompts, settings, because):
    model, tokenizer = gpt2
    human = Human(kata, tip="check the arguments before generating or asking anything.")
    expect_raises(kata, ValueError, model, tokenizer, list(prompts), human, because=because, **settings)
    expect(not human.questions, kata, got=f"questions asked: {human.questions}", expected="no question asked")
