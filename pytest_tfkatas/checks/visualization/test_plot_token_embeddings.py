"""Hidden checks: plot_token_embeddings."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import only_axes
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises, fail, fail_call

WORDS = ("king", "queen", "apple", "banana", "robot", "the", "king", "Paris")


def expected_points(model, tokenizer, words) -> np.ndarray:
    table = model.get_input_embeddings().weight.detach().double()
    vectors = torch.stack(
        [table[tokenizer(word, add_special_tokens=False)["input_ids"]].mean(dim=0) for word in words]
    )
    centred = vectors - vectors.mean(dim=0)
    _, _, directions = torch.linalg.svd(centred, full_matrices=False)
    return (centred @ directions[:2].T).numpy()


def same_up_to_sign(got: np.ndarray, wanted: np.ndarray) -> bool:
    if got.shape != wanted.shape:
        return False
    scale = max(float(np.abs(wanted).max()), 1e-12)
    return all(
        min(np.abs(got[:, k] - wanted[:, k]).max(), np.abs(got[:, k] + wanted[:, k]).max()) <= 1e-3 * scale
        for k in range(wanted.shape[1])
    )


def check(kata, name, words, what) -> None:
    __tracebackhide__ = True
    tiny = zoo.get(name)
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    before = model.get_input_embeddings().weight.detach().clone()
    figure = kata(model, tokenizer, words)
    axes = only_axes(kata, figure)
    try:
        FigureCanvasAgg(figure).draw()  # off screen, nothing written
    except Exception as error:  # any error of drawing is the learner's
        fail_call(
            kata,
            got=f"a figure that fails to draw: {type(error).__name__}: {error}",
            expected="a figure that matplotlib draws",
        )
    scatters = [c for c in axes.collections if len(c.get_offsets()) > 0]
    expect(
        len(scatters) == 1,
        kata,
        got=f"{len(scatters)} scatter collections",
        expected="one ax.scatter of the words",
    )
    if not scatters:
        fail("unreachable")
    points = np.asarray(scatters[0].get_offsets(), dtype=float)
    wanted = expected_points(model, tokenizer, words)
    expect(
        same_up_to_sign(points, wanted),
        kata,
        got=f"{len(points)} points, the first {np.round(points[:2], 4).tolist()}",
        expected=f"{len(wanted)} points, the first {np.round(wanted[:2], 4).tolist()} "
        f"(each axis's sign is free; {what})",
        tip="a word's vector is the mean of its tokens' embedding rows; centre the vectors, then project "
        "on the first two right singular vectors (torch.linalg.svd), PC1 first.",
    )
    labels = [text.get_text() for text in axes.texts]
    expect(
        labels == list(words),
        kata,
        got=f"annotations {labels}",
        expected=f"{list(words)}: one per point, in order",
        tip="ax.annotate(word, (x, y)) for each point.",
    )
    anchors = [
        np.asarray(getattr(text, "xy", None) or text.get_position(), dtype=float) for text in axes.texts
    ]
    tolerance = 1e-6 + 1e-3 * float(np.abs(points).max())
    near = len(anchors) == len(points) and all(
        float(np.abs(anchor - point).max()) <= tolerance
        for anchor, point in zip(anchors, points, strict=True)
    )
    expect(
        near, kata, got="annotations away from their points", expected="each word annotated at its own point"
    )
    expect(
        "pc1" in axes.get_xlabel().lower() and "pc2" in axes.get_ylabel().lower(),
        kata,
        got=f"axis labels {axes.get_xlabel()!r}, {axes.get_ylabel()!r}",
        expected="an x axis labelled 'PC1' and a y axis labelled 'PC2'",
    )
    after = model.get_input_embeddings().weight.detach()
    expect(
        after.dtype == before.dtype and torch.equal(after, before),
        kata,
        got=f"the model's embeddings changed (now {after.dtype})",
        expected=f"the model left as it was ({before.dtype})",
        tip="convert a copy of the embedding rows (weight.detach().float()), not the model.",
    )
    expect_no_files_written(kata)


@pytest.mark.parametrize("name", ["gpt2", "bert", "gpt2-bf16"])
def test_each_word_at_its_pca_coordinates_and_annotated(kata, name):
    check(kata, name, WORDS, "words of several tokens averaged, 'king' twice")


def test_two_words_and_a_list(kata):
    check(kata, "llama", ["alpha", "beta"], "two words: the second component is 0")


@pytest.mark.parametrize(
    ("words", "because"),
    [(["king"], "one word has no map"), ([], "no words"), (["king", ""], "an empty word has no token")],
)
def test_bad_words_raise_value_error(kata, tiny_gpt2, words, because):
    expect_raises(
        kata, ValueError, tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer(), words, because=because
    )
