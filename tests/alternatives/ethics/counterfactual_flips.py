"""Alternative: tokens split with a regex that keeps the separators, each word looked up, texts
classified one at a time."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def _swap(text: str, swaps: Mapping[str, str]) -> str | None:
    parts = re.split(r"(\W+)", text)
    changed = False
    for i, part in enumerate(parts):
        counterpart = swaps.get(part.lower())
        if counterpart is not None:
            parts[i] = counterpart.capitalize() if part[0].isupper() else counterpart
            changed = True
    return "".join(parts) if changed else None


def counterfactual_flips(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    swaps: Mapping[str, str],
) -> dict[str, float]:
    flips, shifts = 0, 0.0
    pairs = [(text, swapped) for text in texts if (swapped := _swap(text, swaps)) is not None]
    if not pairs:
        raise ValueError("nothing to swap")
    for text, swapped in pairs:
        with torch.no_grad():
            p = model(**tokenizer(text, return_tensors="pt")).logits.softmax(-1)[0]
            q = model(**tokenizer(swapped, return_tensors="pt")).logits.softmax(-1)[0]
        label = int(p.argmax())
        flips += int(q.argmax()) != label
        shifts += abs(float(p[label] - q[label]))
    return {"pairs": float(len(pairs)), "flip_rate": flips / len(pairs), "mean_shift": shifts / len(pairs)}
