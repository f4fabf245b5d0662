"""Hidden checks: classify_texts."""

from __future__ import annotations

import math

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

#: Texts of very different lengths: padding shows wherever the mask is missing.
TEXTS = (
    "What a lovely quiet morning.",
    "No.",
    "The robot broke the old lamp, then it fixed the lamp, and then it broke the lamp again.",
    "No.",
)


def one_by_one(model, tokenizer, texts) -> list[tuple[str, float]]:
    """Each text on its own (no padding at all), truncated to the model's length."""
    answers = []
    for text in texts:
        inputs = tokenizer(text, truncation=True, return_tensors="pt")
        with torch.no_grad():
            probabilities = model(**inputs).logits[0].softmax(dim=-1)
        index = int(probabilities.argmax())
        answers.append((model.config.id2label[index], float(probabilities[index])))
    return answers


def check_answers(kata, model, tokenizer, texts, what: str) -> None:
    __tracebackhide__ = True
    grad_modes: list[bool] = []  # torch.is_grad_enabled() at each forward pass of the model
    hook = model.register_forward_pre_hook(lambda module, args: grad_modes.append(torch.is_grad_enabled()))
    try:
        result = kata(model, tokenizer, texts)
    finally:
        hook.remove()
    expected = one_by_one(model, tokenizer, texts)
    shaped = (
        isinstance(result, list)
        and len(result) == len(expected)
        and all(isinstance(answer, tuple) and len(answer) == 2 for answer in result)
    )
    expect(
        shaped,
        kata,
        got=describe(result),
        expected=f"a list of {len(expected)} (label, probability) tuples, one per text",
    )
    kinds = [(type(label).__name__, type(p).__name__) for label, p in result]
    expect(
        all(kind == ("str", "float") for kind in kinds),
        kata,
        got=f"answers of types {kinds}",
        expected="each answer a (str, float): the label's name and float(probability)",
        tip="id2label gives the name; float(tensor) gives a Python float.",
    )
    labels_ok = [label for label, _ in result] == [label for label, _ in expected]
    close = labels_ok and all(
        math.isclose(p, q, abs_tol=1e-5) for (_, p), (_, q) in zip(result, expected, strict=True)
    )
    tip = None
    if labels_ok and not close:
        tip = "the probability of the chosen label: softmax over the labels (dim=-1), not over the batch."
    elif not labels_ok:
        tip = (
            "pass the attention mask to the model (model(**batch)): without it, the padding of the "
            "short texts changes their answers; and name labels with model.config.id2label."
        )
    expect(
        close,
        kata,
        got=str([(label, round(p, 5)) for label, p in result]),
        expected=f"{[(label, round(p, 5)) for label, p in expected]}: {what}",
        tip=tip,
    )
    expect(
        grad_modes == [False],
        kata,
        got=f"{len(grad_modes)} forward passes of the model, with gradients recorded: {grad_modes}",
        expected="one forward pass for the whole batch, without recording gradients: [False]",
        tip="tokenize all the texts at once, and run model(**batch) once inside torch.inference_mode().",
    )


def test_each_text_gets_the_answer_it_gets_alone(kata, tiny_bert):
    check_answers(
        kata,
        tiny_bert.load_model(),
        tiny_bert.load_tokenizer(),
        TEXTS,
        "each text as the model reads it alone",
    )


def test_labels_come_from_the_models_own_id2label(kata, tiny_bert_nli_shuffled):
    """Three labels, entailment first: no label list may be written into the code."""
    model, tokenizer = tiny_bert_nli_shuffled.load_model(), tiny_bert_nli_shuffled.load_tokenizer()
    texts = list(zoo.corpus()[:8])
    check_answers(
        kata, model, tokenizer, texts, "with this model's labels, entailment, contradiction, neutral"
    )


def test_a_cased_tokenizer_whose_pad_is_not_zero_and_an_over_long_text(kata, tiny_bert_cased):
    """The cased BERT pads with an id other than 0; the last text is longer than the model's 128
    positions, so it must be truncated."""
    model, tokenizer = tiny_bert_cased.load_model(), tiny_bert_cased.load_tokenizer()
    long_text = " ".join(zoo.corpus()[:30])
    assert len(tokenizer(long_text)["input_ids"]) > model.config.max_position_embeddings
    check_answers(
        kata, model, tokenizer, ["Rain FELL on Paris.", "rain fell on paris.", long_text], "truncated"
    )


def test_one_text_and_a_tuple_and_nothing_changed(kata, tiny_bert):
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    settings = (tokenizer.padding_side, tokenizer.truncation_side, tokenizer.model_max_length)
    check_answers(kata, model, tokenizer, ("Hi!",), "a single text in a tuple")
    expect(
        not model.training
        and settings == (tokenizer.padding_side, tokenizer.truncation_side, tokenizer.model_max_length),
        kata,
        got=f"model.training={model.training}, tokenizer settings {settings}",
        expected="the model still in evaluation mode and the tokenizer's settings as they were",
    )


@pytest.mark.parametrize("texts", [[], ()], ids=["empty list", "empty tuple"])
def test_no_texts_raise_value_error(kata, tiny_bert, texts):
    expect_raises(
        kata,
        ValueError,
        tiny_bert.load_model(),
        tiny_bert.load_tokenizer(),
        texts,
        because="there is no text",
    )
