"""Hidden checks: plot_attention_heads."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pytest_tfkatas.checks.helpers import expect_colour_scale_spans_the_data, expect_figure
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises, fail, fail_call

TEXT = "The robot read every book in the quiet library"

EAGER_TIP = (
    "in transformers 5 models load with sdpa attention, and output_attentions=True then returns an "
    'empty tuple: load with AutoModel.from_pretrained(path, attn_implementation="eager").'
)


def expected_heads(model, tokenizer, text: str, layer: int, dtype=None) -> tuple[np.ndarray, list[str]]:
    """The attention weights of every head of ``layer`` (heads, seq, seq) and the tokens."""
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        attentions = model(**inputs, output_attentions=True).attentions
    weights = attentions[layer][0] if dtype is None else attentions[layer][0].to(dtype)
    return weights.numpy(), tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])


def draw(kata, *args, **kwargs):
    """Call the kata; an IndexError almost always means the attentions tuple came back empty."""
    __tracebackhide__ = True
    try:
        return kata(*args, **kwargs)
    except IndexError as error:
        fail(
            f"Called {kata.last_call}.\n"
            f"It raised IndexError: {error}\n"
            f"Tip: if outputs.attentions is (), the model runs sdpa attention: {EAGER_TIP}"
        )


def head_axes(kata, figure, heads: int) -> list:
    expect_figure(kata, figure)
    axes = figure.get_axes()
    expect(
        len(axes) == heads and all(len(ax.images) == 1 for ax in axes),
        kata,
        got=f"a figure with {len(axes)} axes holding {[len(ax.images) for ax in axes]} images",
        expected=f"{heads} Axes, one per attention head, each with one image (and no colour bar)",
        tip="figure.subplots(1, num_heads) and one ax.imshow(...) per head.",
    )
    return axes


def expect_heads(kata, figure, weights: np.ndarray, layer: int, atol: float = 1e-5) -> None:
    heads = weights.shape[0]
    for head, ax in enumerate(head_axes(kata, figure, heads)):
        drawn = np.asarray(ax.images[0].get_array(), dtype=float)
        ok = drawn.shape == weights[head].shape and np.allclose(drawn, weights[head], atol=atol)
        tip = None
        if drawn.shape == weights[head].shape and np.allclose(drawn, weights[head].T, atol=1e-5):
            tip = "the image is transposed: row i must be query token i, imshow(weights[head]) as it is."
        elif not ok:
            tip = (
                "head h of layer L for the first (only) text is outputs.attentions[L][0, h], "
                "a (queries, keys) matrix; outputs.attentions[L] is (batch, heads, queries, keys)."
            )
        expect(
            ok,
            kata,
            got=(
                f"Axes {head} shows an image of shape {list(drawn.shape)}, "
                f"last row {np.round(drawn[-1], 4).tolist()}"
            ),
            expected=(
                f"the weights of layer {layer}, head {head}: shape {list(weights[head].shape)}, "
                f"last row {np.round(weights[head][-1].astype(float), 4).tolist()}"
            ),
            tip=tip,
        )


@pytest.mark.parametrize("name", ["bert", "gpt2"])
def test_each_head_shows_its_attention_weights(kata, request, name):
    saved = request.getfixturevalue(f"tiny_{name}")  # saved with the default (sdpa) attention
    eager = request.getfixturevalue(f"tiny_{name}_eager")
    weights, _ = expected_heads(eager.load_model(), eager.load_tokenizer(), TEXT, 0)
    figure = draw(kata, saved.path, TEXT, layer=0)
    expect_heads(kata, figure, weights, 0)
    for ax in figure.get_axes():
        expect_colour_scale_spans_the_data(kata, ax.images[0], suggestion="vmin=0, vmax=1 suits attention")


def test_the_default_layer_is_0(kata, tiny_gpt2, tiny_gpt2_eager):
    weights, _ = expected_heads(tiny_gpt2_eager.load_model(), tiny_gpt2_eager.load_tokenizer(), TEXT, 0)
    expect_heads(kata, draw(kata, tiny_gpt2.path, TEXT), weights, 0)


def test_a_model_with_one_head_gets_one_axes_and_nothing_is_shown_or_saved(kata, tiny_bert_cased):
    """plt.subplots(1, 1) returns a single Axes, not an array: axes[h] breaks on a one-head model.
    This BERT is cased, with eager attention and one head."""
    text = "Alice met Bob in Paris"
    model = tiny_bert_cased.load_model()
    weights, tokens = expected_heads(model, tiny_bert_cased.load_tokenizer(), text, 0)
    figure = draw(kata, tiny_bert_cased.path, text, layer=0)
    expect_heads(kata, figure, weights, 0)
    (ax,) = head_axes(kata, figure, 1)
    xs = [label.get_text() for label in ax.get_xticklabels()]
    expect(
        xs == tokens,
        kata,
        got=f"x tick labels {xs}",
        expected=f"the tokens {tokens}, as the cased tokenizer gives them",
        tip="tokenizer.convert_ids_to_tokens(inputs['input_ids'][0]): do not lower-case them.",
    )
    expect_no_files_written(kata)


def test_a_bfloat16_checkpoint_is_drawn(kata, tiny_gpt2_bf16):
    """A model saved in bfloat16 loads in bfloat16, and numpy has no such dtype."""
    model = tiny_gpt2_bf16.load_model(attn_implementation="eager")
    weights, _ = expected_heads(model, tiny_gpt2_bf16.load_tokenizer(), TEXT, 1, dtype=torch.float32)
    try:
        figure = draw(kata, tiny_gpt2_bf16.path, TEXT, layer=1)
    except TypeError as error:
        if "BFloat16" not in str(error):
            raise
        fail_call(
            kata,
            got=f"it raised TypeError: {error}",
            expected="the heads of a model saved in bfloat16 drawn like any other",
            tip="numpy has no bfloat16: convert the weights with .float() before .numpy().",
        )
    # Loaded in bfloat16 or in float32, the weights agree to within 0.01.
    expect_heads(kata, figure, weights, 1, atol=1e-2)


def test_the_text_is_run_as_it_is(kata, tiny_gpt2, tiny_gpt2_eager):
    """GPT-2 reads spaces as parts of its tokens: " The" is 'ĠThe', and a trailing space a token."""
    text = " The robot read every book "
    weights, tokens = expected_heads(tiny_gpt2_eager.load_model(), tiny_gpt2_eager.load_tokenizer(), text, 0)
    figure = draw(kata, tiny_gpt2.path, text)
    (ax, *_) = head_axes(kata, figure, weights.shape[0])
    xs = [label.get_text() for label in ax.get_xticklabels()]
    expect(
        xs == tokens,
        kata,
        got=f"x tick labels {xs}",
        expected=f"the tokens of the text as given, spaces included: {tokens}",
        tip="tokenize the text as it is: no strip(), no lower().",
    )
    expect_heads(kata, figure, weights, 0)


def test_the_layer_argument_selects_the_layer(kata, tiny_gpt2, tiny_gpt2_eager):
    weights, _ = expected_heads(tiny_gpt2_eager.load_model(), tiny_gpt2_eager.load_tokenizer(), TEXT, 1)
    figure = draw(kata, tiny_gpt2.path, TEXT, layer=1)
    expect_heads(kata, figure, weights, 1)


def test_the_model_at_the_given_path_is_used(kata, tiny_bert):
    variant = tiny_bert.variant(seed=3)
    model = variant.load_model(attn_implementation="eager")
    text = "a small robot lived by the sea"
    weights, _ = expected_heads(model, variant.load_tokenizer(), text, 1)
    figure = draw(kata, variant.path, text, layer=1)
    expect_heads(kata, figure, weights, 1)


def test_ticks_name_the_tokens_and_titles_the_heads(kata, tiny_gpt2, tiny_gpt2_eager):
    text = "Every morning the robot read"
    weights, tokens = expected_heads(tiny_gpt2_eager.load_model(), tiny_gpt2_eager.load_tokenizer(), text, 0)
    axes = head_axes(kata, draw(kata, tiny_gpt2.path, text, layer=0), weights.shape[0])
    for head, ax in enumerate(axes):
        xs = [label.get_text() for label in ax.get_xticklabels()]
        ys = [label.get_text() for label in ax.get_yticklabels()]
        expect(
            xs == tokens and ys == tokens,
            kata,
            got=f"Axes {head}: x tick labels {xs}, y tick labels {ys}",
            expected=f"the tokens {tokens} on both axes",
            tip=(
                "tokens = tokenizer.convert_ids_to_tokens(inputs['input_ids'][0]); "
                "ax.set_xticks(range(len(tokens)), labels=tokens) and the same with set_yticks."
            ),
        )
        title = ax.get_title()
        expect(
            f"head {head}" in title.lower(),
            kata,
            got=f"Axes {head} titled {title!r}",
            expected=f"a title that names the head, 'head {head}'",
        )


@pytest.mark.parametrize(
    ("text", "layer", "because"),
    [
        (TEXT, 2, "the tiny model has layers 0 and 1 only"),
        (TEXT, -1, "a layer index is between 0 and num_hidden_layers - 1"),
        ("", 0, "an empty text has no tokens to attend to"),
    ],
    ids=["layer too high", "negative layer", "empty text"],
)
def test_bad_input_raises_value_error(kata, tiny_bert, text, layer, because):
    expect_raises(kata, ValueError, tiny_bert.path, text, layer=layer, because=because)
