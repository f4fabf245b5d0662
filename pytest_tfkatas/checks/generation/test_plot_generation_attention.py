"""Hidden checks: plot_generation_attention.

The expected matrix comes from one forward pass over the finished sequence: with causal
attention, the weights of position t do not depend on the tokens after it, so the rows that
generate() computed step by step are rows P-1 ... P+N-2 of the full attention matrix.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pytest_tfkatas.checks.helpers import expect_colour_scale_spans_the_data, expect_figure
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises, fail_call

EAGER_TIP = (
    "models load with sdpa attention, which returns no attention weights: load with "
    'AutoModelForCausalLM.from_pretrained(path, attn_implementation="eager").'
)


def call(kata, *args, **kwargs):
    """Call the kata; empty attentions (sdpa) get a tip instead of a bare IndexError."""
    try:
        return kata(*args, **kwargs)
    except (IndexError, TypeError) as error:
        if "index out of range" not in str(error) and "NoneType" not in str(error):
            raise
        fail_call(kata, got=f"{type(error).__name__}: {error}", expected="a Figure", tip=EAGER_TIP)


def expected_attention(path, prompt: str, steps: int, layer: int, head: int | None):
    """(matrix, context tokens, generated tokens) computed from a forward pass, not generate()."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path, attn_implementation="eager")
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    prompt_length = ids.shape[1]
    with torch.no_grad():
        for _ in range(steps):  # greedy decoding by hand, up to the end-of-text token
            next_id = model(input_ids=ids).logits[0, -1].argmax()
            ids = torch.cat([ids, next_id.view(1, 1)], dim=1)
            if int(next_id) == tokenizer.eos_token_id:
                break
        steps = ids.shape[1] - prompt_length
        weights = model(input_ids=ids, output_attentions=True).attentions[layer][0]  # (heads, T, T)
    chosen = weights.mean(dim=0) if head is None else weights[head]
    width = prompt_length + steps - 1
    matrix = chosen[prompt_length - 1 : prompt_length - 1 + steps, :width].numpy()
    sequence = ids[0].tolist()
    context = [tokenizer.decode([i]) for i in sequence[:width]]
    generated = [tokenizer.decode([i]) for i in sequence[prompt_length:]]
    return matrix, context, generated


def image_axes(kata, figure):
    expect_figure(kata, figure)
    with_images = [axes for axes in figure.get_axes() if axes.get_images()]
    expect(
        len(with_images) == 1 and len(with_images[0].get_images()) == 1,
        kata,
        got=f"{sum(len(axes.get_images()) for axes in with_images)} images in the figure",
        expected="one heatmap drawn with imshow (a colorbar is fine)",
    )
    return with_images[0]


def check_matrix(kata, figure, expected: np.ndarray, what: str) -> None:
    data = np.asarray(image_axes(kata, figure).get_images()[0].get_array(), dtype=float)
    if data.shape != expected.shape:
        steps, width = expected.shape
        fail_call(
            kata,
            got=f"an image of shape {data.shape}",
            expected=f"shape {expected.shape}: one row per generated token ({steps}), one column per token "
            f"fed to the model ({width} = prompt + generated - 1)",
            tip="row i is out.attentions[i][layer][0, :, -1] (the last query of step i), padded with zeros.",
        )
    tip = None
    sums = data.sum(axis=1)
    if not np.allclose(sums, 1, atol=1e-4):
        tip = (
            "each row is a softmax over the context it saw: take the weights as they are, and pad with zeros."
        )
    expect(
        np.allclose(data, expected, atol=1e-5),
        kata,
        got=f"an image with rows {np.round(data.astype(float), 3).tolist()}",
        expected=f"{np.round(expected.astype(float), 3).tolist()} ({what})",
        tip=tip
        or f"row i is out.attentions[i][layer][0, :, -1], the query that predicted token i; show {what}.",
    )


def test_rows_are_the_attention_of_each_generated_token(kata, tiny_gpt2):
    figure = call(kata, tiny_gpt2.path, "Once upon a time", max_new_tokens=4)
    expected, _, _ = expected_attention(tiny_gpt2.path, "Once upon a time", 4, layer=-1, head=None)
    check_matrix(kata, figure, expected, "last layer, mean over heads")


def test_rows_sum_to_one_over_the_tokens_seen_so_far(kata, tiny_gpt2):
    # A variant answers differently: the weights must come from the model that is passed in.
    path = tiny_gpt2.variant(seed=8).path
    figure = call(kata, path, "The robot read", max_new_tokens=5)
    data = np.asarray(image_axes(kata, figure).get_images()[0].get_array(), dtype=float)
    prompt_length = data.shape[1] - data.shape[0] + 1
    future = [data[i, prompt_length + i :].sum() for i in range(data.shape[0])]
    expect(
        np.allclose(data.sum(axis=1), 1, atol=1e-4) and np.allclose(future, 0, atol=1e-6),
        kata,
        got=f"row sums {np.round(data.sum(axis=1), 4).tolist()}, "
        f"weight on later tokens {np.round(future, 4).tolist()}",
        expected="rows that sum to 1, with zeros for the tokens generated after each row's token",
        tip="pad each step's weights with zeros on the right; do not normalise or transpose them.",
    )
    expected, _, _ = expected_attention(path, "The robot read", 5, layer=-1, head=None)
    check_matrix(kata, figure, expected, "last layer, mean over heads, of the model at the given path")


@pytest.mark.parametrize(("layer", "head"), [(0, 1), (-2, 0)])
def test_layer_and_head_choose_the_weights(kata, tiny_gpt2, layer, head):
    figure = call(kata, tiny_gpt2.path, "Rain fell softly", max_new_tokens=3, layer=layer, head=head)
    expected, _, _ = expected_attention(tiny_gpt2.path, "Rain fell softly", 3, layer=layer, head=head)
    check_matrix(kata, figure, expected, f"layer {layer}, head {head}")


def test_greedy_by_default_for_5_tokens_on_a_model_that_samples_and_ends_early(kata, tiny_llama_sampling):
    """A Llama-style model whose generation_config samples (greedy must be asked for) and which
    ends some prompts early with </s>; also the default of 5 new tokens, and max_new_tokens=1."""
    from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS

    path = tiny_llama_sampling.path
    expected, _, generated = expected_attention(path, "Once upon a time", 5, layer=-1, head=None)
    assert len(generated) == 5, "the check's prompt must run to the default limit"
    figure = call(kata, path, "Once upon a time")
    check_matrix(kata, figure, expected, "the defaults: 5 greedy tokens, the last layer, the mean over heads")
    expected, _, generated = expected_attention(path, LLAMA_EOS_PROMPTS[1], 12, layer=-1, head=None)
    assert len(generated) < 12, "the check's prompt must end early"
    figure = call(kata, path, LLAMA_EOS_PROMPTS[1], max_new_tokens=12)
    check_matrix(kata, figure, expected, f"{len(generated)} greedy tokens: the model ends the text early")
    expected, _, _ = expected_attention(path, "Once upon a time", 1, layer=-1, head=None)
    check_matrix(
        kata, call(kata, path, "Once upon a time", max_new_tokens=1), expected, "one generated token"
    )


def test_the_colour_scale_covers_the_weights(kata, tiny_gpt2):
    axes = image_axes(kata, call(kata, tiny_gpt2.path, "The robot read", max_new_tokens=3))
    expect_colour_scale_spans_the_data(
        kata, axes.get_images()[0], suggestion="vmin=0, vmax=1 suits attention"
    )


def test_ticks_name_the_tokens(kata, tiny_gpt2):
    axes = image_axes(kata, call(kata, tiny_gpt2.path, "A good question", max_new_tokens=4))
    _, context, generated = expected_attention(tiny_gpt2.path, "A good question", 4, layer=-1, head=None)
    x_labels = [label.get_text() for label in axes.get_xticklabels()]
    y_labels = [label.get_text() for label in axes.get_yticklabels()]
    expect(
        x_labels == context and y_labels == generated,
        kata,
        got=f"x tick labels {x_labels}, y tick labels {y_labels}",
        expected=f"x: the context tokens {context}; y: the generated tokens {generated}",
        tip="ax.set_xticks(range(n), labels=[tokenizer.decode([i]) for i in ids]), and the same for y.",
    )


def test_the_figure_is_returned_not_saved(kata, tiny_gpt2):
    figure = call(kata, tiny_gpt2.path, "The teacher wrote", max_new_tokens=2)
    expect_no_files_written(kata)
    image_axes(kata, figure)


@pytest.mark.parametrize(
    ("prompt", "settings", "because"),
    [
        ("", {}, "an empty prompt gives the model nothing to continue"),
        ("Once upon a time", {"max_new_tokens": 0}, "max_new_tokens must be at least 1"),
        ("Once upon a time", {"layer": 2}, "the model has 2 layers: 0, 1 (or -1, -2)"),
        ("Once upon a time", {"layer": -3}, "the model has 2 layers: 0, 1 (or -1, -2)"),
        ("Once upon a time", {"head": 2}, "the model has 2 heads: 0 and 1"),
    ],
    ids=["empty prompt", "no new tokens", "layer 2", "layer -3", "head 2"],
)
def test_bad_arguments_raise_value_error(kata, tiny_gpt2, prompt, settings, because):
    expect_raises(kata, ValueError, tiny_gpt2.path, prompt, because=because, **settings)
