"""Hidden checks: prune_model."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from transformers.pytorch_utils import Conv1D

from pytest_tfkatas.harness import describe, expect, expect_raises

LAYER_TIP = (
    "prune the weight of every nn.Linear and transformers.pytorch_utils.Conv1D module (GPT-2 uses "
    "Conv1D) except the output embeddings, with torch.nn.utils.prune.l1_unstructured(module, "
    '"weight", amount=amount).'
)


def targets_of(model) -> dict[str, torch.Tensor]:
    """The weights that must be pruned, copied before pruning: every Linear and Conv1D but the head."""
    head = model.get_output_embeddings()
    return {
        f"{name}.weight": module.weight.detach().clone()
        for name, module in model.named_modules()
        if isinstance(module, (nn.Linear, Conv1D)) and module is not head
    }


def weights_of(kata, model) -> dict[str, torch.Tensor]:
    state = model.state_dict()
    leftovers = sorted(key for key in state if key.endswith(("_orig", "_mask")))
    expect(
        not leftovers,
        kata,
        got=f"a model whose state_dict() holds {leftovers[:3]}",
        expected="plain `weight` tensors with the zeros in them",
        tip='finish with torch.nn.utils.prune.remove(module, "weight") for every pruned module: it bakes '
        "the mask into the weight and removes the weight_orig / weight_mask reparametrisation.",
    )
    return state


def check_untouched(kata, before: dict[str, torch.Tensor], state: dict[str, torch.Tensor], targets) -> None:
    changed = sorted(
        name
        for name, tensor in before.items()
        if name not in targets and not torch.equal(state[name], tensor)
    )
    expect(
        not changed,
        kata,
        got=f"these weights changed too: {changed[:4]}",
        expected="only the weights of the Linear / Conv1D layers pruned; embeddings, the (tied) output "
        "head, biases and LayerNorms unchanged",
        tip="model.get_output_embeddings() shares its weight with the input embeddings: leave it out.",
    )


@pytest.mark.parametrize(
    ("zoo_name", "amount"), [("gpt2", 0.3), ("bert", 0.6)], ids=["gpt2 Conv1D", "bert Linear"]
)
def test_each_layer_loses_its_smallest_weights(kata, zoo_name, amount, request):
    tiny = request.getfixturevalue(f"tiny_{zoo_name}")
    model = tiny.load_model()
    before = {name: tensor.clone() for name, tensor in model.state_dict().items()}
    targets = targets_of(model)
    pruned = kata(model, amount)
    expect(
        pruned is model,
        kata,
        got=describe(pruned),
        expected="the model it was given, pruned in place",
    )
    state = weights_of(kata, model)
    for name, original in targets.items():
        weight = state[name]
        zeroed = weight == 0
        wanted = round(amount * weight.numel())
        expect(
            int(zeroed.sum()) == wanted,
            kata,
            got=f"{name} with {int(zeroed.sum())} of {weight.numel()} weights set to zero",
            expected=f"{wanted} zeros: the fraction amount={amount} of that layer's weights",
            tip=LAYER_TIP,
        )
        dropped, kept = original[zeroed].abs(), original[~zeroed].abs()
        expect(
            dropped.max() <= kept.min() and torch.equal(weight[~zeroed], original[~zeroed]),
            kata,
            got=f"{name}: zeroed weights up to |w| = {float(dropped.max()):.4f} while keeping some as small "
            f"as {float(kept.min()):.4f}",
            expected="the smallest-magnitude weights zeroed, the others kept as they were",
            tip="L1 (magnitude) pruning: prune.l1_unstructured, not prune.random_unstructured.",
        )
    check_untouched(kata, before, state, targets)


@pytest.mark.parametrize("amount", [None, 0.0, 1.0], ids=["the default 0.5", "0.0", "1.0"])
def test_amount_defaults_to_a_half_and_may_be_0_or_1(kata, tiny_gpt2, amount):
    model = tiny_gpt2.load_model()
    targets = targets_of(model)
    kata(model) if amount is None else kata(model, amount)
    fraction = 0.5 if amount is None else amount
    state = weights_of(kata, model)
    counts = {
        name: (int((state[name] == 0).sum()), round(fraction * state[name].numel())) for name in targets
    }
    wrong = {name: got for name, (got, wanted) in counts.items() if got != wanted}
    expect(
        not wrong,
        kata,
        got=f"zeros per layer {wrong}",
        expected=f"round({fraction} x size) zeros in each layer"
        + (
            " (the default amount is 0.5)"
            if amount is None
            else f": amount={amount} lies in 0.0 to 1.0, both included"
        ),
    )


def test_global_scope_uses_one_threshold_for_all_layers(kata, tiny_gpt2):
    model = tiny_gpt2.load_model()
    targets = targets_of(model)
    kata(model, 0.4, scope="global")
    state = weights_of(kata, model)
    original = torch.cat([tensor.flatten() for tensor in targets.values()])
    pruned = torch.cat([state[name].flatten() for name in targets])
    zeroed = pruned == 0
    wanted = round(0.4 * original.numel())
    per_layer = {
        name.removesuffix(".weight"): round(float((state[name] == 0).float().mean()), 2) for name in targets
    }
    expect(
        int(zeroed.sum()) == wanted and original[zeroed].abs().max() <= original[~zeroed].abs().min(),
        kata,
        got=f"{int(zeroed.sum())} zeros; sparsity per layer {per_layer}",
        expected=f"the {wanted} smallest-magnitude weights of all layers together zeroed (40%), so that "
        "some layers lose more than others",
        tip='prune.global_unstructured([(module, "weight"), ...], pruning_method=prune.L1Unstructured, '
        "amount=amount) ranks all the weights together.",
    )


@pytest.mark.parametrize("scope", ["layer", "global"])
def test_a_bfloat16_model_keeps_its_dtype(kata, tiny_gpt2_bf16, scope):
    """A checkpoint in bfloat16 stays in bfloat16: pruning zeroes weights, it does not convert them."""
    model = tiny_gpt2_bf16.load_model()
    dtypes = {name: tensor.dtype for name, tensor in model.state_dict().items()}
    targets = targets_of(model)
    kata(model, 0.3, scope=scope)
    state = weights_of(kata, model)
    changed = {name: str(state[name].dtype) for name, dtype in dtypes.items() if state[name].dtype != dtype}
    expect(
        not changed,
        kata,
        got=f"weights whose dtype changed: {dict(list(changed.items())[:3])}",
        expected="every weight in its dtype, bfloat16, as the model was given",
        tip="zero the weights where they are (torch.nn.utils.prune, or weight.mul_(mask)), without .float().",
    )
    zeros = sum(int((state[name] == 0).sum()) for name in targets)
    total = sum(tensor.numel() for tensor in targets.values())
    wanted = (
        round(0.3 * total)
        if scope == "global"
        else sum(round(0.3 * tensor.numel()) for tensor in targets.values())
    )
    expect(
        zeros == wanted,
        kata,
        got=f"{zeros} zeros among the {total} weights of the Conv1D layers",
        expected=f"{wanted} zeros (amount=0.3, scope={scope!r})",
        tip=LAYER_TIP,
    )


def test_a_pruned_model_saves_loads_and_generates(kata, tiny_gpt2, tmp_path):
    from transformers import AutoModelForCausalLM

    model = tiny_gpt2.load_model()
    kata(model, 0.5)
    state = weights_of(kata, model)
    model.save_pretrained(tmp_path)
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path)
    reloaded = loaded.state_dict()
    different = sorted(name for name, tensor in state.items() if not torch.equal(reloaded[name], tensor))
    expect(
        not different,
        kata,
        got=f"after save_pretrained() and from_pretrained(), these weights differ: {different[:3]}",
        expected="the pruned weights, zeros included, back from disk",
        tip="call prune.remove() so the pruned weight is saved under its usual name.",
    )
    tokenizer = tiny_gpt2.load_tokenizer()
    inputs = tokenizer("Once upon a time", return_tensors="pt")
    with torch.no_grad():
        expected = model.generate(**inputs, max_new_tokens=5, do_sample=False)
        got = loaded.generate(**inputs, max_new_tokens=5, do_sample=False)
    expect(
        torch.equal(expected, got),
        kata,
        got=f"the reloaded model generates {got.tolist()}",
        expected=f"{expected.tolist()}, what the pruned model generates",
    )


@pytest.mark.parametrize(
    ("amount", "scope", "because"),
    [
        (1.5, "layer", "amount is a fraction between 0.0 and 1.0"),
        (-0.1, "layer", "amount is a fraction between 0.0 and 1.0"),
        (1, "layer", "amount is a fraction: torch's prune would read the int 1 as one weight"),
        (0.5, "heads", "scope is either 'layer' or 'global'"),
        (0.5, "Global", "scope is either 'layer' or 'global', spelt so"),
    ],
    ids=["above one", "negative", "an int", "unknown scope", "capitalised scope"],
)
def test_bad_arguments_raise_value_error(kata, tiny_gpt2, amount, scope, because):
    expect_raises(kata, ValueError, tiny_gpt2.load_model(), amount, scope=scope, because=because)
