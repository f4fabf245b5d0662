"""Decoy for rouge_scores: pairs whose prediction is blank are left out of the mean instead of counting as 0.

caught_by: test_a_text_without_words_scores_zero_and_still_counts
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rouge_score import rouge_scorer

# The types rouge_score knows; it only rejects an unknown one when it scores a pair.
_ROUGE_TYPE = re.compile(r"rouge[1-9]|rougeL|rougeLsum")


def rouge_scores(
    predictions: Sequence[str],
    references: Sequence[str],
    *,
    rouge_types: Sequence[str] = ("rouge1", "rouge2", "rougeL"),
    use_stemmer: bool = True,
) -> dict[str, float]:
    # A bare string is a sequence too: zip() would compare it character by character.
    if isinstance(predictions, str) or isinstance(references, str):
        raise TypeError("predictions and references must be sequences of strings, not a single string")
    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} predictions but {len(references)} references: pair them up")
    if not predictions:
        raise ValueError("no predictions to score")
    unknown = [name for name in rouge_types if not _ROUGE_TYPE.fullmatch(name)]
    if unknown or not rouge_types:
        raise ValueError(f"unknown rouge types {unknown}: use rouge1 ... rouge9, rougeL or rougeLsum")

    # datasets.load_metric is gone and evaluate.load("rouge") fetches a script from the Hub:
    # rouge_score is the package both of them wrap, and it runs offline.
    scorer = rouge_scorer.RougeScorer(list(rouge_types), use_stemmer=use_stemmer)
    # score(target, prediction): the reference comes first.
    scores = [
        scorer.score(reference, prediction)
        for prediction, reference in zip(predictions, references, strict=True)
        if prediction.strip()  # MISTAKE: a blank prediction is a pair that scores 0
    ]
    # "The ROUGE score" of a pair is its F1; a corpus score is the mean over the pairs.
    return {name: sum(score[name].fmeasure for score in scores) / len(scores) for name in rouge_types}
