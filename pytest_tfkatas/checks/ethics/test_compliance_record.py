"""Hidden checks: compliance_record."""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import types
from importlib.metadata import version

import torch
import transformers
from safetensors.torch import load_file
from torch import nn

from pytest_tfkatas.harness import describe, expect, expect_raises

REQUIRED = {"model_class", "config", "parameter_count", "weights_file", "weights_sha256", "library_versions"}


def record_of(kata, model, folder, **kwargs):
    record = kata(model, folder, **kwargs)
    saved = folder / "compliance.json"
    expect(
        saved.is_file(),
        kata,
        got=f"files in output_dir: {sorted(p.name for p in folder.iterdir()) if folder.is_dir() else 'none'}",
        expected="output_dir/compliance.json, next to the saved model",
        tip="write the record with json.dumps into output_dir / 'compliance.json'.",
    )
    written = json.loads(saved.read_text(encoding="utf-8"))
    expect(
        isinstance(record, dict) and set(record) >= REQUIRED,
        kata,
        got=f"a record with the keys {sorted(record) if isinstance(record, dict) else describe(record)}",
        expected=f"a dict with at least the keys {sorted(REQUIRED)}",
        tip=(
            "str(model) lists layers but proves nothing about the weights: record the config, the "
            "parameter count, the SHA-256 of the saved weights file and the library versions."
        ),
    )
    expect(
        record == written,
        kata,
        got="a returned record that differs from compliance.json "
        f"(keys that differ: {sorted(k for k in written if record.get(k) != written[k])})",
        expected="the record exactly as json.load reads it back from compliance.json",
        tip="JSON turns int keys (id2label) into strings: return json.loads of the text you wrote.",
    )
    return record


def sha256_of(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_record_is_written_and_returned(kata, tiny_gpt2, tmp_path):
    model = tiny_gpt2.load_model()
    metadata = {"owner": "fairness team", "intended_use": ["research"], "risk": 2}
    given = copy.deepcopy(metadata)
    # A read-only mapping: the contract takes any Mapping, and the caller's metadata stays as it was.
    record = record_of(kata, model, tmp_path / "release", metadata=types.MappingProxyType(given))
    expect(
        given == metadata,
        kata,
        got=f"the caller's metadata changed to {given!r}",
        expected=f"the metadata left as it was, {metadata!r}",
    )
    versions = record["library_versions"]
    expect(
        isinstance(versions, dict)
        and versions.get("transformers") in {transformers.__version__, version("transformers")}
        and versions.get("torch") in {torch.__version__, version("torch")},
        kata,
        got=f"library_versions {describe(versions)}",
        expected=f"transformers {transformers.__version__!r} and torch {torch.__version__!r}, as installed",
        tip="read transformers.__version__ and torch.__version__ when the record is made, never by hand.",
    )
    expect(
        record["model_class"] == "GPT2LMHeadModel" and record.get("metadata") == metadata,
        kata,
        got=f"model_class {record['model_class']!r}, metadata {describe(record.get('metadata'))}",
        expected=f"model_class 'GPT2LMHeadModel', metadata {metadata}",
        tip="type(model).__name__; and store the metadata as given under 'metadata'.",
    )


def test_the_hash_is_the_sha256_of_the_saved_weights(kata, tiny_bert, tmp_path):
    hashes = {}
    for name, tiny in [("base", tiny_bert), ("variant", tiny_bert.variant(seed=5))]:
        model = tiny.load_model()
        folder = tmp_path / name
        record = record_of(kata, model, folder)
        weights = folder / "model.safetensors"
        expect(
            weights.is_file() and record["weights_file"] == "model.safetensors",
            kata,
            got=f"weights_file {record['weights_file']!r}; files: {sorted(p.name for p in folder.iterdir())}",
            expected="model.safetensors saved in output_dir, and named in weights_file",
            tip="model.save_pretrained(output_dir) writes model.safetensors.",
        )
        digest = sha256_of(weights)
        expect(
            record["weights_sha256"] == digest,
            kata,
            got=f"weights_sha256 {record['weights_sha256']!r}",
            expected=f"{digest!r}, the SHA-256 of output_dir/model.safetensors as saved",
            tip="hash the bytes of the saved file: hashlib.sha256(file contents).hexdigest().",
        )
        saved = load_file(weights)
        state = model.state_dict()
        expect(
            all(torch.equal(tensor, state[key]) for key, tensor in saved.items()),
            kata,
            got="a saved weights file that differs from the model's weights",
            expected="the weights of the model that was given",
        )
        hashes[name] = record["weights_sha256"]
        expect(
            record.get("metadata") == {},
            kata,
            got=f"metadata {describe(record.get('metadata'))}",
            expected="metadata {} when none is given",
            tip="store dict(metadata or {}): the record always has an object of metadata.",
        )
    expect(
        hashes["base"] != hashes["variant"],
        kata,
        got=f"the same weights_sha256 {hashes['base']!r} for two models with different weights",
        expected="different hashes for different weights",
    )


def test_the_parameter_count_counts_tied_weights_once(kata, tiny_gpt2, tmp_path):
    """Frozen parameters are parameters too: the first block is frozen here."""
    model = tiny_gpt2.load_model()
    model.transformer.h[0].requires_grad_(False)
    unique = {id(parameter): parameter.numel() for parameter in model.parameters()}
    expected = sum(unique.values())
    per_name = sum(tensor.numel() for tensor in model.state_dict().values())
    record = record_of(kata, model, tmp_path / "gpt2")
    expect(
        record["parameter_count"] == expected,
        kata,
        got=f"parameter_count {record['parameter_count']}",
        expected=f"{expected}: GPT-2's output layer shares its weight with the token embedding, counted once",
        tip=(
            f"a state_dict lists the shared weight twice ({per_name}), and frozen parameters count too: "
            "use model.num_parameters() or sum(p.numel() for p in model.parameters())."
        ),
    )


def test_the_config_is_complete_and_json_ready(kata, tiny_bert, tmp_path):
    model = tiny_bert.load_model()
    record = record_of(kata, model, tmp_path / "bert")
    expected = json.loads(model.config.to_json_string(use_diff=False))
    config = record["config"]
    differ = sorted(k for k in expected if not isinstance(config, dict) or config.get(k) != expected[k])
    expect(
        config == expected,
        kata,
        got=f"a config that differs in {differ[:6]}" if isinstance(config, dict) else describe(config),
        expected="the model's full config as JSON: every setting, defaults included",
        tip=(
            "json.loads(model.config.to_json_string(use_diff=False)); the default use_diff=True "
            "keeps only the settings that differ from the defaults."
        ),
    )


def test_bad_input_raises_type_error_before_writing(kata, tiny_gpt2, tmp_path):
    expect_raises(
        kata,
        TypeError,
        nn.Linear(4, 2),
        tmp_path / "linear",
        because="a torch Linear layer is not a transformers PreTrainedModel: it has no config to record",
    )
    folder = tmp_path / "release"
    expect_raises(
        kata,
        TypeError,
        tiny_gpt2.load_model(),
        folder,
        metadata={"approved_on": datetime.date(2024, 5, 1)},
        because="a date object is not JSON-serialisable",
    )
    written = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    expect(
        not written,
        kata,
        got=f"files written anyway: {written}",
        expected="nothing written for a rejected call",
        tip="check json.dumps(metadata) before saving the model.",
    )
