"""Alternative: rouge_score's tokenizer, with n-gram overlaps and the LCS counted by hand."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import fmean

from rouge_score import tokenizers


def _f1(overlap: int, predicted: int, target: int) -> float:
    if overlap == 0:
        return 0.0
    precision, recall = overlap / predicted, overlap / target
    return 2 * precision * recall / (precision + recall)


def _lcs(a: list[str], b: list[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous = 0
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], previous + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


def _score(kind: str, prediction: list[str], target: list[str]) -> float:
    if kind in ("rougeL", "rougeLsum"):
        return _f1(_lcs(prediction, target), len(prediction), len(target))
    n = int(kind.removeprefix("rouge"))
    grams = [Counter(zip(*(words[i:] for i in range(n)), strict=False)) for words in (prediction, target)]
    return _f1(sum((grams[0] & grams[1]).values()), sum(grams[0].values()), sum(grams[1].values()))


def rouge_scores(
    predictions: Sequence[str],
    references: Sequence[str],
    *,
    rouge_types: Sequence[str] = ("rouge1", "rouge2", "rougeL"),
    use_stemmer: bool = True,
) -> dict[str, float]:
    if not isinstance(predictions, list | tuple) or not isinstance(references, list | tuple):
        raise TypeError("expected lists of strings")
    if not predictions or len(predictions) != len(references):
        raise ValueError("need as many references as predictions, and at least one")
    valid = {f"rouge{n}" for n in range(1, 10)} | {"rougeL", "rougeLsum"}
    if not rouge_types or not set(rouge_types) <= valid:
        raise ValueError(f"rouge types must be among {sorted(valid)}")
    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=use_stemmer)
    pairs = [
        (tokenizer.tokenize(p), tokenizer.tokenize(r)) for p, r in zip(predictions, references, strict=True)
    ]
    return {kind: fmean(_score(kind, p, r) for p, r in pairs) for kind in rouge_types}
