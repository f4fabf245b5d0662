"""Hidden checks: attention_rollout."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pytest_tfkatas.checks.helpers import expect_colour_scale_spans_the_data, expect_figure
from pytest_tfkatas.harness import describe, expect, expect_no_files_written, expect_raises, fail

TEXT = "The robot read every book in the quiet library"
ROLLOUT_TIP = (
    "per layer: a = attentions[l][0].mean(dim=0) + identity, each row divided by its sum; then "
    "rollout = a @ rollout, starting from the identity (the later layer on the left)."
)
#: zoo name -> how to load it with eager attention
EAGER = {
    "bert-eager": {},
    "gpt2-eager": {},
    "bert-cased": {},
    "llama": {"attn_implementation": "eager"},
}


def load(request, name: str):
    tiny = request.getfixturevalue(f"tiny_{name.replace('-', '_')}")
    return tiny.load_model(**EAGER[name]), tiny.load_tokenizer()


def expected_rollout(model, tokenizer, text: str, layers: int | None = None) -> tuple[np.ndarray, list[str]]:
    """The rollout in float64: each layer's (mean of heads + I) / 2, multiplied later-layer-first."""
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        attentions = model.eval()(**inputs, output_attentions=True).attentions
    count = len(inputs["input_ids"][0])
    mixed = [
        (attention[0].double().mean(dim=0) + torch.eye(count, dtype=torch.float64)) / 2
        for attention in attentions[: layers or len(attentions)]
    ]
    rollout = mixed[0] if len(mixed) == 1 else torch.linalg.multi_dot(mixed[::-1])
    return rollout.numpy(), tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])


def roll_out(kata, *args, **kwargs) -> tuple[np.ndarray, object]:
    """Call the kata; check that it returns (a float numpy array, a Figure)."""
    __tracebackhide__ = True
    try:
        result = kata(*args, **kwargs)
    except IndexError as error:
        fail(
            f"Called {kata.last_call}.\nIt raised IndexError: {error}\n"
            "Tip: outputs.attentions holds one tensor per layer, each (batch, heads, queries, keys)."
        )
    ok = isinstance(result, tuple) and len(result) == 2
    rollout = result[0] if ok else None
    expect(
        ok and isinstance(rollout, np.ndarray) and np.issubdtype(rollout.dtype, np.floating),
        kata,
        got=describe(result) if not ok else f"({describe(rollout)}, {describe(result[1])})",
        expected="a tuple (rollout, figure): the rollout a float numpy array, the figure a matplotlib Figure",
        tip="convert the rollout with .numpy() (after .float() for a bfloat16 tensor); return rollout, "
        "figure.",
    )
    expect_figure(kata, result[1])
    return result


def expect_rollout(kata, got: np.ndarray, expected: np.ndarray, *, what: str) -> None:
    ok = got.shape == expected.shape and np.allclose(got, expected, atol=1e-5)
    tip = ROLLOUT_TIP
    if got.shape == expected.shape and not ok and np.allclose(got, expected.T, atol=1e-5):
        tip = "the rollout is transposed: row i is token i at the last layer, as attention rows are queries."
    expect(
        ok,
        kata,
        got=f"a rollout of shape {list(got.shape)}, last row {np.round(got[-1].astype(float), 4).tolist()}",
        expected=f"{what}: shape {list(expected.shape)}, last row {np.round(expected[-1], 4).tolist()}",
        tip=tip,
    )


def placed_labels(axis) -> list[tuple[float, str]]:
    """(position, text) of each major tick label of an axis, sorted by position."""
    positions = [float(position) for position in axis.get_majorticklocs()]
    texts = [label.get_text() for label in axis.get_majorticklabels()]
    if len(texts) != len(positions):  # labels without ticks: keep the texts, no position to check
        return [(float(index), text) for index, text in enumerate(texts)]
    return sorted(zip(positions, texts, strict=True), key=lambda pair: pair[0])


def heat_map(kata, figure):
    """The one image of the figure's one Axes with an image (a colour bar's Axes aside)."""
    with_images = [ax for ax in figure.get_axes() if ax.images]
    expect(
        len(with_images) == 1 and len(with_images[0].images) == 1,
        kata,
        got=f"a figure with {len(figure.get_axes())} Axes holding "
        f"{[len(ax.images) for ax in figure.get_axes()]} images",
        expected="one Axes that shows the rollout as one image (a colour bar beside it is fine)",
        tip="axes.imshow(rollout) on the Axes of a new Figure.",
    )
    return with_images[0]


@pytest.mark.parametrize("name", list(EAGER))
def test_the_rollout_matches_an_independent_computation(kata, request, name):
    model, tokenizer = load(request, name)
    expected, _ = expected_rollout(load(request, name)[0], tokenizer, TEXT)
    rollout, _ = roll_out(kata, model, tokenizer, TEXT)
    expect_rollout(
        kata, rollout, expected, what=f"the rollout through all {model.config.num_hidden_layers} layers"
    )


@pytest.mark.parametrize("name", ["gpt2-eager", "llama", "bert-eager"])
def test_every_row_sums_to_one_and_a_causal_model_only_rolls_out_to_earlier_tokens(kata, request, name):
    model, tokenizer = load(request, name)
    rollout, _ = roll_out(kata, model, tokenizer, TEXT)
    sums = rollout.sum(axis=-1)
    expect(
        np.allclose(sums, 1.0, atol=1e-5) and (rollout >= -1e-7).all(),
        kata,
        got=f"row sums {np.round(sums.astype(float), 4).tolist()}",
        expected="every row summing to 1, with no negative weight: each layer's matrix is renormalised",
        tip="after adding the identity, divide each row by its sum (the rows then sum to 1, and so do "
        "their products).",
    )
    if name != "bert-eager":  # gpt2 and llama are causal
        upper = np.triu(rollout, k=1)
        expect(
            np.allclose(upper, 0.0, atol=1e-7),
            kata,
            got=f"weights above the diagonal up to {float(np.abs(upper).max()):.4f}",
            expected="a lower-triangular rollout: a causal model's token i only reads tokens 0 to i",
            tip=ROLLOUT_TIP,
        )


@pytest.mark.parametrize("name", ["bert-cased", "gpt2-eager"])
def test_one_layer_is_that_layers_attention_mixed_with_the_identity(kata, request, name):
    model, tokenizer = load(request, name)
    expected, _ = expected_rollout(load(request, name)[0], tokenizer, TEXT, layers=1)
    rollout, _ = roll_out(kata, model, tokenizer, TEXT, layers=1)
    expect_rollout(
        kata,
        rollout,
        expected,
        what="layer 0's attention, heads averaged, plus the identity, rows renormalised",
    )
    expected, _ = expected_rollout(load(request, name)[0], tokenizer, TEXT, layers=2)
    rollout, _ = roll_out(kata, model, tokenizer, TEXT, layers=2)
    expect_rollout(kata, rollout, expected, what="the rollout through layers 0 and 1")


@pytest.mark.parametrize(
    ("name", "text"),
    [("bert-cased", "Alice met Bob in Paris"), ("gpt2-eager", " The robot read every book ")],
    ids=["cased wordpieces", "gpt2 spaces kept"],
)
def test_the_figure_shows_the_rollout_with_the_tokens_as_tick_labels(kata, request, name, text):
    model, tokenizer = load(request, name)
    expected, tokens = expected_rollout(load(request, name)[0], tokenizer, text)
    _, figure = roll_out(kata, model, tokenizer, text)
    ax = heat_map(kata, figure)
    drawn = np.asarray(ax.images[0].get_array(), dtype=float)
    expect(
        drawn.shape == expected.shape and np.allclose(drawn, expected, atol=1e-5),
        kata,
        got=f"an image of shape {list(drawn.shape)}, last row {np.round(drawn[-1], 4).tolist()}",
        expected=f"the rollout as it is returned: shape {list(expected.shape)}, last row "
        f"{np.round(expected[-1], 4).tolist()}",
        tip="imshow(rollout): row i of the image is row i of the rollout.",
    )
    xs, ys = placed_labels(ax.xaxis), placed_labels(ax.yaxis)
    texts = {axis: [text for _, text in placed] for axis, placed in (("x", xs), ("y", ys))}
    expect(
        texts["x"] == tokens and texts["y"] == tokens,
        kata,
        got=f"x tick labels {texts['x']}, y tick labels {texts['y']} (each axis in the order of its ticks)",
        expected=f"the tokens {tokens} on both axes, as the tokenizer gives them for the text as it is",
        tip="tokens = tokenizer.convert_ids_to_tokens(inputs['input_ids'][0]); "
        "ax.set_xticks(range(len(tokens)), labels=tokens) and the same with set_yticks.",
    )
    misplaced = [
        f"{axis} label {text!r} at {position:g}"
        for axis, placed in (("x", xs), ("y", ys))
        for index, (position, text) in enumerate(placed)
        if abs(position - index) > 1e-6
    ]
    expect(
        not misplaced,
        kata,
        got=f"tick labels away from their token's row or column: {misplaced[:3]}",
        expected="token i's label at position i on both axes, where the image draws row i and column i",
        tip="ax.set_yticks(range(len(tokens)), labels=tokens): the image's cells are centred on 0, 1, 2, ...",
    )
    expect_colour_scale_spans_the_data(kata, ax.images[0], suggestion="vmin=0, vmax=1 suits a rollout")
    expect_no_files_written(kata)


@pytest.mark.parametrize("name", ["bert-cased", "gpt2-eager"])
def test_a_text_of_spaces_is_not_empty_and_is_rolled_out(kata, request, name):
    model, tokenizer = load(request, name)
    expected, _ = expected_rollout(load(request, name)[0], tokenizer, "  ")
    rollout, _ = roll_out(kata, model, tokenizer, "  ")
    expect_rollout(
        kata,
        rollout,
        expected,
        what="the rollout of the tokens of '  ' (only an empty text is refused)",
    )


def test_each_call_draws_a_figure_of_its_own(kata, request):
    model, tokenizer = load(request, "gpt2-eager")
    _, first = roll_out(kata, model, tokenizer, TEXT)
    before = np.asarray(heat_map(kata, first).images[0].get_array(), dtype=float).copy()
    _, second = roll_out(kata, model, tokenizer, "Once upon a time")
    images = [len(ax.images) for ax in first.get_axes()]
    after = np.asarray(heat_map(kata, first).images[0].get_array(), dtype=float)
    expect(
        second is not first and after.shape == before.shape and np.array_equal(after, before),
        kata,
        got="the same Figure as the call before"
        if second is first
        else f"the first figure changed: {images} images",
        expected="a new Figure for every call, the first one left as it was",
        tip="matplotlib.figure.Figure() makes a figure of its own; plt.gcf() and plt.gca() return the "
        "last one.",
    )


@pytest.mark.parametrize("training", [True, False], ids=["train mode", "eval mode"])
@pytest.mark.parametrize("name", ["bert-eager", "gpt2-eager"])
def test_dropout_is_off_and_the_model_is_left_as_it_was(kata, request, name, training):
    """Both tiny models have attention dropout 0.1: in train mode the weights would be scrambled."""
    model, tokenizer = load(request, name)
    expected, _ = expected_rollout(load(request, name)[0], tokenizer, TEXT)
    model.train(training)
    config = model.config.to_dict()
    weights = {key: tensor.clone() for key, tensor in model.state_dict().items()}
    rollout, _ = roll_out(kata, model, tokenizer, TEXT)
    expect_rollout(kata, rollout, expected, what="the rollout without dropout, whatever the model's mode")
    modes = {module.training for module in model.modules()}
    expect(
        modes == {training},
        kata,
        got=f"the model's modules in training mode: {sorted(modes)}",
        expected=f"the model left in {'train' if training else 'eval'} mode, as it was given",
        tip="note model.training, call model.eval() for the run, then model.train(was_training).",
    )
    changed = sorted(key for key, value in model.config.to_dict().items() if config.get(key) != value)
    state = model.state_dict()
    moved = sorted(key for key, tensor in weights.items() if not torch.equal(state[key], tensor))
    expect(
        not changed and not moved,
        kata,
        got=f"config entries changed: {changed[:4]}; weights changed: {moved[:3]}",
        expected="the model's config and weights left as they were",
        tip="pass output_attentions=True to the call rather than setting it on the config.",
    )


@pytest.mark.parametrize(
    ("text", "layers", "because"),
    [
        ("", None, "an empty text has no tokens to follow"),
        (TEXT, 0, "a rollout needs at least one layer"),
        (TEXT, 3, "the tiny model has 2 layers"),
        (TEXT, -1, "layers counts layers from the first: 1 to num_hidden_layers"),
        (TEXT, 1.0, "layers is an int"),
        (TEXT, True, "layers is an int, not a bool"),
    ],
    ids=["empty text", "no layer", "too many layers", "negative", "a float", "a bool"],
)
def test_bad_input_raises_value_error(kata, tiny_bert_eager, text, layers, because):
    model, tokenizer = tiny_bert_eager.load_model().train(), tiny_bert_eager.load_tokenizer()
    expect_raises(kata, ValueError, model, tokenizer, text, layers, because=because)
    expect_still_in_train_mode(kata, model)


def expect_still_in_train_mode(kata, model) -> None:
    modes = {module.training for module in model.modules()}
    expect(
        modes == {True},
        kata,
        got=f"after the ValueError, the model's modules in training mode: {sorted(modes)}",
        expected="the model left in train mode, as it was given, even when the call is refused",
        tip="restore the mode in a finally: block, or before raising.",
    )


def test_a_model_without_attention_weights_raises_value_error(kata, tiny_bert):
    """Loaded with the default sdpa attention, a model returns an empty tuple of attentions."""
    model = tiny_bert.load_model().train()
    expect_raises(
        kata,
        ValueError,
        model,
        tiny_bert.load_tokenizer(),
        TEXT,
        because="this BERT runs sdpa attention, which returns no attention weights: there is nothing to "
        "roll out",
    )
    expect_still_in_train_mode(kata, model)
