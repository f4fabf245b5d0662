"""Hidden checks: find_first_non_finite."""

from __future__ import annotations

import math
from types import MappingProxyType

import pytest
import torch
from torch import nn

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

TEXTS = {
    "gpt2": ["The robot read a book"],
    "llama": ["The robot read a book"],
    "bert": ["A wonderful book", "rain"],
}
ISFINITE_TIP = (
    "that is the module after the one whose weight was planted: test what each module returns (a "
    "forward hook, not a pre-hook on its inputs) with torch.isfinite, which is False for NaN, +inf and "
    "-inf alike (torch.isnan misses infinities)."
)


def setup(name: str, **inputs_extra):
    tiny = zoo.get(name)
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    inputs = dict(tokenizer(TEXTS[name], padding=len(TEXTS[name]) > 1, return_tensors="pt"))
    inputs.update(inputs_extra)
    return model, inputs


def plant(parameter: torch.Tensor, index: tuple[int, ...], value: float) -> None:
    with torch.no_grad():
        parameter[index] = value


def all_hooks(model: nn.Module) -> dict:
    """Every hook dict of every submodule and torch's global forward hooks, as (key, hook) lists."""
    global_hooks = nn.modules.module
    state = {
        f"{name or '<model>'}.{kind}": list(getattr(module, kind).items())
        for name, module in model.named_modules()
        for kind in ("_forward_hooks", "_forward_pre_hooks", "_forward_hooks_with_kwargs")
    }
    state["global forward hooks"] = list(global_hooks._global_forward_hooks.items())
    state["global forward pre-hooks"] = list(global_hooks._global_forward_pre_hooks.items())
    return state


def changed_hooks(before: dict, after: dict) -> list[str]:
    return [key for key in before if before[key] != after[key]]


def check_found(kata, result, expected, why: str, tips: dict | None = None) -> None:
    __tracebackhide__ = True
    expect(
        result == expected,
        kata,
        got=describe(result),
        expected=f"{expected!r} ({why})",
        tip=(tips or {}).get(result),
    )


# (zoo model, what is planted, where: parameter path and index, value, the expected module, tips for
# plausible wrong answers). The expected module is the one whose own weight turns its output
# non-finite, every module before it being untouched.
PLANTED = {
    "gpt2, +inf in a weight of the second block's MLP": (
        "gpt2",
        "transformer.h.1.mlp.c_fc.weight",
        (3, 5),
        math.inf,
        "transformer.h.1.mlp.c_fc",
        {"transformer.h.1.mlp.act": ISFINITE_TIP},
    ),
    "llama, -inf in a norm weight of the second layer": (
        "llama",
        "model.layers.1.post_attention_layernorm.weight",
        (7,),
        -math.inf,
        "model.layers.1.post_attention_layernorm",
        {"model.layers.1.mlp.gate_proj": ISFINITE_TIP},
    ),
    "bert, NaN in the first layer's attention value": (
        "bert",
        "bert.encoder.layer.0.attention.self.value.weight",
        (2, 9),
        math.nan,
        "bert.encoder.layer.0.attention.self.value",
        {},
    ),
}


@pytest.mark.parametrize("case", list(PLANTED))
def test_a_planted_non_finite_weight_is_found_where_it_first_shows(kata, case):
    name, path, index, value, expected, tips = PLANTED[case]
    model, inputs = setup(name)
    plant(model.get_parameter(path), index, value)
    result = kata(model, inputs)
    check_found(
        kata, result, expected, f"{value} planted in {path}: the first output that is not finite", tips
    )


def test_an_unused_embedding_row_shows_first_in_the_tied_output_head(kata):
    """A NaN in the embedding row of a token the text does not contain: the embeddings' output
    stays finite, but GPT-2's output head shares that matrix, so its logits for that token are NaN."""
    model, inputs = setup("gpt2")
    unused = next(i for i in range(model.config.vocab_size) if i not in inputs["input_ids"])
    assert model.lm_head.weight is model.transformer.wte.weight  # the premise: tied weights
    plant(model.transformer.wte.weight, (unused, 0), math.nan)
    result = kata(model, inputs)
    check_found(
        kata,
        result,
        "lm_head",
        f"the NaN is in row {unused} of the embeddings, a token not in the input: the embeddings "
        "give finite vectors, and lm_head, which shares the matrix, gives the first NaN logits",
        {
            "transformer.wte": "a NaN in a weight is not a NaN in an output: look at what each "
            "module returns, not at its parameters."
        },
    )


def modes(model: nn.Module) -> dict[str, bool]:
    return {name: module.training for name, module in model.named_modules()}


@pytest.mark.parametrize("case", ["gpt2 in evaluation mode", "llama in training mode", "bert, mixed modes"])
def test_a_finite_forward_gives_none_and_leaves_everything_as_it_was(kata, case):
    name = case.split()[0].rstrip(",")
    model, inputs = setup(name)
    if "training" in case:
        model.train()
    if "mixed" in case:
        model.train()
        model.bert.embeddings.eval()
    before_modes, before_state = modes(model), {k: v.clone() for k, v in model.state_dict().items()}
    before_inputs = {key: value.clone() for key, value in inputs.items()}
    before_hooks = all_hooks(model)
    calls: list[bool] = []
    modes_during: list[dict[str, bool]] = []

    def probe_hook(module, args, output) -> None:
        calls.append(torch.is_grad_enabled())
        modes_during.append(modes(model))

    probe = model.register_forward_hook(probe_hook)
    try:
        result = kata(model, MappingProxyType(inputs))
    finally:
        probe.remove()
    expect(
        result is None, kata, got=describe(result), expected="None: every output of every module is finite"
    )
    changed = [key for key, mode in before_modes.items() if modes(model)[key] != mode]
    expect(
        not changed,
        kata,
        got=f"the training flag of {len(changed)} modules changed, e.g. {changed[:2]}",
        expected="the model run in the mode it was in, and left in it (each submodule too)",
        tip="a debugging tool looks, it does not change: no model.eval() or model.train().",
    )
    during = [key for key, mode in before_modes.items() if modes_during and modes_during[0][key] != mode]
    expect(
        not during,
        kata,
        got=f"during the forward, the training flag of {len(during)} modules differed from the "
        f"model's own, e.g. {during[:2]}",
        expected="the forward run in the mode the model was in (each submodule in its own mode)",
        tip="a NaN may show only in one mode (dropout, batch statistics): never switch modes, even if "
        "you switch back afterwards.",
    )
    expect(
        calls == [False] and torch.is_grad_enabled(),
        kata,
        got=f"the model's forward ran {len(calls)} times, with autograd on: {calls}; "
        f"afterwards autograd is {'on' if torch.is_grad_enabled() else 'still off'}",
        expected="one forward pass, with autograd off: [False]; afterwards autograd on again",
        tip="run the forward once, inside `with torch.inference_mode():` (or torch.no_grad()), "
        "which turns autograd back on at its end.",
    )
    with torch.no_grad():
        kata(model, inputs)
        still_off = not torch.is_grad_enabled()
    expect(
        still_off,
        kata,
        got="called inside `with torch.no_grad():`, it turned autograd back on for the rest of that block",
        expected="autograd left as the caller had it (off here)",
        tip="turn autograd off with a `with torch.inference_mode():` (or torch.no_grad()) block, which puts "
        "back the mode that was in force, rather than torch.set_grad_enabled(True) at the end.",
    )
    state = model.state_dict()
    expect(
        all(torch.equal(state[key], value) for key, value in before_state.items())
        and inputs.keys() == before_inputs.keys()
        and all(torch.equal(inputs[key], value) for key, value in before_inputs.items()),
        kata,
        got="the weights or the inputs changed",
        expected="weights and inputs left unchanged",
    )
    expect(
        not changed_hooks(before_hooks, all_hooks(model)),
        kata,
        got=f"hooks left behind on {changed_hooks(before_hooks, all_hooks(model))[:3]}",
        expected="no hook left: remove every hook you registered",
        tip="keep the handles register_forward_hook returns and call handle.remove() on each.",
    )


def test_the_first_module_to_return_wins_not_the_first_registered(kata):
    """BERT's embeddings compute the token-type embeddings before the position embeddings, which
    are registered first; Llama computes its rotary embeddings (a tuple: cos, sin) before its
    layers, which are registered first."""
    model, inputs = setup("bert")
    plant(model.bert.embeddings.position_embeddings.weight, (0, 4), math.nan)
    plant(model.bert.embeddings.token_type_embeddings.weight, (0, 4), math.nan)
    result = kata(model, inputs)
    order_tip = {
        "bert.embeddings.position_embeddings": "record the names in the order the hooks run, not "
        "in the order of named_modules()."
    }
    check_found(
        kata,
        result,
        "bert.embeddings.token_type_embeddings",
        "NaN in the position and token-type embeddings; the token-type embeddings run first",
        order_tip,
    )
    model, inputs = setup("llama")
    plant(model.model.rotary_emb.inv_freq, (2,), math.nan)
    result = kata(model, inputs)
    check_found(
        kata,
        result,
        "model.rotary_emb",
        "NaN in the rotary embedding's inv_freq: it runs before the layers and returns a tuple (cos, sin)",
        {
            None: "outputs are not always tensors: look inside tuples (and dicts).",
            "": "record the names in the order the hooks run, not in the order of named_modules().",
            "model": "record the names in the order the hooks run, not in the order of named_modules().",
        },
    )


class Scores(nn.Module):
    """Returns a nested structure: the hidden states, None, an int, and a list holding a dict."""

    def forward(self, hidden: torch.Tensor):
        scores = hidden.sum(-1) / torch.zeros(())  # +-inf, or NaN for a zero sum
        return hidden, None, 3, [{"scores": scores}]


class Tagger(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Linear(4, 4)
        self.scores = Scores()
        self.head = nn.Linear(4, 2)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        hidden, *_ = self.scores(self.encoder(features))
        return self.head(hidden)  # finite: the scores are not used


class Inverse(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 1 / x  # inf where x is 0


class Log(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log(x)  # NaN where x < 0


class Reuser(nn.Module):
    """Calls its ``inverse`` twice (a shared layer): each call is a separate output to test."""

    def __init__(self) -> None:
        super().__init__()
        self.inverse = Inverse()
        self.log = Log()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inverse(self.log(self.inverse(x)))


REUSED = {
    "the first bad output comes between its two calls": (
        [2.0, 3.0, -1.0],
        "log",
        "inverse's first output [0.5, 0.33, -1.0] is finite, log's has a NaN (log(-1)), then the second "
        "call of inverse returns NaN too",
        {
            "inverse": "test each output when its hook runs: a module called twice returns twice, and "
            "only the first non-finite output counts."
        },
    ),
    "its second call gives the first bad output": (
        [1.0, 2.0],
        "inverse",
        "inverse's first output [1.0, 0.5] and log's [0.0, -0.69] are finite; the second call of "
        "inverse returns 1/0 = inf",
        {"": "a module called twice returns twice: test every output it returns, not only its first."},
    ),
}


@pytest.mark.parametrize("case", list(REUSED))
def test_a_module_called_twice_is_tested_at_each_call(kata, case):
    values, expected, why, tips = REUSED[case]
    result = kata(Reuser(), {"x": torch.tensor(values)})
    check_found(kata, result, expected, why, tips)


class Loud(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.full_like(x, 3.0e38)  # finite: just below float32's largest, 3.4e38


class Double(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2  # 6e38: past float32's range, +inf


class Amplifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.loud = Loud()
        self.doubler = Double()

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.doubler(self.loud(features))


def test_large_finite_values_are_finite(kata):
    result = kata(Amplifier(), {"features": torch.randn(2, 4)})
    check_found(
        kata,
        result,
        "doubler",
        "loud returns 3e38 everywhere, large but finite; doubler turns it into 6e38, past float32's "
        "range: +inf",
        {
            "loud": "test every element, torch.isfinite(output).all(): a sum or a mean of large finite "
            "values overflows to inf."
        },
    )


@pytest.mark.parametrize(
    "case", ["a list in a tuple", "the loss of gpt2's ModelOutput", "the loss of llama's ModelOutput"]
)
def test_outputs_are_looked_into_at_any_depth(kata, case):
    if case == "a list in a tuple":
        model, inputs = Tagger(), {"features": torch.randn(2, 4)}
        expected, why = "scores", "its output is (hidden, None, 3, [{'scores': inf values}])"
        tips = {None: "look inside tuples, lists and dicts, at any depth; skip what is not a tensor."}
    else:
        name = case.split("'")[0].split()[-1]
        model, inputs = setup(name)
        inputs["labels"] = torch.full_like(inputs["input_ids"], -100)  # every label ignored: 0 / 0
        expected = ""
        why = "every label is -100, so the loss the model computes in its own forward is 0/0 = NaN"
        tips = {
            None: "hook the model itself too (its name is ''), and look inside its ModelOutput, "
            "a dict: the loss is one of its values."
        }
    result = kata(model, inputs)
    check_found(kata, result, expected, why, tips)


def test_hooks_are_removed_after_success_and_after_an_error(kata):
    model, inputs = setup("gpt2")
    seen: list[str] = []
    model.transformer.wte.register_forward_hook(lambda module, args, output: seen.append("hook"))
    model.transformer.register_forward_pre_hook(lambda module, args: seen.append("pre-hook"))
    before = all_hooks(model)
    plant(model.transformer.h[0].mlp.c_proj.weight, (1, 1), math.inf)
    result = kata(model, inputs)
    check_found(kata, result, "transformer.h.0.mlp.c_proj", "an inf planted in its weight")
    expect(
        not changed_hooks(before, all_hooks(model)) and seen == ["pre-hook", "hook"],
        kata,
        got=f"hooks changed on {changed_hooks(before, all_hooks(model))[:3]}; the caller's hooks ran: {seen}",
        expected="your hooks removed, the caller's own hooks still there (and still run)",
        tip="remove only what you added, with the handles register_forward_hook returns; never clear "
        "a module's hook dicts.",
    )
    too_large = torch.tensor([[1, 2, model.config.vocab_size + 5]])
    expect_raises(
        kata,
        IndexError,
        model,
        {"input_ids": too_large},
        because="a token id past the vocabulary makes the embedding lookup raise: let it propagate",
    )
    expect(
        not changed_hooks(before, all_hooks(model)),
        kata,
        got=f"after the forward raised, hooks left behind on {changed_hooks(before, all_hooks(model))[:3]}",
        expected="every hook you added removed, even though the forward raised",
        tip="remove the hooks in a `finally:` block around the forward.",
    )


@pytest.mark.parametrize("bad", ["a tensor of input ids", "a list of pairs"])
def test_inputs_that_are_not_a_mapping_raise_type_error(kata, bad):
    model, inputs = setup("gpt2")
    given = inputs["input_ids"] if bad == "a tensor of input ids" else list(inputs.items())
    before = all_hooks(model)
    expect_raises(
        kata, TypeError, model, given, because=f"inputs must be a mapping of keyword arguments, not {bad}"
    )
    expect(
        not changed_hooks(before, all_hooks(model)),
        kata,
        got=f"hooks left behind on {changed_hooks(before, all_hooks(model))[:3]}",
        expected="no hook added for a refused call",
    )
