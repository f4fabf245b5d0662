"""Hidden checks: quantize_to_int8."""

from __future__ import annotations

import copy
from collections import OrderedDict

import pytest
import torch
from torch import nn
from transformers import BertForMaskedLM

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

SWAP_TIP = (
    "replace each nn.Linear but model.get_output_embeddings() with a module of yours that registers "
    "two buffers, weight_int8 and scale (register_buffer), and keeps the Linear's bias."
)


def targets_of(model: nn.Module) -> dict[str, nn.Linear]:
    """The layers to quantize, by name: every nn.Linear but the output embeddings."""
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    return {
        name: module
        for name, module in model.named_modules()
        if isinstance(module, nn.Linear) and module is not head
    }


def snapshot(model: nn.Module) -> tuple[OrderedDict, dict[str, type], dict[str, bool]]:
    """A model's weights, module types and modes, to compare before and after."""
    state = OrderedDict((name, tensor.clone()) for name, tensor in model.state_dict().items())
    kinds = {name: type(module) for name, module in model.named_modules()}
    modes = {name: module.training for name, module in model.named_modules()}
    return state, kinds, modes


def expected_scale(weight: torch.Tensor) -> torch.Tensor:
    scale = weight.detach().float().abs().amax(dim=1) / 127
    return torch.where(scale == 0, torch.ones_like(scale), scale)


def quantized_modules(kata, model: nn.Module, copy_: nn.Module, when: str = "") -> dict[str, nn.Module]:
    """The copy's module in place of each target, checked to hold the two buffers and no float weight
    (``when``: words saying when the check looks, for the message)."""
    modules = dict(copy_.named_modules())
    found = {}
    for name, linear in targets_of(model).items():
        module = modules.get(name)
        buffers = dict(module.named_buffers(recurse=False)) if module is not None else {}
        expect(
            module is not None and "weight_int8" in buffers and "scale" in buffers,
            kata,
            got=f"at {name!r}: {describe(module)} with buffers {sorted(buffers)}",
            expected="a module holding the buffers weight_int8 and scale in place of that nn.Linear",
            tip=SWAP_TIP,
        )
        held = {**dict(module.named_parameters()), **dict(module.named_buffers())}
        held |= {key: value for key, value in vars(module).items() if isinstance(value, torch.Tensor)}
        floats = sorted(
            key
            for key, tensor in held.items()
            if tensor.is_floating_point() and tensor.shape == linear.weight.shape
        )
        expect(
            not floats,
            kata,
            got=f"at {name!r}: a float tensor of the weight's shape kept as {floats}{when}",
            expected="only the int8 weight: a float copy of it saves no memory",
            tip="compute weight_int8 * scale inside forward on every call, without storing it on the module."
            if when
            else "do not keep the nn.Linear (or its weight) inside your module: keep its bias only.",
        )
        found[name] = module
    return found


def check_quantized_weights(kata, model: nn.Module, copy_: nn.Module) -> dict[str, nn.Module]:
    modules = quantized_modules(kata, model, copy_)
    for name, linear in targets_of(model).items():
        module = modules[name]
        weight = linear.weight.detach().float()
        q, scale = module.weight_int8, module.scale
        expect(
            q.dtype == torch.int8 and q.shape == weight.shape,
            kata,
            got=f"{name}.weight_int8 = {describe(q)}",
            expected=f"a torch.int8 tensor of the weight's shape {list(weight.shape)}",
        )
        wanted = expected_scale(linear.weight)
        expect(
            scale.dtype == torch.float32 and scale.shape == wanted.shape,
            kata,
            got=f"{name}.scale = {describe(scale)}",
            expected=f"a float32 tensor of shape {list(wanted.shape)}: one scale per output row",
            tip="scale per row: weight.abs().amax(dim=1) / 127, not one scale for the whole matrix.",
        )
        off = (~torch.isclose(scale, wanted, rtol=1e-6, atol=0)).nonzero().flatten().tolist()
        row = off[0] if off else 0
        expect(
            not off,
            kata,
            got=f"{name}.scale[{row}] = {float(scale[row]):.7g}, for a row whose largest |weight| is "
            f"{float(weight[row].abs().max()):.7g}",
            expected=f"{float(wanted[row]):.7g}: each row's largest |weight| / 127 (1.0 for a row of "
            "zeros only, however small the weights of another row)",
            tip="127, not 128: the int8 range used is symmetric, -127..127."
            if torch.allclose(scale * 128, wanted * 127, rtol=1e-5)
            else None,
        )
        steps = weight / wanted[:, None]
        error = (steps - q.float()).abs().max()
        expect(
            error <= 0.5 + 1e-4 and int(q.min()) >= -127,
            kata,
            got=f"{name}: weight / scale and weight_int8 differ by up to {float(error):.3f}, "
            f"smallest int8 value {int(q.min())}",
            expected="weight / scale rounded to the nearest integer, within -127..127",
            tip="round before converting: .to(torch.int8) on its own cuts the fraction off (towards zero).",
        )
        bias = module.state_dict().get("bias")
        if linear.bias is None:
            expect(
                bias is None,
                kata,
                got=f"{name} with a bias {describe(bias)}",
                expected="no bias, as the Linear",
            )
        else:
            expect(
                bias is not None and bias.dtype == linear.bias.dtype and torch.equal(bias, linear.bias),
                kata,
                got=f"{name}.bias = {describe(bias)}",
                expected="the Linear's bias, unchanged (not quantized)",
            )
    return modules


def check_rest_untouched(kata, model: nn.Module, copy_: nn.Module) -> None:
    targets = tuple(f"{name}." for name in targets_of(model))
    state = copy_.state_dict()
    changed = sorted(
        key
        for key, tensor in model.state_dict().items()
        if not key.startswith(targets) and (key not in state or not torch.equal(state[key], tensor))
    )
    expect(
        not changed,
        kata,
        got=f"these weights of the copy differ from the model's, or are gone: {changed[:4]}",
        expected="embeddings, LayerNorms, Conv1D layers and the output head as they were",
        tip="model.get_output_embeddings() stays a float nn.Linear; GPT-2's Conv1D is not an nn.Linear.",
    )


def run_copy(kata, what: str, call):
    """Call the quantized copy; an error there is the learner's module's, and is said so."""
    try:
        with torch.inference_mode():
            return call()
    except Exception as error:  # any error of the learner's forward is theirs, and reported
        fail_call(
            kata,
            got=f"{type(error).__name__}: {error}, when {what}",
            expected="the quantized copy to run as the float model does",
        )


def dequantized(model: nn.Module, modules: dict[str, nn.Module]) -> nn.Module:
    """The float model with each target's weight replaced by weight_int8 * scale, in its dtype."""
    twin = copy.deepcopy(model)
    twins = dict(twin.named_modules())
    with torch.no_grad():
        for name, module in modules.items():
            weight = twins[name].weight
            weight.copy_((module.weight_int8.float() * module.scale[:, None].float()).to(weight.dtype))
    return twin


def load(name: str) -> nn.Module:
    """A zoo model; "bert-mlm" is a BERT with a masked-LM head, whose output embeddings are
    cls.predictions.decoder (no lm_head)."""
    if name != "bert-mlm":
        return zoo.get(name).load_model()
    config = zoo.get("bert").load_model().config
    with torch.random.fork_rng():
        torch.manual_seed(0)
        return BertForMaskedLM(config).eval()


@pytest.mark.parametrize("name", ["bert", "llama", "gpt2", "bert-mlm"])
def test_every_linear_but_the_head_holds_int8_weights_and_a_scale_per_row(kata, name):
    model = load(name)
    before = snapshot(model)
    got = kata(model)
    expect(
        isinstance(got, nn.Module) and got is not model,
        kata,
        got=describe(got),
        expected="a quantized copy of the model (a new nn.Module), the model itself left as it was",
        tip="copy.deepcopy(model) first, then swap the copy's layers.",
    )
    check_quantized_weights(kata, model, got)
    check_rest_untouched(kata, model, got)
    head = model.get_output_embeddings()
    if head is not None:
        copied = got.get_output_embeddings()
        expect(
            type(copied) is type(head),
            kata,
            got=f"output embeddings {describe(copied)}",
            expected=f"{describe(head)}, not quantized: they are the output head",
            tip="find the head with model.get_output_embeddings(), not by its name: it is not always "
            "called lm_head.",
        )
    after = snapshot(model)
    expect(
        after[1] == before[1] and all(torch.equal(after[0][k], v) for k, v in before[0].items()),
        kata,
        got="the caller's model with its layers swapped or its weights changed",
        expected="the caller's model left unchanged: the quantized model is a copy",
        tip="copy.deepcopy(model) before replacing anything.",
    )


@pytest.mark.parametrize("name", ["bert", "llama"])
def test_the_copy_computes_with_the_dequantized_weights(kata, name):
    tiny = zoo.get(name)
    model = tiny.load_model().eval()
    tokenizer = tiny.load_tokenizer()
    inputs = tokenizer(zoo.corpus()[:1], return_tensors="pt")
    got = kata(model)
    modules = check_quantized_weights(kata, model, got)
    twin = dequantized(model, modules)
    logits = run_copy(kata, "the copy was called on a tokenized text", lambda: got(**inputs).logits)
    quantized_modules(kata, model, got, when=", after the copy was called")
    with torch.inference_mode():
        wanted, original = (m(**inputs).logits for m in (twin, model))
    gap = float((logits - wanted).abs().max())
    expect(
        gap <= 1e-5,
        kata,
        got=f"logits that differ by up to {gap:.2e} from the model's with weights weight_int8 * scale",
        expected="F.linear(x, weight_int8 * scale, bias) in each quantized layer",
        tip="dequantize in forward: self.weight_int8.to(x.dtype) * self.scale[:, None].to(x.dtype).",
    )
    drift = float((logits - original).abs().max())
    expect(
        drift <= 0.1 * float(original.abs().max()),
        kata,
        got=f"logits up to {drift:.3f} away from the float model's",
        expected="logits close to the float model's",
    )


def test_a_quantized_llama_generates_as_its_dequantized_twin(kata, tiny_llama):
    model = tiny_llama.load_model().eval()
    tokenizer = tiny_llama.load_tokenizer()
    inputs = tokenizer(zoo.corpus()[2], return_tensors="pt")
    got = kata(model)
    twin = dequantized(model, quantized_modules(kata, model, got))
    settings = {"max_new_tokens": 8, "do_sample": False, "pad_token_id": tokenizer.pad_token_id}
    tokens = run_copy(kata, "the copy's generate() was called", lambda: got.generate(**inputs, **settings))
    with torch.inference_mode():
        wanted = twin.generate(**inputs, **settings)
    expect(
        torch.equal(tokens, wanted),
        kata,
        got=f"generate() gave {tokens[0, inputs['input_ids'].shape[1] :].tolist()}",
        expected=f"{wanted[0, inputs['input_ids'].shape[1] :].tolist()}, the greedy tokens of the "
        "dequantized weights",
    )


def test_a_plain_module_with_a_zero_row_a_bias_free_layer_and_bfloat16_input(kata):
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(6, 4), nn.GELU(), nn.Linear(4, 3, bias=False), nn.LayerNorm(3))
    with torch.no_grad():
        model[0].weight[1].zero_()
        model[0].weight[2] = torch.tensor([0.5, -1.27, 0.005, 1.27, -0.635, 0.0])
        model[2].weight[0] = torch.tensor([3e-9, -1e-9, 2e-9, 0.0])  # tiny, but not zero
    model = model.to(torch.bfloat16)
    before = snapshot(model)
    got = kata(model)
    modules = check_quantized_weights(kata, model, got)
    expect(
        int(modules["0"].weight_int8[1].abs().sum()) == 0 and float(modules["0"].scale[1]) == 1.0,
        kata,
        got=f"a row of zeros quantized to {modules['0'].weight_int8[1].tolist()} with scale "
        f"{float(modules['0'].scale[1])}",
        expected="zeros, with scale 1.0 (not 0: weight / 0 is NaN)",
    )
    x = torch.randn(5, 6).to(torch.bfloat16)
    out = run_copy(kata, "the copy was called on a bfloat16 input", lambda: got(x))
    with torch.no_grad():
        wanted = dequantized(model, modules)(x)
    expect(
        out.dtype == torch.bfloat16 and torch.allclose(out.float(), wanted.float(), atol=1e-2, rtol=1e-2),
        kata,
        got=f"an output {describe(out)}",
        expected="a bfloat16 output, as the float model gives for bfloat16 input, from weight_int8 * scale",
        tip="cast the dequantized weight to x.dtype before F.linear.",
    )
    after = snapshot(model)
    expect(
        all(torch.equal(after[0][k], v) and after[0][k].dtype == v.dtype for k, v in before[0].items()),
        kata,
        got="the caller's bfloat16 model changed",
        expected="it left as it was",
    )


@pytest.mark.parametrize("name", ["bert", "llama"])
def test_changing_the_copy_leaves_the_model_alone(kata, name):
    model = zoo.get(name).load_model()
    got = kata(model)
    expect(
        isinstance(got, nn.Module) and got is not model, kata, got=describe(got), expected="a new nn.Module"
    )
    before = snapshot(model)
    with torch.no_grad():
        for tensor in [*got.parameters(), *got.buffers()]:
            if tensor.is_floating_point():
                tensor.add_(1.0)
    after = snapshot(model)
    changed = [key for key, tensor in before[0].items() if not torch.equal(after[0][key], tensor)]
    expect(
        not changed,
        kata,
        got=f"after adding 1 in place to every float tensor of the copy, these weights of the caller's "
        f"model changed too: {changed[:3]}",
        expected="the model left as it was: the copy shares no tensor with it",
        tip="build each int8 module from the copy's nn.Linear (after copy.deepcopy), not from the model's."
        if any(key.endswith(".bias") for key in changed)
        else None,
    )


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
def test_every_module_of_the_copy_is_in_the_models_mode(kata, tiny_bert, training):
    model = tiny_bert.load_model().train(training)
    model.bert.encoder.layer[0].train(not training)  # one layer in the other mode: the model's own wins
    modes = {name: module.training for name, module in model.named_modules()}
    got = kata(model)
    wrong = sorted(
        name or "(the model)" for name, module in got.named_modules() if module.training != training
    )
    expect(
        not wrong,
        kata,
        got=f"modules in {'eval' if training else 'training'} mode: {wrong[:3]}",
        expected=f"every module in {'training' if training else 'eval'} mode, the mode of the model given "
        "(model.training), even where one of its layers was left in the other mode",
        tip="a new nn.Module starts in training mode: put the copy back in the model's mode at the end.",
    )
    expect(
        {name: module.training for name, module in model.named_modules()} == modes,
        kata,
        got="the caller's model with some modules switched to another mode",
        expected="the caller's model with every module in the mode it was in",
    )


def test_the_copy_saves_memory(kata, tiny_llama):
    model = tiny_llama.load_model()
    got = kata(model)
    size = {
        which: sum(t.numel() * t.element_size() for t in m.state_dict().values())
        for which, m in (("float", model), ("int8", got))
    }
    saved = sum(linear.weight.numel() * 3 - linear.out_features * 4 for linear in targets_of(model).values())
    expect(
        size["float"] - size["int8"] == saved,
        kata,
        got=f"state_dict() of {size['int8']} bytes, against {size['float']} for the float model",
        expected=f"{size['float'] - saved} bytes: 1 byte per quantized weight instead of 4, plus 4 per scale",
        tip="keep only weight_int8, scale and bias in each quantized layer.",
    )


@pytest.mark.parametrize(
    "value", [None, "a/model/folder", {"weight": torch.ones(2, 2)}], ids=["None", "a path", "a state_dict"]
)
def test_anything_but_a_module_is_refused_with_type_error(kata, value):
    expect_raises(kata, TypeError, value, because="only a torch.nn.Module can be quantized")
