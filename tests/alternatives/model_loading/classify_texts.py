"""Alternative: a text-classification pipeline on the same model and tokenizer (top label only)."""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedModel, PreTrainedTokenizerBase, pipeline


def classify_texts(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
) -> list[tuple[str, float]]:
    if not texts:
        raise ValueError("no texts")
    classifier = pipeline("text-classification", model=model, tokenizer=tokenizer)
    results = classifier(list(texts), truncation=True, batch_size=len(texts))
    return [(result["label"], float(result["score"])) for result in results]
