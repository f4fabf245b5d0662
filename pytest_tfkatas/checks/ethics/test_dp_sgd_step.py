"""Hidden checks: dp_sgd_step."""

from __future__ import annotations

import copy
import math

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

LR = 0.5
#: vmap over sdpa attention has no batching rule yet and says so; true, but not the learner's concern
pytestmark = pytest.mark.filterwarnings("ignore:There is a performance drop:UserWarning")


def setup(name: str, *, training: bool = False, freeze_embeddings: bool = False, stale_grads: bool = True):
    """A classifier, plain SGD over all its parameters, and five equal-length examples; with
    ``stale_grads`` the trainable parameters hold a .grad of 0.25, else none (a first step)."""
    tiny = zoo.get(name)
    model, tokenizer = tiny.load_model().train(training), tiny.load_tokenizer()
    if freeze_embeddings:
        model.bert.embeddings.requires_grad_(False)
    texts = [zoo.corpus()[k] for k in (0, 3, 8, 13, 21)]
    encoded = tokenizer(texts, truncation=True, max_length=9, return_tensors="pt")
    batch = {"input_ids": encoded["input_ids"], "labels": torch.tensor([1, 0, 0, 1, 1])}
    for parameter in model.parameters():
        if parameter.requires_grad and stale_grads:
            parameter.grad = torch.full_like(parameter, 0.25)  # what an earlier step left
    return model, torch.optim.SGD(model.parameters(), lr=LR), batch


def per_example_loop(model, batch, max_grad_norm: float):
    """Written out with one backward per example: the clipped mean gradient of each trainable
    parameter (by name) and each example's gradient norm over all of them."""
    model = copy.deepcopy(model).eval()
    trainable = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    total = {name: torch.zeros_like(p) for name, p in trainable}
    norms = []
    for input_ids, label in zip(batch["input_ids"], batch["labels"], strict=True):
        model.zero_grad()
        model(input_ids=input_ids[None], labels=label[None]).loss.backward()
        norm = math.sqrt(sum(float((p.grad.double() ** 2).sum()) for _, p in trainable))
        factor = min(1.0, max_grad_norm / (norm + 1e-6))
        for name, p in trainable:
            total[name] += factor * p.grad
        norms.append(norm)
    return {name: t / len(norms) for name, t in total.items()}, norms


def batch_clipped(model, batch, max_grad_norm: float) -> dict[str, torch.Tensor]:
    """The mistake DP-SGD is not: the batch's summed gradient clipped once, divided by its size."""
    mean, norms = per_example_loop(model, batch, math.inf)
    total = math.sqrt(sum(float(((g * len(norms)).double() ** 2).sum()) for g in mean.values()))
    return {name: g * min(1.0, max_grad_norm / (total + 1e-6)) for name, g in mean.items()}


def mistake_tip(grads, expected, clipped_once) -> str | None:
    """A tip for what ``grads`` (the .grad after the step) look like, when they match a known mistake."""
    if all(gap(grads[key], value + 0.25) < 1e-5 for key, value in expected.items()):
        return "assign the new gradient to .grad: adding to it keeps what an earlier step left there."
    if all(gap(grads[key], value) < 1e-5 for key, value in clipped_once.items()):
        return (
            "clip each example's gradient on its own, before summing: clipping the batch's gradient is "
            "not DP-SGD."
        )
    return None


def median_norm(model, batch) -> float:
    """A clipping bound between the examples' norms: some are clipped, some are not."""
    return float(torch.tensor(per_example_loop(model, batch, 1e9)[1]).median())


def gap(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).abs().max())


def modes(model) -> list[bool]:
    return [module.training for module in model.modules()]


def step(kata, model, opt, batch, *, max_grad_norm, noise_multiplier=0.0, seed=0):
    return kata(
        model,
        opt,
        batch,
        max_grad_norm=max_grad_norm,
        noise_multiplier=noise_multiplier,
        generator=torch.Generator().manual_seed(seed),
    )


@pytest.mark.parametrize(
    ("name", "training"), [("bert", True), ("bert-cased", False)], ids=["bert", "bert-cased"]
)
def test_without_noise_the_step_matches_a_loop_over_clipped_examples(kata, name, training):
    model, opt, batch = setup(name, training=training)
    bound = median_norm(model, batch)
    expected_grads, expected_norms = per_example_loop(model, batch, bound)
    start = copy.deepcopy(model.state_dict())
    clipped_once = batch_clipped(model, batch, bound)  # for the tip
    before = {key: value.clone() for key, value in batch.items()}
    seen: list[bool] = []
    # on the encoder, which every forward pass runs, model(...) or model.forward(...) alike
    model.base_model.encoder.register_forward_pre_hook(lambda module, args: seen.append(any(modes(model))))
    steps: list[int] = []
    opt.register_step_post_hook(lambda optimizer, args, kwargs: steps.append(1))
    norms = step(kata, model, opt, batch, max_grad_norm=bound)
    expect(
        isinstance(norms, torch.Tensor)
        and norms.dtype == torch.float32
        and norms.shape == (5,)
        and not norms.requires_grad,
        kata,
        got=describe(norms),
        expected="a float32 tensor of shape [5] (one norm per example) that does not require grad",
    )
    expect(
        torch.allclose(norms.double(), torch.tensor(expected_norms, dtype=torch.float64), rtol=1e-4),
        kata,
        got=f"norms {[round(x, 5) for x in norms.tolist()]}",
        expected=f"{[round(x, 5) for x in expected_norms]}: each example's gradient norm over all trainable "
        "parameters together, before clipping",
        tip="stack the norm of each parameter's per-example gradient (flattened after the batch dimension) "
        "and take the norm of those: the joint L2 norm.",
    )
    named = dict(model.named_parameters())
    grads = {key: named[key].grad for key in expected_grads}
    off = max(gap(grads[key], value) for key, value in expected_grads.items())
    expect(
        off < 1e-5,
        kata,
        got=f".grad {off:.2e} away from the clipped mean gradient (C = {bound:.4f}, the median norm)",
        expected="each example's gradient times min(1, C / (norm + 1e-6)), summed, divided by the batch "
        "size, replacing what .grad held",
        tip=mistake_tip(grads, expected_grads, clipped_once),
    )
    moved = max(gap(named[key].detach(), start[key] - LR * value) for key, value in expected_grads.items())
    expect(
        moved < 1e-5 and len(steps) == 1,
        kata,
        got=f"weights {moved:.2e} away from one SGD step, after {len(steps)} calls of optimizer.step()",
        expected="optimizer.step() called once: the optimizer updates the weights, whatever it is",
    )
    expect(
        seen and not any(seen),
        kata,
        got="the model (or some of its layers) ran in training mode" if seen else "the model never ran",
        expected="the forward passes in evaluation mode (no dropout)",
    )
    expect(
        modes(model) == [training] * len(modes(model)),
        kata,
        got=f"model.training={model.training} after the step",
        expected=f"the model left in the mode it was in (training={training}), every layer of it",
    )
    expect(
        batch.keys() == before.keys() and all(torch.equal(batch[key], before[key]) for key in before),
        kata,
        got=f"the batch changed: {sorted(batch)}",
        expected="the batch left as it was",
    )


def test_a_large_bound_clips_nothing_and_a_tiny_one_clips_every_example(kata, tiny_bert):
    for bound in (1e6, 1e-3):
        model, opt, batch = setup("bert", stale_grads=bound > 1)  # the tiny bound's step is a first one
        expected_grads, _ = per_example_loop(model, batch, bound)
        step(kata, model, opt, batch, max_grad_norm=bound)
        named = dict(model.named_parameters())
        scale = max(float(value.abs().max()) for value in expected_grads.values())
        off = max(gap(named[key].grad, value) for key, value in expected_grads.items()) / scale
        expect(
            off < 1e-4,
            kata,
            got=f".grad {off:.2e} (relative) away from the clipped mean gradient for C = {bound}",
            expected="g_i * min(1, C / (norm_i + 1e-6)) summed over the examples, divided by the batch size",
            tip="the factor never exceeds 1: an example whose norm is below C is left as it is."
            if bound > 1
            else None,
        )


def test_the_noise_has_standard_deviation_sigma_times_c_over_the_batch_size(kata, tiny_bert):
    bound, sigma = 0.5, 3.0
    quiet, loud = setup("bert"), setup("bert")
    step(kata, *quiet, max_grad_norm=bound)
    step(kata, *loud, max_grad_norm=bound, noise_multiplier=sigma)
    noises = {
        name: (p.grad - q.grad) * 5
        for (name, p), q in zip(loud[0].named_parameters(), quiet[0].parameters(), strict=True)
    }
    everything = torch.cat([noise.flatten() for noise in noises.values()])
    std, mean = float(everything.std()), float(everything.mean())
    expect(
        abs(std - sigma * bound) < 0.05 * sigma * bound and abs(mean) < 0.05 * sigma * bound,
        kata,
        got=f"(batch size x) the noise in .grad: mean {mean:.4f}, standard deviation {std:.4f}",
        expected=f"mean 0 and standard deviation noise_multiplier x max_grad_norm = {sigma * bound}: the "
        "noise is added to the sum of the clipped gradients, then everything is divided by the batch size",
    )
    within = [float((everything.abs() < k * sigma * bound).double().mean()) for k in (1, 2)]
    expect(
        abs(within[0] - 0.6827) < 0.01 and abs(within[1] - 0.9545) < 0.01,
        kata,
        got=f"{within[0]:.1%} of the noise within one standard deviation of 0, {within[1]:.1%} within two",
        expected="Gaussian noise: 68.3% within one standard deviation, 95.4% within two",
        tip="draw it with torch.normal(0.0, std, shape, generator=generator).",
    )
    flat = [
        name for name, noise in noises.items() if noise.numel() >= 500 and noise.std() < 0.8 * sigma * bound
    ]
    expect(
        not flat,
        kata,
        got=f"parameters whose elements got (nearly) the same noise: {flat[:3]}",
        expected="one independent draw per element of every parameter",
    )


def test_the_noise_comes_from_the_generator_alone(kata, tiny_bert_cased):
    results = []
    for seed, global_seed, drawn in ((7, 1, 0), (7, 2, 0), (8, 1, 0), (7, 1, 1)):
        model, opt, batch = setup("bert-cased")
        torch.manual_seed(global_seed)
        state = torch.get_rng_state()
        generator = torch.Generator().manual_seed(seed)
        torch.randn(drawn, generator=generator)  # a generator that an earlier step has used
        start = generator.get_state()
        kata(model, opt, batch, max_grad_norm=0.3, noise_multiplier=1.0, generator=generator)
        expect(
            torch.equal(torch.get_rng_state(), state),
            kata,
            got="torch's global random state moved",
            expected="every draw from the generator passed in, none from the global random state",
            tip="torch.normal(0.0, std, shape, generator=generator) draws from that generator only.",
        )
        expect(
            not torch.equal(generator.get_state(), start),
            kata,
            got="the generator passed in left where it was",
            expected="the noise drawn from it, moving it on: the next step then gets other noise",
            tip="draw from the generator itself (generator=generator), not from a copy or a new one made "
            "from its seed, and do not put its state back.",
        )
        results.append(torch.cat([p.detach().flatten() for p in model.parameters()]))
    expect(
        torch.equal(results[0], results[1]),
        kata,
        got="different steps for the same generator state",
        expected="the same step for the same generator state",
    )
    expect(
        not torch.equal(results[0], results[2]) and not torch.equal(results[0], results[3]),
        kata,
        got="the same step for two generator seeds"
        if torch.equal(results[0], results[2])
        else "the same step for a generator seeded alike but already used once",
        expected="another step for another generator state",
    )


def test_frozen_parameters_are_left_alone_and_out_of_the_norm(kata, tiny_bert):
    model, opt, batch = setup("bert", freeze_embeddings=True)
    frozen = {name: p.detach().clone() for name, p in model.named_parameters() if not p.requires_grad}
    bound = median_norm(model, batch)
    _, expected_norms = per_example_loop(model, batch, bound)
    norms = step(kata, model, opt, batch, max_grad_norm=bound, noise_multiplier=0.5)
    named = dict(model.named_parameters())
    touched = [
        name for name in frozen if named[name].grad is not None or not torch.equal(named[name], frozen[name])
    ]
    expect(
        not touched,
        kata,
        got=f"frozen parameters given a .grad or moved: {touched[:3]}",
        expected="parameters with requires_grad=False left as they were, their .grad None",
        tip="take the gradients of the trainable parameters only (requires_grad=True).",
    )
    expect(
        torch.allclose(norms.double(), torch.tensor(expected_norms, dtype=torch.float64), rtol=1e-4),
        kata,
        got=f"norms {[round(x, 5) for x in norms.tolist()]}",
        expected=f"{[round(x, 5) for x in expected_norms]}: the norm over the trainable parameters only",
    )


@pytest.mark.parametrize(
    ("change", "because"),
    [
        ({"max_grad_norm": 0.0}, "the clipping bound must be positive"),
        ({"max_grad_norm": -1.0}, "the clipping bound must be positive"),
        ({"max_grad_norm": math.nan}, "NaN is no clipping bound"),
        ({"noise_multiplier": -0.5}, "the noise multiplier cannot be negative"),
        ({"noise_multiplier": math.nan}, "NaN is no noise multiplier"),
        ({"labels": None}, "without labels there is no loss"),
        ({"rows": 0}, "an empty batch has no examples to average"),
    ],
    ids=["c-zero", "c-negative", "c-nan", "sigma-negative", "sigma-nan", "no-labels", "empty"],
)
def test_bad_arguments_are_refused_before_anything_changes(kata, tiny_bert, change, because):
    model, opt, batch = setup("bert", training=True)
    if "labels" in change:
        del batch["labels"]
    if "rows" in change:
        batch = {key: value[:0] for key, value in batch.items()}
    settings = {"max_grad_norm": 1.0, "noise_multiplier": 1.0} | {
        key: value for key, value in change.items() if key in ("max_grad_norm", "noise_multiplier")
    }
    untouched = copy.deepcopy(model)
    generator = torch.Generator().manual_seed(0)
    start = generator.get_state()
    expect_raises(kata, ValueError, model, opt, batch, **settings, generator=generator, because=because)
    same = all(
        torch.equal(p, q) and p.grad is not None and bool((p.grad == 0.25).all())
        for p, q in zip(model.parameters(), untouched.parameters(), strict=True)
    )
    expect(same, kata, got="weights or gradients changed", expected="nothing changed for a refused call")
    expect(
        all(modes(model)),
        kata,
        got="the model left in evaluation mode",
        expected="the model still in training mode: the arguments checked before anything changes",
    )
    expect(
        torch.equal(generator.get_state(), start),
        kata,
        got="the generator moved",
        expected="no draw from the generator for a refused call",
    )
