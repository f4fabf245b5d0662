"""What the checks of several topics share: the figure a plotting kata returns, images and
captions, and greedy decoding by hand.

A helper module, not a check file: pytest does not collect it (its name is no ``test_*.py``), and
it belongs to no kata. Fixtures live in ``pytest_tfkatas/fixtures.py`` or a topic's conftest.py.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from PIL import Image

from pytest_tfkatas.harness import KataFunction, describe, expect

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from pytest_tfkatas.zoo import TinyModel

#: (image processor, model, tokenizer) of an image captioner.
Captioner = tuple[Any, Any, Any]


def expect_colour_scale_spans_the_data(kata: KataFunction, image: Any, *, suggestion: str) -> None:
    """Fail unless the colour limits of ``image`` (an AxesImage) are a real range that holds its data:
    vmin = vmax would paint every cell the same colour."""
    data = np.asarray(image.get_array(), dtype=float)
    low, high = image.norm.vmin, image.norm.vmax
    expect(
        low is not None and high is not None and low < high and low <= data.min() and high >= data.max(),
        kata,
        got=f"colour limits vmin={low}, vmax={high} for values from {data.min():.3g} to {data.max():.3g}",
        expected=f"a colour scale that spans the values ({suggestion})",
        tip="pass vmin and vmax that hold every value, or leave them out.",
    )


def expect_figure(
    kata: KataFunction, figure: object, *, expected: str = "a matplotlib Figure", tip: str | None = None
) -> None:
    """Fail unless ``figure``, what ``kata`` returned, is a matplotlib Figure."""
    __tracebackhide__ = True
    from matplotlib.figure import Figure

    expect(isinstance(figure, Figure), kata, got=describe(figure), expected=expected, tip=tip)


def figure_axes(
    kata: KataFunction,
    figure: object,
    count: int,
    *,
    expected: str,
    tip: str | None = None,
) -> list[Axes]:
    """The Axes of ``figure``, in the figure's order; fails unless it is a Figure with ``count``
    Axes (``expected`` and ``tip`` word the failure)."""
    __tracebackhide__ = True
    expect_figure(kata, figure)
    axes = figure.get_axes()  # type: ignore[attr-defined]
    expect(len(axes) == count, kata, got=f"a figure with {len(axes)} axes", expected=expected, tip=tip)
    return axes


def left_to_right(axes: list[Axes]) -> list[Axes]:
    """``axes`` sorted by where they stand in the figure, leftmost first."""
    return sorted(axes, key=lambda ax: ax.get_position().x0)


def side_by_side(kata: KataFunction, axes: list[Axes], *, expected: str) -> list[Axes]:
    """``axes`` leftmost first; fails unless they stand in one row, each right of the one before."""
    __tracebackhide__ = True
    ordered = left_to_right(axes)
    boxes = [ax.get_position() for ax in ordered]
    in_a_row = all(b.x0 >= a.x1 - 1e-6 and b.y0 < a.y1 and a.y0 < b.y1 for a, b in itertools.pairwise(boxes))
    expect(
        in_a_row,
        kata,
        got="Axes at " + ", ".join(f"x {b.x0:.2f}-{b.x1:.2f}, y {b.y0:.2f}-{b.y1:.2f}" for b in boxes),
        expected=expected,
        tip="figure.subplots(1, n) puts n Axes side by side (one row); subplots(n) stacks them.",
    )
    return ordered


def only_axes(kata: KataFunction, figure: object) -> Axes:
    """The one Axes of ``figure``; fails unless it is a Figure with exactly one Axes."""
    __tracebackhide__ = True
    return figure_axes(kata, figure, 1, expected="a figure with one Axes")[0]


def noise_image(seed: int, size: tuple[int, int] = (48, 40)) -> Image.Image:
    """An RGB image of random pixels, ``size`` (width, height): each seed gives its own image."""
    pixels = np.random.default_rng(seed).integers(0, 256, size=(size[1], size[0], 3), dtype=np.uint8)
    return Image.fromarray(pixels, mode="RGB")


def captioner_of(tiny: TinyModel) -> Captioner:
    """Fresh copies of an image captioner of the zoo (``tiny_vit_gpt2`` or a variant of it)."""
    return tiny.load_image_processor(), tiny.load_model(), tiny.load_tokenizer()


def greedy_caption(captioner: Captioner, image: Image.Image, max_new_tokens: int) -> tuple[str, int]:
    """The greedy caption of ``image`` (as RGB) without special tokens, and its length in tokens."""
    processor, model, tokenizer = captioner
    pixel_values = processor(images=image.convert("RGB"), return_tensors="pt").pixel_values
    with torch.no_grad():
        ids = model.generate(pixel_values=pixel_values, max_new_tokens=max_new_tokens)
    return tokenizer.decode(ids[0], skip_special_tokens=True), ids.shape[1] - 1


def greedy_continuation(model: Any, tokenizer: Any, prompt: str, max_new_tokens: int) -> str:
    """Greedy decoding written out by hand: argmax of the last position, one token at a time, up
    to the end-of-text token; the new text only, without special tokens."""
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    new: list[int] = []
    with torch.no_grad():
        for _ in range(max_new_tokens):
            next_id = int(model(input_ids=ids).logits[0, -1].argmax())
            new.append(next_id)
            if next_id == tokenizer.eos_token_id:
                break
            ids = torch.cat([ids, torch.tensor([[next_id]])], dim=1)
    return tokenizer.decode(new, skip_special_tokens=True)


def one_training_step(model: Any, optimizer: Any, batch: Any) -> float:
    """One step written out, to replay what a kata should do: zero_grad, the model's own loss on
    the batch, backward, step; the loss before the update."""
    optimizer.zero_grad()
    loss = model(**batch).loss
    loss.backward()
    optimizer.step()
    return float(loss.item())


def weights_apart(model: Any, other: Any) -> float:
    """The largest difference between the weights of two models of the same shape."""
    return max(
        float((a.detach() - b.detach()).abs().max())
        for a, b in zip(model.parameters(), other.parameters(), strict=True)
    )


def tokenizer_state(tokenizer: Any) -> dict[str, object]:
    """What a caller of the tokenizer sees: its special tokens, sides, maximum length, vocabulary,
    prefix-space setting (and its whole description, for anything else), to compare before and
    after a kata's call."""
    return {
        "special tokens": dict(tokenizer.special_tokens_map),
        "padding_side": tokenizer.padding_side,
        "truncation_side": tokenizer.truncation_side,
        "model_max_length": tokenizer.model_max_length,
        "len(tokenizer)": len(tokenizer),
        "add_prefix_space": getattr(tokenizer, "add_prefix_space", None),
        "description": str(tokenizer),
    }


def tokenizer_changes(before: dict[str, object], after: dict[str, object]) -> str:
    """The fields of ``tokenizer_state`` that differ, for a message."""
    changed = [
        f"{key} {before[key]!r} -> {after[key]!r}"
        for key in before
        if key != "description" and before[key] != after[key]
    ]
    return "; ".join(changed) or "its description (added tokens or settings)"
