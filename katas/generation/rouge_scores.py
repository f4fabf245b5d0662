"""Kata: evaluate generated text with ROUGE (seed question 63).

Run the checks with:  pytest --katas rouge_scores
"""

from __future__ import annotations

from collections.abc import Sequence

from rouge_score import rouge_scorer


def rouge_scores(
    predictions: Sequence[str],
    references: Sequence[str],
    *,
    rouge_types: Sequence[str] = ("rouge1", "rouge2", "rougeL"),
    use_stemmer: bool = True,
) -> dict[str, float]:
    """Score generated texts against their references with ROUGE, offline.

    Each prediction is compared with the reference at the same index. ROUGE-N counts the n-grams
    the two share, ROUGE-L the longest common subsequence of words; words are lower-cased and
    split on anything that is not an ASCII letter or digit (the ``rouge_score`` package's own
    tokenizer: "café" becomes "caf", and a text with no ASCII letter or digit has no words).
    With ``use_stemmer`` the Porter stemmer is applied, so "cats" matches "cat". "rougeLsum" is
    ROUGE-L at summary level, as ``rouge_score`` computes it: the texts are split into sentences
    on newlines, and each sentence of the reference is matched against all the predicted
    sentences (the union of their longest common subsequences).

    Args:
        predictions: the generated texts.
        references: one reference text per prediction, in the same order.
        rouge_types: which scores to compute: "rouge1" ... "rouge9", "rougeL" or "rougeLsum".
        use_stemmer: stem the words before comparing them.

    Returns:
        ``{rouge_type: score}`` for each requested type: the F1 (``fmeasure``) of each pair,
        averaged over the pairs (a plain mean, each pair counting once).

    Raises:
        TypeError: if ``predictions`` or ``references`` is a single string instead of a
            sequence of strings.
        ValueError: if there are no pairs, if the two sequences differ in length, or if
            ``rouge_types`` is empty or holds an unknown type.
    """
    # TODO: validate, build a RougeScorer, score each pair, average each type's F1.
    raise NotImplementedError
