"""Hidden checks: load_in_half_memory."""

from __future__ import annotations

import pytest
import torch
from safetensors.torch import load_file

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises


@pytest.fixture
def loads(monkeypatch) -> list[dict]:
    """The keyword arguments of every from_pretrained call of a model (AutoModel... calls it too)."""
    from transformers import PreTrainedModel

    real = PreTrainedModel.from_pretrained.__func__
    calls: list[dict] = []

    def noted(cls, *args, **kwargs):
        calls.append(kwargs)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(PreTrainedModel, "from_pretrained", classmethod(noted))
    return calls


def expected_counts(model) -> tuple[int, int]:
    unique = {id(p): p for p in model.parameters()}
    parameters = sum(p.numel() for p in unique.values())
    size = sum(p.numel() * p.element_size() for p in unique.values())
    size += sum(b.numel() * b.element_size() for b in model.buffers())
    return parameters, size


@pytest.mark.parametrize(
    ("name", "dtype"),
    [("gpt2", None), ("gpt2", torch.float16), ("llama", torch.bfloat16), ("gpt2-bf16", torch.float16)],
    ids=["gpt2 default", "gpt2 float16", "llama bfloat16", "bf16 checkpoint to float16"],
)
def test_the_model_loads_in_16_bits_with_its_weights_and_counts(kata, loads, name, dtype):
    tiny = zoo.get(name)
    path = str(tiny.path) if name == "llama" else tiny.path  # a str or a Path
    loads.clear()  # a first use of the zoo builds its model: only the kata's own loads count
    result = kata(path) if dtype is None else kata(path, dtype)
    dtype = dtype or torch.bfloat16
    asked = [call.get("dtype", call.get("torch_dtype")) for call in loads]
    expect(
        asked and all(kind == dtype for kind in asked),
        kata,
        got=f"from_pretrained called with dtype={asked[0] if len(asked) == 1 else asked}",
        expected=f"from_pretrained(..., dtype={dtype}): loaded straight into 16 bits, never in float32 first",
        tip="pass dtype to from_pretrained rather than converting the loaded model (.to(), .half()).",
    )
    expect(
        isinstance(result, tuple) and len(result) == 3,
        kata,
        got=describe(result),
        expected="a tuple (model, parameters, bytes)",
    )
    model, parameters, size = result
    kinds = sorted({str(p.dtype) for p in model.parameters()})
    expect(
        kinds == [str(dtype)] and {p.device.type for p in model.parameters()} == {"cpu"},
        kata,
        got=f"parameters of type {kinds} on {sorted({p.device.type for p in model.parameters()})}",
        expected=f"every parameter in {dtype}, on the CPU" + (" (the default)" if name == "gpt2" else ""),
        tip="from_pretrained(path, dtype=dtype): transformers 5 calls it dtype (torch_dtype before).",
    )
    expect(not model.training, kata, got="a model in training mode", expected="a model in evaluation mode")
    saved = load_file(tiny.path / "model.safetensors")
    state = model.state_dict()
    different = [k for k, v in saved.items() if k not in state or not torch.equal(state[k], v.to(dtype))]
    with torch.no_grad():
        logits = getattr(model(input_ids=torch.tensor([[5, 6, 7]])), "logits", None)
    expect(
        not different and logits is not None and logits.shape[-1] == model.config.vocab_size,
        kata,
        got=f"a {type(model).__name__} whose weights differ from the checkpoint's in {different[:2]}",
        expected="the causal LM of the checkpoint, with its weights (in 16 bits)",
    )
    wanted_parameters, wanted_size = expected_counts(model)
    naive = sum(t.numel() for t in state.values())
    expect(
        type(parameters) is int and parameters == wanted_parameters,
        kata,
        got=f"parameters {parameters!r}",
        expected=f"{wanted_parameters}: each parameter once, a tied weight too",
        tip=f"a state_dict lists a tied weight under two names ({naive}): model.num_parameters()."
        if parameters == naive
        else "model.num_parameters(), an int.",
    )
    expect(
        type(size) is int and size == wanted_size,
        kata,
        got=f"bytes {size!r}",
        expected=f"{wanted_size}: 2 bytes a parameter in {dtype}, plus the buffers",
        tip="model.get_memory_footprint() adds up the parameters' and buffers' bytes.",
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.int8, "bfloat16"], ids=["float32", "int8", "a str"])
def test_a_dtype_that_is_not_16_bit_float_raises_value_error(kata, loads, tiny_gpt2, dtype):
    loads.clear()  # a first use of the zoo builds its model: only the kata's own loads count
    expect_raises(
        kata, ValueError, tiny_gpt2.path, dtype, because=f"{dtype!r} is not torch.bfloat16 or torch.float16"
    )
    expect(
        not loads,
        kata,
        got=f"the model loaded {len(loads)} time(s) before the ValueError",
        expected="the ValueError before loading anything",
        tip="check dtype first, then call from_pretrained.",
    )


def test_a_missing_model_raises_oserror(kata, tmp_path):
    expect_raises(kata, OSError, tmp_path / "no-such-model", because="there is no model there")
