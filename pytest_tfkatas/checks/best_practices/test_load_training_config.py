"""Hidden checks: load_training_config."""

from __future__ import annotations

import dataclasses
import json

import pytest

from pytest_tfkatas.harness import describe, expect, expect_raises

#: TrainingConfig's defaults, as the stub declares them.
DEFAULTS = {
    "output_dir": "outputs",
    "learning_rate": 5e-5,
    "per_device_train_batch_size": 16,
    "num_train_epochs": 3.0,
    "max_length": 512,
    "seed": 42,
}
TYPES = {
    "output_dir": str,
    "learning_rate": float,
    "per_device_train_batch_size": int,
    "num_train_epochs": float,
}
TYPES |= {"max_length": int, "seed": int, "model_name_or_path": str}


def write(tmp_path, settings, name="config.json"):
    path = tmp_path / name
    path.write_text(json.dumps(settings), encoding="utf-8")
    return path


def settings_of(kata, config) -> dict:
    expect(
        dataclasses.is_dataclass(config) and type(config).__name__ == "TrainingConfig",
        kata,
        got=describe(config),
        expected="a TrainingConfig (the dataclass of the kata's file)",
        tip="build the dataclass, TrainingConfig(**values), rather than returning a dict.",
    )
    return dataclasses.asdict(config)


def wrong_types(settings: dict) -> dict:
    return {key: type(value).__name__ for key, value in settings.items() if type(value) is not TYPES.get(key)}


def test_the_defaults_fill_what_the_file_leaves_out(kata, tmp_path):
    for given in [
        {"model_name_or_path": "tiny-gpt2", "learning_rate": 3e-4},
        {"model_name_or_path": "bert-small", "max_length": 64, "seed": 3},
    ]:
        path = write(tmp_path, given)
        got = settings_of(kata, kata(path))
        expected = {**DEFAULTS, **given}
        expect(
            got == expected,
            kata,
            got=str(got),
            expected=f"{expected}: the file's values, the defaults for the rest",
        )


def test_overrides_win_over_the_file(kata, tmp_path):
    path = write(tmp_path, {"model_name_or_path": "from-file", "per_device_train_batch_size": 8, "seed": 5})
    got = settings_of(kata, kata(path, per_device_train_batch_size=4, learning_rate=1e-3))
    expected = {**DEFAULTS, "model_name_or_path": "from-file", "per_device_train_batch_size": 4}
    expected |= {"seed": 5, "learning_rate": 1e-3}
    expect(
        got == expected,
        kata,
        got=str(got),
        expected=f"{expected}: defaults, then the file, then the overrides",
        tip="merge in that order: values = {**file_values, **overrides}.",
    )


def test_without_a_file_the_overrides_and_defaults_make_the_config(kata):
    got = settings_of(kata, kata(model_name_or_path="just-overrides", num_train_epochs=1.5))
    expected = {**DEFAULTS, "model_name_or_path": "just-overrides", "num_train_epochs": 1.5}
    expect(got == expected, kata, got=str(got), expected=str(expected))


def test_every_field_has_its_declared_type(kata, tmp_path):
    path = write(tmp_path, {"model_name_or_path": "m", "num_train_epochs": 2, "learning_rate": 1})
    got = settings_of(kata, kata(path))
    wrong = wrong_types(got)
    expect(
        not wrong and got["num_train_epochs"] == 2.0 and got["learning_rate"] == 1.0,
        kata,
        got=f"{got}, with types {wrong}" if wrong else str(got),
        expected="num_train_epochs=2.0 and learning_rate=1.0 as floats: the fields are typed float",
        tip="JSON has no separate float for 2: convert an int given for a float field with float(value).",
    )


def test_a_saved_config_loads_back_equal(kata, tmp_path):
    config = kata(
        model_name_or_path="round-trip",
        output_dir=str(tmp_path / "runs"),
        learning_rate=2e-4,
        per_device_train_batch_size=12,
        num_train_epochs=4,
        max_length=96,
        seed=11,
    )
    saved = settings_of(kata, config)
    path = write(tmp_path, saved, "saved.json")
    again = kata(path)
    expect(
        again == config,
        kata,
        got=describe(again),
        expected=f"{describe(config)}, the config that was saved with json.dump(dataclasses.asdict(config))",
    )


@pytest.mark.parametrize(
    ("settings", "error", "key", "because"),
    [
        (
            {"model_name_or_path": "m", "learning_rte": 1e-4},
            ValueError,
            "learning_rte",
            "it is not a setting (typo)",
        ),
        ({"learning_rate": 1e-4}, ValueError, "model_name_or_path", "the model is required"),
        ({"model_name_or_path": ""}, ValueError, "model_name_or_path", "the model name is empty"),
        (
            {"model_name_or_path": "m", "per_device_train_batch_size": "16"},
            TypeError,
            "per_device_train_batch_size",
            "a batch size is an int, not the string '16'",
        ),
        ({"model_name_or_path": "m", "seed": True}, TypeError, "seed", "true is a bool, not an int"),
        ({"model_name_or_path": 7}, TypeError, "model_name_or_path", "the model name must be a str"),
        (
            {"model_name_or_path": "m", "per_device_train_batch_size": 0},
            ValueError,
            "per_device_train_batch_size",
            "a batch of 0 examples trains nothing",
        ),
        (
            {"model_name_or_path": "m", "learning_rate": -1e-4},
            ValueError,
            "learning_rate",
            "a negative learning rate climbs the loss",
        ),
        (
            {"model_name_or_path": "m", "max_length": -1},
            ValueError,
            "max_length",
            "no text is -1 tokens long",
        ),
        ({"model_name_or_path": "m", "learning_rate": 0}, ValueError, "learning_rate", "0 is not positive"),
        (
            {"model_name_or_path": "m", "num_train_epochs": 0.0},
            ValueError,
            "num_train_epochs",
            "0 is not positive",
        ),
        (
            {"model_name_or_path": "m", "learning_rate": float("nan")},
            ValueError,
            "learning_rate",
            "NaN (which a JSON file may hold) is not positive",
        ),
    ],
    ids=[
        "unknown key",
        "no model",
        "empty model",
        "str batch",
        "bool seed",
        "int model",
        "zero batch",
        "negative rate",
        "negative length",
        "zero rate",
        "zero epochs",
        "NaN rate",
    ],
)
def test_a_bad_file_is_refused_naming_the_key(kata, tmp_path, settings, error, key, because):
    expect_raises(kata, error, write(tmp_path, settings), because=because, match=key)


def test_an_unknown_override_or_a_file_that_is_not_an_object_is_refused(kata, tmp_path):
    path = write(tmp_path, {"model_name_or_path": "m"})
    expect_raises(
        kata, ValueError, path, batch_size=8, because="batch_size is not a setting", match="batch_size"
    )
    expect_raises(
        kata,
        ValueError,
        write(tmp_path, [["model_name_or_path", "m"]], "list.json"),
        because="the file holds a JSON list, not an object of settings",
    )
