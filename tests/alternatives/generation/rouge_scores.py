"""Alternative: rouge_score's tokenizer, with n-gram overlaps and the LCSs (of texts, and of lines for
rougeLsum) counted by hand."""

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


def _lcs_indices(a: list[str], b: list[str]) -> set[int]:
    """The positions in ``a`` of one longest common subsequence of ``a`` and ``b``."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, start=1):
        for j, y in enumerate(b, start=1):
            table[i][j] = table[i - 1][j - 1] + 1 if x == y else max(table[i - 1][j], table[i][j - 1])
    found, i, j = set(), len(a), len(b)
    while i and j:
        if a[i - 1] == b[j - 1]:
            found.add(i - 1)
            i, j = i - 1, j - 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return found


def _summary_lcs(prediction: str, target: str, tokenizer: tokenizers.DefaultTokenizer) -> float:
    """rougeLsum: each target line against every predicted line, the union of their LCSs, each
    word hit at most as often as both texts hold it."""
    lines = [[tokenizer.tokenize(line) for line in text.split("\n") if line] for text in (prediction, target)]
    predicted, wanted = (Counter(word for line in group for word in line) for group in lines)
    total = sum(predicted.values()), sum(wanted.values())
    hits = 0
    for line in lines[1]:
        for index in sorted(set().union(*(_lcs_indices(line, other) for other in lines[0]))):
            word = line[index]
            if predicted[word] > 0 and wanted[word] > 0:
                hits += 1
                predicted[word] -= 1
                wanted[word] -= 1
    return _f1(hits, *total)


def _score(kind: str, prediction: list[str], target: list[str]) -> float:
    if kind == "rougeL":
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
    texts = list(zip(predictions, references, strict=True))
    pairs = [(tokenizer.tokenize(p), tokenizer.tokenize(r)) for p, r in texts]
    scores = {kind: [_score(kind, p, r) for p, r in pairs] for kind in rouge_types if kind != "rougeLsum"}
    if "rougeLsum" in rouge_types:
        scores["rougeLsum"] = [_summary_lcs(p, r, tokenizer) for p, r in texts]
    return {kind: fmean(scores[kind]) for kind in rouge_types}
