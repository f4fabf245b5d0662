"""Hidden checks: batch_by_length."""

from __future__ import annotations

import copy
import math
import random

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import tokenizer_changes, tokenizer_state
from pytest_tfkatas.harness import describe, expect, expect_raises

#: batch sizes of the main check: one that leaves a short last batch, one that divides evenly
SIZES = {"bert": 3, "bert-cased": 4}
#: a text of about 100 tokens (the tiny models take 128): a hard-coded max_length would cut it
LONG = " ".join(zoo.corpus()[12:19])


def mixed_texts(seed: int) -> list[str]:
    """Fifteen texts from 2 to 17 words in a shuffled order, two of them duplicates of others, and
    three whose length in characters is far from their length in tokens."""
    words = [sentence.split() for sentence in zoo.corpus()[:12]]
    texts = [" ".join(sentence[: 2 + (5 * k) % 16]) for k, sentence in enumerate(words[:10])]
    texts += [texts[3], texts[7], "1.2.3.4.5.6.7", "a,b,c,d,e,f", "patience librarian"]
    random.Random(seed).shuffle(texts)
    return texts


def alone(model, tokenizer, texts) -> torch.Tensor:
    """Each text's logits, run through the model on its own in evaluation mode (no padding)."""
    model = copy.deepcopy(model).eval()
    with torch.no_grad():
        return torch.cat([model(**tokenizer(text, return_tensors="pt")).logits for text in texts])


def record_batches(model) -> list[tuple[int, ...]]:
    """The shape of input_ids of every forward pass of ``model``, as they happen (seen by its input
    embeddings, so that model.forward(...) counts as well as model(...))."""
    shapes: list[tuple[int, ...]] = []
    model.get_input_embeddings().register_forward_pre_hook(
        lambda module, args: shapes.append(tuple(args[0].shape))
    )
    return shapes


def cells_when_sorted(lengths: list[int], batch_size: int, *, longest_first: bool) -> int:
    """How many token positions (padding included) consecutive batches of the sorted lengths hold."""
    ordered = sorted(lengths, reverse=longest_first)
    return sum(
        len(ordered[i : i + batch_size]) * max(ordered[i : i + batch_size])
        for i in range(0, len(ordered), batch_size)
    )


def modes(model) -> list[bool]:
    return [module.training for module in model.modules()]


def expect_logits(kata, logits, expected: torch.Tensor) -> None:
    __tracebackhide__ = True
    expect(
        isinstance(logits, torch.Tensor) and logits.dtype == torch.float32 and logits.shape == expected.shape,
        kata,
        got=describe(logits),
        expected=f"a float32 tensor of shape {list(expected.shape)}: one row of logits per text",
    )
    expect(
        not logits.requires_grad,
        kata,
        got="logits that require grad",
        expected="logits computed without gradients (torch.no_grad() or torch.inference_mode())",
    )
    off = (logits - expected).abs().max(dim=1).values
    wrong = [i for i, gap in enumerate(off.tolist()) if gap > 1e-5]
    expect(
        not wrong,
        kata,
        got=f"rows {wrong} differ from those texts' own logits (largest gap {off.max():.2e})",
        expected="row i = the logits of texts[i] run alone, in evaluation mode",
        tip="after sorting, write each batch's logits back at the original indices of its texts, "
        "pass the attention mask so that padding changes nothing, and do not truncate.",
    )


@pytest.mark.parametrize(
    ("name", "container"), [("bert", list), ("bert-cased", tuple)], ids=["bert-list", "bert-cased-tuple"]
)
def test_logits_match_each_text_alone_in_the_input_order_with_sorted_batches(kata, name, container):
    tiny = zoo.get(name)
    model, tokenizer = tiny.load_model().eval(), tiny.load_tokenizer()
    texts = mixed_texts(seed=len(name))
    texts.insert(5, LONG)
    texts = container(texts)
    before = copy.deepcopy(texts)
    tokenizer_before = tokenizer_state(tokenizer)
    expected = alone(model, tokenizer, texts)
    batch_size = SIZES[name]
    shapes = record_batches(model)
    logits = kata(model, tokenizer, texts, batch_size)
    expect(texts == before, kata, got=f"texts changed to {texts!r}", expected="the texts left as they were")
    expect(
        tokenizer_state(tokenizer) == tokenizer_before,
        kata,
        got=f"the tokenizer changed: {tokenizer_changes(tokenizer_before, tokenizer_state(tokenizer))}",
        expected="the tokenizer left as it was",
    )
    expect_logits(kata, logits, expected)
    lengths = [len(tokenizer(text)["input_ids"]) for text in texts]
    best = [cells_when_sorted(lengths, batch_size, longest_first=first) for first in (False, True)]
    rows = [shape[0] for shape in shapes]
    cells = sum(math.prod(shape) for shape in shapes)
    expect(
        len(shapes) == math.ceil(len(texts) / batch_size) and max(rows) <= batch_size,
        kata,
        got=f"{len(shapes)} forward calls of {rows} texts",
        expected=f"{math.ceil(len(texts) / batch_size)} calls of at most {batch_size} texts",
    )
    expect(
        cells <= max(best),
        kata,
        got=f"batches of shapes {shapes}: {cells} token positions for {sum(lengths)} tokens",
        expected=f"at most {max(best)} positions: batches cut from the texts sorted by tokenized length, "
        "each padded to its own longest text",
        tip="sort the indices by len(tokenizer(text)['input_ids']) and pad each batch with padding=True "
        "(to its longest), not to a fixed max_length.",
    )


@pytest.mark.parametrize("batch_size", [1, 15, 16], ids=["one", "all", "more-than-all"])
def test_a_batch_size_of_one_and_of_at_least_every_text(kata, tiny_bert, batch_size):
    model, tokenizer = tiny_bert.load_model().eval(), tiny_bert.load_tokenizer()
    texts = mixed_texts(seed=7)
    expected = alone(model, tokenizer, texts)
    shapes = record_batches(model)
    logits = kata(model, tokenizer, texts, batch_size)
    expect_logits(kata, logits, expected)
    want = [1] * len(texts) if batch_size == 1 else [len(texts)]
    expect(
        [shape[0] for shape in shapes] == want,
        kata,
        got=f"forward calls of {[shape[0] for shape in shapes]} texts",
        expected=f"forward calls of {want} texts",
    )


def test_no_texts_give_an_empty_tensor_without_calling_the_model(kata, tiny_bert_nli):
    model, tokenizer = tiny_bert_nli.load_model(), tiny_bert_nli.load_tokenizer()
    shapes = record_batches(model)
    for empty in ([], ()):
        logits = kata(model, tokenizer, empty, 4)
        expect(
            isinstance(logits, torch.Tensor) and logits.shape == (0, 3) and logits.dtype == torch.float32,
            kata,
            got=describe(logits),
            expected="a float32 tensor of shape [0, 3] (no texts, num_labels = 3)",
        )
    expect(not shapes, kata, got=f"{len(shapes)} forward calls", expected="no forward call for no texts")


@pytest.mark.parametrize("training", [True, False], ids=["train-mode", "eval-mode"])
def test_the_model_runs_without_dropout_and_is_left_in_its_mode(kata, tiny_bert, training):
    model, tokenizer = tiny_bert.load_model().train(training), tiny_bert.load_tokenizer()
    texts = mixed_texts(seed=3)[:7]
    expected = alone(model, tokenizer, texts)
    weights = copy.deepcopy(model.state_dict())
    seen: list[bool] = []
    model.get_input_embeddings().register_forward_pre_hook(
        lambda module, args: seen.append(any(modes(model)))
    )
    logits = kata(model, tokenizer, texts, 2)
    expect(
        seen and not any(seen),
        kata,
        got="the model (or some of its layers) ran in training mode" if seen else "the model never ran",
        expected="every forward pass in evaluation mode (dropout off)",
        tip="model.eval() before the batches; dropout would make each text's logits random.",
    )
    expect_logits(kata, logits, expected)
    expect(
        modes(model) == [training] * len(modes(model)),
        kata,
        got=f"model.training={model.training} after the call, its layers {sorted(set(modes(model)))}",
        expected=f"the model left in the mode it was in (training={training}), every layer of it",
        tip="note model.training first and restore it with model.train(was_training) at the end.",
    )
    changed = [key for key, value in model.state_dict().items() if not torch.equal(value, weights[key])]
    expect(
        not changed and all(p.grad is None for p in model.parameters()),
        kata,
        got=f"weights changed: {changed[:3]}" if changed else "gradients left in .grad",
        expected="the weights and their gradients as they were",
    )


@pytest.mark.parametrize("batch_size", [0, -2])
def test_a_batch_size_below_one_is_refused_before_the_model_runs(kata, tiny_bert, batch_size):
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    shapes = record_batches(model)
    for texts, because in (
        (mixed_texts(seed=1), "a batch holds at least one text"),
        ([], "a batch holds at least one text, even when there are no texts"),
    ):
        expect_raises(kata, ValueError, model, tokenizer, texts, batch_size, because=because)
    expect(not shapes, kata, got=f"{len(shapes)} forward calls", expected="the error before any forward call")
