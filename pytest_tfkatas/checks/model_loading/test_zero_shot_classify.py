"""Hidden checks: zero_shot_classify."""

from __future__ import annotations

import math
import numbers

import pytest
import torch

from pytest_tfkatas.harness import describe, expect, expect_raises

TEXT = "The food was delicious and the staff were friendly and kind."
LABELS = ["food", "travel", "politics", "weather"]
TOLERANCE = 1e-4


def entailment_scores(
    nli, text, labels, template="This example is {}.", multi_label=False
) -> dict[str, float]:
    """Zero-shot classification written out: one premise/hypothesis pair per label."""
    model, tokenizer = nli
    label2id = {name.lower(): i for name, i in model.config.label2id.items()}
    entail, contradict = label2id["entailment"], label2id["contradiction"]
    scores = {}
    with torch.no_grad():
        logits = torch.stack(
            [
                model(**tokenizer(text, template.format(label), return_tensors="pt")).logits[0]
                for label in labels
            ]
        )
    if multi_label:
        pairs = logits[:, [contradict, entail]].softmax(dim=-1)[:, 1]
        scores = dict(zip(labels, pairs.tolist(), strict=True))
    else:
        competing = logits[:, entail].softmax(dim=0)
        scores = dict(zip(labels, competing.tolist(), strict=True))
    return scores


@pytest.fixture
def nli(tiny_bert_nli):
    return tiny_bert_nli.load_model(), tiny_bert_nli.load_tokenizer()


def matches(got, expected) -> bool:
    return (
        isinstance(got, dict)
        and set(got) == set(expected)
        and all(math.isclose(float(got[k]), expected[k], abs_tol=TOLERANCE) for k in expected)
    )


def rounded(scores) -> object:
    if not isinstance(scores, dict):
        return describe(scores)
    return {k: round(float(v), 4) if isinstance(v, (int, float)) else describe(v) for k, v in scores.items()}


def test_every_label_gets_a_score_and_the_scores_sum_to_one(kata, tiny_bert_nli):
    scores = kata(TEXT, list(LABELS), tiny_bert_nli.path)
    expect(
        isinstance(scores, dict) and set(scores) == set(LABELS),
        kata,
        got=describe(scores),
        expected=f"a dict with one score per label: {LABELS}",
        tip=(
            "the pipeline returns {'sequence', 'labels', 'scores'}: "
            "dict(zip(result['labels'], result['scores']))."
        ),
    )
    numbers_only = all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in scores.values())
    expect(
        numbers_only,
        kata,
        got=f"scores of type {sorted({type(v).__name__ for v in scores.values()})}: {rounded(scores)}",
        expected="a float per label, not a tensor",
        tip="turn each score into a Python number with float(score) (or tensor.tolist()).",
    )
    total = sum(float(v) for v in scores.values())
    expect(
        math.isclose(total, 1.0, abs_tol=TOLERANCE),
        kata,
        got=f"scores {rounded(scores)} that sum to {total:.4f}",
        expected="scores that sum to 1: with multi_label=False the labels compete",
    )


def test_labels_are_kept_exactly_as_given(kata, tiny_bert_nli, nli):
    """Labels differ in case only: two labels, not a repeat, and each is a key as it was given."""
    labels = ("Food", "food", "Travel plans", "POLITICS")
    scores = kata(TEXT, labels, tiny_bert_nli.path)
    expected = entailment_scores(nli, TEXT, list(labels))
    tip = None
    if isinstance(scores, dict) and set(scores) != set(labels):
        tip = "use the labels as the keys, exactly as they were given (no lower() or strip())."
    expect(
        matches(scores, expected),
        kata,
        got=str(rounded(scores)),
        expected=f"{rounded(expected)}: a score for each of the distinct labels {list(labels)}",
        tip=tip,
    )


def test_the_scores_are_the_models_entailment_probabilities(kata, tiny_bert_nli, nli):
    for text, labels in [(TEXT, LABELS), ("The train leaves at nine.", ["travel", "cooking"])]:
        scores = kata(text, list(labels), tiny_bert_nli.path)
        expected = entailment_scores(nli, text, labels)
        expect(
            matches(scores, expected),
            kata,
            got=str(rounded(scores)),
            expected=f"{rounded(expected)}, the given NLI model's entailment scores for "
            "'This example is {label}.'",
            tip=(
                "use the model at model_name_or_path: "
                "pipeline('zero-shot-classification', model=model_name_or_path)."
            ),
        )


def test_the_model_at_the_given_path_is_used(kata, tiny_bert_nli):
    variant = tiny_bert_nli.variant(seed=7)
    scores = kata(TEXT, list(LABELS), variant.path)
    expected = entailment_scores((variant.load_model(), variant.load_tokenizer()), TEXT, LABELS)
    expect(
        matches(scores, expected),
        kata,
        got=str(rounded(scores)),
        expected=f"{rounded(expected)}, the scores of the model in the folder it was given",
        tip="pass model_name_or_path to the pipeline.",
    )


def test_multi_label_scores_each_label_on_its_own(kata, tiny_bert_nli, nli):
    scores = kata(TEXT, list(LABELS), tiny_bert_nli.path, multi_label=True)
    expected = entailment_scores(nli, TEXT, LABELS, multi_label=True)
    expect(
        matches(scores, expected),
        kata,
        got=str(rounded(scores)),
        expected=f"{rounded(expected)}: each label's entailment against contradiction, on its own",
        tip="pass multi_label=multi_label to the pipeline call.",
    )


def test_a_single_label_is_scored_on_its_own(kata, tiny_bert_nli, nli):
    scores = kata(TEXT, ("food",), tiny_bert_nli.path)  # a tuple: labels is a Sequence
    expected = entailment_scores(nli, TEXT, ["food"], multi_label=True)
    expect(
        matches(scores, expected),
        kata,
        got=str(rounded(scores)),
        expected=f"{rounded(expected)}: one label competes with nothing, so it is scored on its own "
        "(entailment against contradiction), as the pipeline does",
    )


def test_the_entailment_label_is_found_by_its_name(kata, tiny_bert_nli_shuffled):
    """An NLI model whose entailment label is id 0, not the usual 2."""
    model, tokenizer = tiny_bert_nli_shuffled.load_model(), tiny_bert_nli_shuffled.load_tokenizer()
    scores = kata(TEXT, list(LABELS), tiny_bert_nli_shuffled.path)
    expected = entailment_scores((model, tokenizer), TEXT, LABELS)
    expect(
        matches(scores, expected),
        kata,
        got=str(rounded(scores)),
        expected=f"{rounded(expected)}: the scores of the label the model calls 'entailment' "
        f"(id {model.config.label2id.get('entailment', '?')} in this model's config)",
        tip="find the entailment label by name in model.config.label2id (the pipeline does), "
        "never by a fixed index.",
    )


def test_the_hypothesis_template_is_used(kata, tiny_bert_nli, nli):
    template = "The topic of this review is {}."
    scores = kata(TEXT, list(LABELS), tiny_bert_nli.path, hypothesis_template=template)
    expected = entailment_scores(nli, TEXT, LABELS, template=template)
    expect(
        matches(scores, expected),
        kata,
        got=str(rounded(scores)),
        expected=f"{rounded(expected)}, the scores for hypotheses made with {template!r}",
        tip="pass hypothesis_template=hypothesis_template to the pipeline call.",
    )


def test_the_default_template_is_used_as_written_with_a_cased_tokenizer(kata, tiny_bert_nli, nli, tmp_path):
    """The NLI model saved with a tokenizer that keeps case, so "This example is {}." and a
    re-typed "this example is {}." give different hypotheses, and different scores."""
    from transformers import AutoTokenizer

    folder = tmp_path / "cased-nli"
    model = nli[0]
    model.save_pretrained(folder)
    cased = AutoTokenizer.from_pretrained(tiny_bert_nli.path, do_lower_case=False)
    cased.save_pretrained(folder)
    expected = entailment_scores((model, cased), TEXT, LABELS)
    lowered = entailment_scores((model, cased), TEXT, LABELS, template="this example is {}.")
    assert not matches(lowered, expected), "the check's cased tokenizer must tell the templates apart"
    scores = kata(TEXT, list(LABELS), folder)
    expect(
        matches(scores, expected),
        kata,
        got=str(rounded(scores)),
        expected=f"{rounded(expected)}, the scores with the default template 'This example is {{}}.' "
        "read by a tokenizer that keeps case",
        tip="keep the signature's default hypothesis_template and pass it on to the pipeline call.",
    )


@pytest.mark.parametrize(
    ("labels", "template", "because"),
    [
        ([], "This example is {}.", "there are no candidate labels"),
        (["food", "travel", "food"], "This example is {}.", "'food' is given twice"),
        ((), "This example is {}.", "an empty tuple holds no candidate labels"),
        (("food", "travel", "food"), "This example is {}.", "'food' is given twice"),
        (["food", "travel"], "This example is about food.", "the template has no {} for the label"),
        (["food", "travel"], "This example is {label}.", "'{label}' is a named field, not the {} asked for"),
    ],
    ids=[
        "no labels",
        "a repeated label",
        "an empty tuple",
        "a tuple with a repeated label",
        "a template without braces",
        "a template with a named field",
    ],
)
def test_bad_labels_or_template_raise_value_error(kata, tiny_bert_nli, labels, template, because):
    expect_raises(
        kata,
        ValueError,
        TEXT,
        labels,
        tiny_bert_nli.path,
        hypothesis_template=template,
        because=because,
    )
