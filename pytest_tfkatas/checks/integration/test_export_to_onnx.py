"""Hidden checks: export_to_onnx."""

from __future__ import annotations

import tempfile

import numpy as np
import onnxruntime
import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import tokenizer_changes, tokenizer_state
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

#: torch.onnx's exporter warns about its own internals on every export (a deprecated pytree class;
#: each shared dynamic axis named once per input): noise that says nothing about the learner's code.
pytestmark = [
    pytest.mark.filterwarnings("ignore:`isinstance\\(treespec, LeafSpec\\)` is deprecated:FutureWarning"),
    pytest.mark.filterwarnings("ignore:# The axis name:UserWarning"),
]

TEXTS = ["The cat sat on the mat.", "Rain.", "A dog barked at the old man in the quiet street."]
#: Batches the check runs the exported file on: other sizes and lengths than any the export saw.
OTHER_BATCHES = [
    ["An old man walked to the river and the dog ran after him all the long way home at night."],
    ["one", "The cat sat.", "A dog.", "Rain fell all day long on the town.", "Hello there, how are you?"],
]


def torch_logits(model, tokenizer, texts) -> np.ndarray:
    """What the model computes in evaluation mode, on a copy (the model's mode stays as it is)."""
    copy = type(model)(model.config).eval()
    copy.load_state_dict(model.state_dict())
    encoded = tokenizer(list(texts), padding=True, return_tensors="pt")
    with torch.no_grad():
        return copy(input_ids=encoded["input_ids"], attention_mask=encoded["attention_mask"]).logits.numpy()


def spy_on_run(monkeypatch) -> list[int]:
    """Count the calls of onnxruntime.InferenceSession.run (they go through)."""
    calls: list[int] = []
    real = onnxruntime.InferenceSession.run

    def run(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(onnxruntime.InferenceSession, "run", run)
    return calls


def export(kata, monkeypatch, tmp_path, name: str, training: bool, as_path: bool):
    """Call the kata on a zoo classifier given in training or evaluation mode, and check what
    every call promises: ONNX Runtime's float32 logits for the texts, the file where asked and
    nothing else written, the model's mode and weights as they were."""
    tiny = zoo.get(name)
    model, tokenizer = tiny.load_model().train(training), tiny.load_tokenizer()
    weights = {key: value.clone() for key, value in model.state_dict().items()}
    settings = tokenizer_state(tokenizer)
    folder = tmp_path / "export"  # the working folder is tmp_path: it must hold nothing else
    folder.mkdir()
    temporary = tmp_path / "temporary"  # where tempfile puts its files during the call
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    target = folder / "classifier.onnx"
    texts = tuple(TEXTS) if as_path else list(TEXTS)
    calls = spy_on_run(monkeypatch)
    logits = kata(model, tokenizer, target if as_path else str(target), texts)
    expect(
        type(logits) is np.ndarray and logits.dtype == np.float32,
        kata,
        got=describe(logits) if type(logits) is not np.ndarray else f"a numpy array of {logits.dtype}",
        expected="the float32 numpy array that ONNX Runtime's session.run returns",
    )
    expected = torch_logits(model, tokenizer, texts)
    expect(
        logits.shape == expected.shape and np.allclose(logits, expected, atol=1e-4),
        kata,
        got=f"logits {np.round(logits, 4).tolist()}",
        expected=f"{np.round(expected, 4).tolist()}: the model's logits (in evaluation mode) for the texts",
    )
    expect(
        calls,
        kata,
        got="logits computed without ONNX Runtime",
        expected="the texts run through the exported file with onnxruntime.InferenceSession(path).run(...)",
    )
    expect(
        target.is_file(),
        kata,
        got=f"no file at {target}",
        expected="the ONNX model written to the path given",
    )
    written = sorted(entry.name for entry in tmp_path.iterdir() if entry.name != "temporary")
    beside = sorted(entry.name for entry in folder.iterdir())
    left = sorted(str(entry.relative_to(temporary)) for entry in temporary.rglob("*"))
    expect(
        written == ["export"] and set(beside) <= {"classifier.onnx", "classifier.onnx.data"} and not left,
        kata,
        got=f"working folder {written}, export folder {beside}, left in the temporary folder {left}",
        expected="only classifier.onnx (and maybe its classifier.onnx.data) in the folder given, nothing "
        "in the working folder, and nothing left behind in the temporary folder (tempfile.gettempdir())",
        tip="export straight to the path given; a temporary folder of your own must be removed "
        "(tempfile.TemporaryDirectory() as a with block)."
        if left
        else None,
    )
    after = tokenizer_state(tokenizer)
    expect(
        model.training == training
        and all(module.training == training for module in model.modules())
        and all(torch.equal(weights[key], value) for key, value in model.state_dict().items())
        and after == settings,
        kata,
        got=f"model.training={model.training}, tokenizer changes: "
        f"{tokenizer_changes(settings, after) if after != settings else 'none'}",
        expected=f"the model left in {'training' if training else 'evaluation'} mode, as it was given, "
        "its weights unchanged, and the tokenizer as it was",
        tip="remember model.training before model.eval() and put it back with model.train(mode) after "
        "the export."
        if model.training != training
        else None,
    )
    return model, tokenizer, target


def test_it_returns_the_onnx_models_logits_and_writes_only_the_file_asked_for(kata, monkeypatch, tmp_path):
    export(kata, monkeypatch, tmp_path, "bert", training=True, as_path=False)


def test_the_exported_file_takes_two_inputs_of_any_batch_size_and_length(kata, monkeypatch, tmp_path):
    model, tokenizer, target = export(kata, monkeypatch, tmp_path, "bert-cased", training=False, as_path=True)
    session = onnxruntime.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    inputs = sorted(entry.name for entry in session.get_inputs())
    outputs = [entry.name for entry in session.get_outputs()]
    expect(
        inputs == ["attention_mask", "input_ids"] and "logits" in outputs,
        kata,
        got=f"an ONNX graph with inputs {inputs} and outputs {outputs}",
        expected="inputs input_ids and attention_mask (no others) and the output logits",
        tip="name them with input_names=[...] and output_names=['logits'], and trace the model with those "
        "two inputs only (a BERT tokenizer also gives token_type_ids)."
        if "token_type_ids" in inputs or "logits" not in outputs
        else None,
    )
    for batch in OTHER_BATCHES:
        encoded = tokenizer(batch, padding=True, return_tensors="np")
        feed = {key: encoded[key] for key in ("input_ids", "attention_mask")}
        shape = list(feed["input_ids"].shape)
        try:
            (other,) = session.run(["logits"], feed)
        except Exception as error:  # onnxruntime's own errors (InvalidArgument, Fail...)
            first = str(error).strip().splitlines()[0][:300]
            fail_call(
                kata,
                got=f"the exported file fails on a batch of shape {shape}: {type(error).__name__}: {first}",
                expected="a graph whose batch size and sequence length are both dynamic",
                tip="declare both dimensions as dynamic: dynamic_shapes={'input_ids': {0: batch, "
                "1: sequence}, 'attention_mask': {0: batch, 1: sequence}} with torch.export.Dim (or "
                "dynamic_axes with dynamo=False); otherwise the graph keeps the example's shape.",
            )
        reference = torch_logits(model, tokenizer, batch)
        expect(
            other.shape == reference.shape and np.allclose(other, reference, atol=1e-4),
            kata,
            got=f"the exported file's logits on a batch of shape {shape}: {np.round(other, 4).tolist()}",
            expected=f"{np.round(reference, 4).tolist()}: the model's own logits",
        )


@pytest.mark.parametrize("texts", [[], ()], ids=["empty list", "empty tuple"])
def test_no_texts_are_refused_before_anything_is_exported(kata, tmp_path, texts):
    tiny = zoo.get("bert")
    model, tokenizer = tiny.load_model().train(), tiny.load_tokenizer()
    target = tmp_path / "classifier.onnx"
    expect_raises(kata, ValueError, model, tokenizer, str(target), texts, because="there is nothing to run")
    written = sorted(entry.name for entry in tmp_path.iterdir())
    expect(
        not written and model.training,
        kata,
        got=f"files {written}, model.training={model.training}",
        expected="nothing written and the model's mode unchanged: check the texts before exporting",
    )
