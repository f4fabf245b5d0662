"""Hidden checks: load_custom_model."""

from __future__ import annotations

import copy
import types

import pytest
import torch
from safetensors.torch import load_file
from torch import nn

from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call


def classifier_of(kata, model):
    head = getattr(model, "classifier", None)
    expect(
        isinstance(head, nn.Linear),
        kata,
        got=f"{describe(model)}, which has no classification head",
        expected="a sequence classifier (model.classifier maps the pooled output to one score per label)",
        tip="AutoModel loads the bare encoder; use AutoModelForSequenceClassification.",
    )
    return head


def differing_weights(model, checkpoint) -> list[str]:
    saved = load_file(checkpoint / "model.safetensors")
    state = model.state_dict()
    return sorted(
        name
        for name, tensor in saved.items()
        if not name.startswith("classifier.") and (name not in state or not torch.equal(state[name], tensor))
    )


def test_no_overrides_loads_the_checkpoint_as_it_is(kata, tiny_bert):
    model = kata(tiny_bert.path, {})
    head = classifier_of(kata, model)
    expect(
        head.out_features == 2 and model.config.id2label == {0: "NEGATIVE", 1: "POSITIVE"},
        kata,
        got=f"a head with {head.out_features} labels {model.config.id2label}",
        expected="the checkpoint's 2 labels {0: 'NEGATIVE', 1: 'POSITIVE'}",
    )
    different = differing_weights(model, tiny_bert.path)
    expect(
        not different,
        kata,
        got=f"weights that differ from the checkpoint: {different[:3]}",
        expected="the pretrained weights",
        tip=(
            "from_config() builds a randomly initialised model; "
            "from_pretrained(..., config=config) loads the weights."
        ),
    )


def test_a_dropout_override_reaches_the_layers(kata, tiny_bert):
    """The overrides come as a read-only Mapping here: the contract takes any Mapping."""
    model = kata(tiny_bert.path, types.MappingProxyType({"hidden_dropout_prob": 0.25}))
    classifier_of(kata, model)
    rates = sorted(
        {
            module.p
            for name, module in model.named_modules()
            if isinstance(module, nn.Dropout) and "attention.self" not in name
        }
    )
    expect(
        model.config.hidden_dropout_prob == 0.25 and rates == [0.25],
        kata,
        got=f"config.hidden_dropout_prob={model.config.hidden_dropout_prob}, Dropout layers with p={rates}",
        expected="config.hidden_dropout_prob=0.25 and every hidden Dropout layer with p=0.25",
        tip=(
            "layers are built from the config when the model is created: pass the changed config to "
            "from_pretrained(..., config=config); changing model.config afterwards changes no layer."
        ),
    )
    expect(
        not differing_weights(model, tiny_bert.path),
        kata,
        got="weights that differ from the checkpoint",
        expected="the pretrained weights, with only the dropout rate changed",
    )


def test_a_new_number_of_labels_gets_a_new_head_and_keeps_the_encoder(kata, tiny_bert):
    overrides = {"num_labels": 5}
    model = kata(tiny_bert.path, overrides)
    expect(
        overrides == {"num_labels": 5},
        kata,
        got=f"the caller's overrides changed to {overrides!r}",
        expected="the overrides left as they were, {'num_labels': 5}",
        tip="read the overrides, never pop() or update them: they belong to the caller.",
    )
    head = classifier_of(kata, model)
    expect(
        head.out_features == 5 and model.config.num_labels == 5,
        kata,
        got=f"a head with {head.out_features} outputs and config.num_labels={model.config.num_labels}",
        expected="a head with 5 outputs and config.num_labels=5",
    )
    different = differing_weights(model, tiny_bert.path)
    expect(
        not different,
        kata,
        got=f"encoder weights that differ from the checkpoint: {different[:3]}",
        expected="the pretrained encoder weights; only the resized head is new",
    )
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([[2, 10, 11, 3]])).logits
    expect(
        tuple(logits.shape) == (1, 5),
        kata,
        got=f"logits of shape {tuple(logits.shape)}",
        expected="logits of shape (1, 5)",
    )


@pytest.mark.parametrize("typo", ["hidden_dropout", "num_label", "dropout_rate"])
def test_an_unknown_key_raises_value_error_naming_it(kata, tiny_bert, typo):
    expect_raises(
        kata,
        ValueError,
        tiny_bert.path,
        {typo: 0.2},
        because=f"{typo!r} is not a setting of BertConfig, and a typo must not pass silently",
        match=typo,
    )


def test_every_unknown_key_is_named_and_the_overrides_are_left_unchanged(kata, tiny_bert):
    overrides = {"hidden_dropout_prob": 0.1, "hidden_dropout": 0.2, "num_label": 3}
    before = copy.deepcopy(overrides)
    error = expect_raises(
        kata,
        ValueError,
        tiny_bert.path,
        overrides,
        because="'hidden_dropout' and 'num_label' are not settings of BertConfig",
    )
    missing = [key for key in ("hidden_dropout", "num_label") if key not in str(error)]
    expect(
        not missing,
        kata,
        got=f"ValueError: {error}",
        expected="a message that names both unknown keys, 'hidden_dropout' and 'num_label'",
        tip="collect every unknown key first, then raise once with all of them: the caller fixes them "
        "in one go.",
    )
    expect(
        overrides == before,
        kata,
        got=f"the caller's overrides changed to {overrides!r}",
        expected=f"the overrides left as they were, {before!r}",
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"intermediate_size": 48},
        {"num_labels": 3, "intermediate_size": 48},
        {"num_attention_heads": 4, "hidden_size": 48},
    ],
    ids=["intermediate size", "with a new head too", "hidden size"],
)
def test_resizing_a_pretrained_weight_outside_the_head_is_refused(kata, tiny_bert, overrides):
    """ignore_mismatched_sizes=True lets the head be resized, and any other weight as silently."""
    error = expect_raises(
        kata,
        Exception,
        tiny_bert.path,
        overrides,
        because="that override resizes pretrained encoder weights, which cannot be loaded and must "
        "not silently start from fresh weights (only a resized head may)",
    )
    if not isinstance(error, (ValueError, RuntimeError)):
        fail_call(
            kata,
            got=f"{type(error).__name__}: {error}",
            expected="ValueError (or transformers' RuntimeError about the size mismatch)",
        )


def test_a_missing_model_raises_oserror(kata, tmp_path):
    expect_raises(
        kata,
        OSError,
        tmp_path / "no-such-model",
        {},
        because="there is no model in that folder (let from_pretrained's error propagate)",
    )
