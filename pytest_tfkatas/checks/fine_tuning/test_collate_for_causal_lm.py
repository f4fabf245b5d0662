"""Hidden checks: collate_for_causal_lm."""

from __future__ import annotations

import copy
import math
from types import MappingProxyType

import pytest
import torch

from pytest_tfkatas.checks.fine_tuning.helpers import texts
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call


def short_texts(count: int, *, start: int) -> list[str]:
    """Lines of different lengths, short enough for a message to show whole batches."""
    return [" ".join(line.split()[: 2 + 2 * (i % 3)]) for i, line in enumerate(texts(count, start=start))]


def features_of(tokenizer, lines, *, with_eos=True, with_mask=True) -> list[dict[str, list[int]]]:
    """Tokenized texts as a dataset.map() would give them, each ending with the eos token."""
    features = []
    for line in lines:
        ids = tokenizer(line)["input_ids"]
        if with_eos:
            ids = [*ids, tokenizer.eos_token_id]
        feature = {"input_ids": ids}
        if with_mask:
            feature["attention_mask"] = [1] * len(ids)
        features.append(feature)
    return features


def by_hand(
    features, pad_id: int, *, left: bool = False, multiple: int | None = None
) -> dict[str, torch.Tensor]:
    length = max(len(feature["input_ids"]) for feature in features)
    if multiple:
        length = math.ceil(length / multiple) * multiple
    rows, masks, labels = [], [], []
    for feature in features:
        ids = list(feature["input_ids"])
        padding = length - len(ids)
        if left:
            rows.append([pad_id] * padding + ids)
            masks.append([0] * padding + [1] * len(ids))
            labels.append([-100] * padding + ids)
        else:
            rows.append(ids + [pad_id] * padding)
            masks.append([1] * len(ids) + [0] * padding)
            labels.append(ids + [-100] * padding)
    return {
        "input_ids": torch.tensor(rows),
        "attention_mask": torch.tensor(masks),
        "labels": torch.tensor(labels),
    }


def labels_tip(got: torch.Tensor, expected: dict[str, torch.Tensor], eos_id: int | None) -> str:
    want, ids = expected["labels"], expected["input_ids"]
    generic = "labels are the input ids, unshifted (the model shifts them itself), with -100 on the padding."
    if got.shape != want.shape:
        return generic
    got = got.long()
    if torch.equal(got, ids):
        return "padding must not be a target: set the labels of padded positions to -100."
    if torch.equal(got[:, :-1], want[:, 1:]):
        return "do not shift the labels: the model shifts them itself (labels = input ids)."
    real_eos = (expected["attention_mask"] == 1) & (ids == eos_id) if eos_id is not None else ids < 0
    if bool((got[real_eos] == -100).any()) and torch.equal(got[~real_eos], want[~real_eos]):
        return (
            "a real eos token lost its label. The pad token is the eos token here, so "
            "labels[input_ids == pad_token_id] = -100 (what DataCollatorForLanguageModeling(mlm=False) "
            "does) hides every eos too, and the model never learns to stop: mark -100 where "
            "attention_mask == 0 instead."
        )
    return generic


def check_batch(kata, batch, expected, eos_id) -> None:
    expect(
        isinstance(batch, dict) and {"input_ids", "attention_mask", "labels"} <= set(batch),
        kata,
        got=describe(batch),
        expected="a dict with input_ids, attention_mask and labels",
    )
    for key in ("input_ids", "attention_mask", "labels"):
        got = batch[key]
        want = expected[key]
        if isinstance(got, torch.Tensor) and got.shape == want.shape and torch.equal(got.long(), want):
            expect(
                got.dtype == torch.long,
                kata,
                got=f"{key} of dtype {got.dtype}",
                expected=f"{key} of dtype torch.int64 (torch.long), as embeddings and the loss take ids",
                tip="build the tensors with dtype=torch.long (torch.tensor of Python ints gives it).",
            )
            continue
        tip = None
        if key == "labels":
            tip = labels_tip(got, expected, eos_id) if isinstance(got, torch.Tensor) else None
        elif isinstance(got, torch.Tensor) and got.shape != want.shape:
            tip = "pad to the longest example of the batch (padding=True), rounded up to pad_to_multiple_of."
        elif key == "input_ids":
            tip = "pad with the pad token (the eos token when there is none) on tokenizer.padding_side."
        fail_call(
            kata,
            got=f"{key} = {got.tolist() if isinstance(got, torch.Tensor) else describe(got)}",
            expected=f"{key} = {want.tolist()}",
            tip=tip,
        )


def collate(kata, tokenizer, features, **settings):
    """Call the kata and check that it left the examples as they were."""
    before = copy.deepcopy(features)
    batch = kata(tokenizer, features, **settings)
    expect(
        features == before,
        kata,
        got=f"the examples changed by the call into {features!r}",
        expected=f"the examples left as they were given, {before!r}",
        tip="the examples belong to the caller (a dataset may hold them): pad copies of the id lists, "
        "not the lists themselves, and add no keys to them.",
    )
    return batch


def test_right_padding_gives_pad_ids_a_mask_and_labels_of_minus_100(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    eos = tokenizer.eos_token_id
    features = features_of(tokenizer, short_texts(3, start=5))
    expected = by_hand(features, eos)
    batch = collate(kata, tokenizer, features)
    check_batch(kata, batch, expected, eos)


def test_the_loss_of_the_batch_is_the_loss_of_the_texts(kata, tiny_gpt2):
    model, tokenizer = tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
    features = features_of(tokenizer, short_texts(6, start=30), with_mask=False)
    with torch.no_grad():
        total, count = 0.0, 0
        for feature in features:
            ids = torch.tensor([feature["input_ids"]])
            predicted = ids.shape[1] - 1  # every token but the first is predicted from the ones before it
            total += float(model(input_ids=ids, labels=ids).loss) * predicted
            count += predicted
        expected = total / count
        batch = collate(kata, tokenizer, features)
        expect(
            isinstance(batch, dict) and "labels" in batch,
            kata,
            got=describe(batch),
            expected="a dict with input_ids, attention_mask and labels",
        )
        loss = float(model(**batch).loss)
    expect(
        math.isclose(loss, expected, rel_tol=1e-4),
        kata,
        got=f"model(**batch).loss = {loss:.6f}",
        expected=f"{expected:.6f}, the loss of the texts taken one by one, weighted by their token counts",
        tip="labels = input_ids (unshifted) with -100 on the padding only: the model shifts the labels "
        "itself, and ignores the positions labelled -100.",
    )


def test_left_padding_follows_the_tokenizer(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer(padding_side="left")
    eos = tokenizer.eos_token_id
    features = features_of(tokenizer, short_texts(3, start=50))
    expected = by_hand(features, eos, left=True)
    batch = collate(kata, tokenizer, features)
    check_batch(kata, batch, expected, eos)


@pytest.mark.parametrize("multiple", [8, 5, 1])
def test_pad_to_multiple_of_rounds_the_length_up(kata, tiny_gpt2, multiple):
    tokenizer = tiny_gpt2.load_tokenizer()
    eos = tokenizer.eos_token_id
    features = features_of(tokenizer, short_texts(2, start=60), with_mask=False)
    expected = by_hand(features, eos, multiple=multiple)
    batch = collate(kata, tokenizer, features, pad_to_multiple_of=multiple)
    check_batch(kata, batch, expected, eos)


@pytest.mark.parametrize("model_name", ["bert-cased", "llama"])
def test_a_tokenizer_with_a_pad_token_pads_with_it(kata, model_name, request):
    """[PAD] is 498 in the cased BERT (no eos token); the Llama tokenizer's <pad> is 513, apart from
    its </s> (515): padding with 0, or with eos, shows."""
    tokenizer = request.getfixturevalue(f"tiny_{model_name.replace('-', '_')}").load_tokenizer()
    with_eos = tokenizer.eos_token_id is not None
    features = features_of(tokenizer, short_texts(3, start=70), with_eos=with_eos)
    expected = by_hand(features, tokenizer.pad_token_id)
    batch = collate(kata, tokenizer, features)
    check_batch(kata, batch, expected, tokenizer.eos_token_id)


def test_a_tokenizer_without_a_pad_token_pads_with_its_eos_token(kata, tiny_llama):
    """The Llama tokenizer with its pad token taken away: its eos (</s>, 515) is not id 0."""
    tokenizer = tiny_llama.load_tokenizer()
    tokenizer.pad_token = None
    features = features_of(tokenizer, short_texts(4, start=75))
    expected = by_hand(features, tokenizer.eos_token_id)
    batch = collate(kata, tokenizer, features)
    check_batch(kata, batch, expected, tokenizer.eos_token_id)


def test_a_tuple_of_read_only_examples_with_tuples_of_ids_is_accepted(kata, tiny_gpt2):
    """The contract takes any Sequence of Mappings of Sequences: not only lists of dicts of lists."""
    tokenizer = tiny_gpt2.load_tokenizer()
    eos = tokenizer.eos_token_id
    features = features_of(tokenizer, short_texts(3, start=40))
    expected = by_hand(features, eos)
    given = tuple(
        MappingProxyType({key: tuple(value) for key, value in feature.items()}) for feature in features
    )
    batch = kata(tokenizer, given)
    check_batch(kata, batch, expected, eos)


def test_a_tokenizer_with_neither_a_pad_nor_an_eos_token_raises_value_error(kata, tiny_bert_cased):
    tokenizer = tiny_bert_cased.load_tokenizer()  # no eos token
    tokenizer.pad_token = None
    expect_raises(
        kata,
        ValueError,
        tokenizer,
        [{"input_ids": [5, 6, 7]}, {"input_ids": [8]}],
        because="the tokenizer has neither a pad token nor an eos token to pad with",
    )


@pytest.mark.parametrize(
    ("features", "settings", "because"),
    [
        ([], {}, "there are no examples to collate"),
        ([{"attention_mask": [1, 1]}], {}, "an example without input_ids has nothing to pad"),
        (
            [{"input_ids": [5, 6]}, {"attention_mask": [1, 1]}],
            {},
            "the second example has no input_ids (every example needs them, not only the first)",
        ),
        ([{"input_ids": [5, 6]}], {"pad_to_multiple_of": 0}, "lengths cannot be multiples of 0"),
        ([{"input_ids": [5, 6]}], {"pad_to_multiple_of": -8}, "lengths cannot be multiples of -8"),
    ],
    ids=[
        "no features",
        "no input_ids",
        "a later example without input_ids",
        "multiple of 0",
        "multiple of -8",
    ],
)
def test_bad_input_raises_value_error(kata, tiny_gpt2, features, settings, because):
    expect_raises(kata, ValueError, tiny_gpt2.load_tokenizer(), features, **settings, because=because)
