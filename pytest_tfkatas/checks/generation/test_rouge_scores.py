"""Hidden checks: rouge_scores.

The expected values are counted by hand from the sentences (rouge_score's tokenizer lower-cases
and keeps runs of letters and digits; the Porter stemmer turns "cats" into "cat" and "running"
into "run", and leaves words of three letters or fewer alone). F1 = 2PR / (P + R).
"""

from __future__ import annotations

import math

import pytest

from pytest_tfkatas.harness import describe, expect, expect_raises

REFERENCE = "the cat sat on the mat"
# "the cat sat" vs REFERENCE: 3 of its 3 words are in the 6 of the reference.
#   rouge1: P = 3/3, R = 3/6, F1 = 2/3.  rouge2: its 2 bigrams are among the 5: P = 1, R = 2/5,
#   F1 = 4/7.  rougeL: LCS "the cat sat" = 3 words: F1 = 2/3.  rouge3: 1 of 4 trigrams: F1 = 2/5.
SHORT = "the cat sat"
SHORT_F1 = {"rouge1": 2 / 3, "rouge2": 4 / 7, "rougeL": 2 / 3, "rouge3": 2 / 5}
SHORT_PRECISION = {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
SHORT_RECALL = {"rouge1": 1 / 2, "rouge2": 2 / 5, "rougeL": 1 / 2}
# "the mat sat on the cat": the same six words (rouge1 = 1); bigrams "the mat", "sat on", "on the",
#   "the cat" of 5 are shared (rouge2 = 4/5); LCS "the sat on the" = 4 of 6 (rougeL = 2/3).
SWAPPED = "the mat sat on the cat"
SWAPPED_F1 = {"rouge1": 1.0, "rouge2": 4 / 5, "rougeL": 2 / 3}
# "The cats were running!" vs "a cat was running": stemmed, [the, cat, were, run] vs
#   [a, cat, was, run] share "cat" and "run": rouge1 = 2/4, no bigram, LCS "cat run" = 2/4.
#   Unstemmed only "running" is shared: rouge1 = rougeL = 1/4.
STEMMED_PAIR = ("The cats were running!", "a cat was running")
STEMMED_F1 = {"rouge1": 1 / 2, "rouge2": 0.0, "rougeL": 1 / 2}
UNSTEMMED_F1 = {"rouge1": 1 / 4, "rouge2": 0.0, "rougeL": 1 / 4}


def close(got: object, expected: dict[str, float]) -> bool:
    return (
        isinstance(got, dict)
        and set(got) == set(expected)
        and all(
            isinstance(got[k], float | int) and math.isclose(got[k], v, abs_tol=1e-9)
            for k, v in expected.items()
        )
    )


def shown(scores: dict[str, float]) -> str:
    return "{" + ", ".join(f"{k!r}: {v:.4f}" for k, v in scores.items()) + "}"


def shown_got(got: object) -> str:
    if isinstance(got, dict) and all(isinstance(v, float | int) for v in got.values()):
        return shown(got)
    return describe(got)


def tip_for(got: object) -> str | None:
    if close(got, SHORT_PRECISION):
        return "that is the precision: ROUGE reported as one number is the F1, Score.fmeasure."
    if close(got, SHORT_RECALL):
        return "that is the recall: ROUGE reported as one number is the F1, Score.fmeasure."
    return None


def test_one_pair_gives_the_f1_of_each_type(kata):
    got = kata([SHORT], [REFERENCE])
    expected = {k: SHORT_F1[k] for k in ("rouge1", "rouge2", "rougeL")}
    expect(
        close(got, expected),
        kata,
        got=shown_got(got),
        expected=f"{shown(expected)}: the F1 of ROUGE-1, ROUGE-2 and ROUGE-L",
        tip=tip_for(got) or "use rouge_scorer.RougeScorer(rouge_types).score(reference, prediction).",
    )
    got = kata([SWAPPED], [REFERENCE])
    expect(
        close(got, SWAPPED_F1),
        kata,
        got=shown_got(got),
        expected=f"{shown(SWAPPED_F1)}: the same words reordered share fewer bigrams and a shorter LCS",
    )


def test_the_stemmer_is_used_when_asked(kata):
    prediction, reference = STEMMED_PAIR
    got = kata([prediction], [reference])
    expect(
        close(got, STEMMED_F1),
        kata,
        got=shown_got(got),
        expected=f"{shown(STEMMED_F1)}: stemmed, 'cats' matches 'cat'",
        tip="pass use_stemmer=use_stemmer to RougeScorer, and let its tokenizer lower-case the words."
        if close(got, UNSTEMMED_F1)
        else None,
    )
    got = kata([prediction], [reference], use_stemmer=False)
    expect(
        close(got, UNSTEMMED_F1),
        kata,
        got=shown_got(got),
        expected=f"{shown(UNSTEMMED_F1)}: without the stemmer only 'running' is shared",
        tip="pass use_stemmer=use_stemmer to RougeScorer.",
    )


def test_scores_are_the_mean_over_the_pairs(kata):
    got = kata([SHORT, SWAPPED, STEMMED_PAIR[0]], [REFERENCE, REFERENCE, STEMMED_PAIR[1]])
    expected = {k: (SHORT_F1[k] + SWAPPED_F1[k] + STEMMED_F1[k]) / 3 for k in ("rouge1", "rouge2", "rougeL")}
    expect(
        close(got, expected),
        kata,
        got=shown_got(got),
        expected=f"{shown(expected)}: each pair scored on its own, then each type's F1 averaged",
        tip="score every (prediction, reference) pair separately and take the plain mean of their fmeasure.",
    )


def test_only_the_requested_types_are_returned(kata):
    got = kata((SHORT,), (REFERENCE,), rouge_types=["rouge3", "rouge1"])
    expected = {"rouge3": SHORT_F1["rouge3"], "rouge1": SHORT_F1["rouge1"]}
    expect(
        close(got, expected),
        kata,
        got=shown_got(got),
        expected=f"{shown(expected)}: the requested types, no others",
        tip="build RougeScorer(list(rouge_types), ...) and return one entry per requested type.",
    )


def test_a_text_without_words_scores_zero_and_still_counts(kata):
    """ "" and "¡¿ … !" hold no ASCII letter or digit: no words, F1 0, and each pair still counts once
    in the mean (over 4 pairs, not over the 2 that have words)."""
    predictions = ["", "¡¿ … !", SHORT, SWAPPED]
    got = kata(predictions, [REFERENCE] * 4)
    expected = {k: (SHORT_F1[k] + SWAPPED_F1[k]) / 4 for k in ("rouge1", "rouge2", "rougeL")}
    skipped = {k: (SHORT_F1[k] + SWAPPED_F1[k]) / 2 for k in expected}
    expect(
        close(got, expected),
        kata,
        got=shown_got(got),
        expected=f"{shown(expected)}: F1 0 for the two texts without words, then the plain mean of 4 pairs",
        tip="keep every pair, empty ones too, and divide by the number of pairs."
        if close(got, skipped)
        else None,
    )


# rougeLsum is ROUGE-L at summary level: the texts are split into sentences on newlines, and each
# sentence of the reference is matched against all the predicted sentences (the union of their LCSs).
#   "the cat ran" + "the dog sat on a mat" (9 words) against the reference "the cat sat on the mat"
#   (6 words): "the cat" and "the sat on mat" cover 5 of the reference's words: P = 5/9, R = 5/6,
#   F1 = 2/3. The other way round (the prediction as the target, each of its lines against the
#   reference) 6 words are hit: F1 = 0.8. rougeL's LCS "the cat sat on mat" also gives 2/3.
LINES_IN_PREDICTION = ("the cat ran\nthe dog sat on a mat", "the cat sat on the mat")
#   "a dog ran after the cat" (6 words) against "the cat sat on the mat" + "a dog ran away"
#   (10 words): "the cat" and "a dog ran" hit 5 words: P = 5/6, R = 5/10, F1 = 0.625; rougeL, one LCS
#   of the whole texts, finds only "a dog ran": F1 = 2 * 3 / (6 + 10) = 0.375.
LINES_IN_REFERENCE = ("a dog ran after the cat", "the cat sat on the mat\na dog ran away")


@pytest.mark.parametrize(
    ("pair", "expected", "swapped", "plain"),
    [
        (LINES_IN_PREDICTION, {"rougeLsum": 2 / 3, "rougeL": 2 / 3}, 0.8, None),
        (LINES_IN_REFERENCE, {"rougeLsum": 0.625, "rougeL": 0.375}, None, 0.375),
    ],
    ids=["lines in the prediction", "lines in the reference"],
)
def test_rouge_lsum_scores_the_lines_of_the_reference(kata, pair, expected, swapped, plain):
    prediction, reference = pair
    got = kata([prediction], [reference], rouge_types=("rougeLsum", "rougeL"))
    tip = None
    if swapped is not None and close(got, {**expected, "rougeLsum": swapped}):
        tip = "RougeScorer.score(target, prediction) takes the reference first."
    elif plain is not None and close(got, {**expected, "rougeLsum": plain}):
        tip = "rougeLsum is not rougeL: it splits the texts into lines, as RougeScorer does."
    expect(
        close(got, expected),
        kata,
        got=shown_got(got),
        expected=f"{shown(expected)}: rougeLsum matches each line of the reference against the prediction",
        tip=tip,
    )


@pytest.mark.parametrize(
    ("predictions", "references", "settings", "because"),
    [
        ([SHORT, SWAPPED], [REFERENCE], {}, "2 predictions cannot be paired with 1 reference"),
        ([], [], {}, "there is nothing to score"),
        (
            [SHORT],
            [REFERENCE],
            {"rouge_types": ["rouge-1"]},
            "'rouge-1' is not a rouge_score type (rouge1 is)",
        ),
        ([SHORT], [REFERENCE], {"rouge_types": ["bleu"]}, "'bleu' is not a ROUGE type"),
        ([SHORT], [REFERENCE], {"rouge_types": ()}, "no ROUGE type is asked for"),
    ],
    ids=["different lengths", "no pairs", "rouge-1", "bleu", "no types"],
)
def test_bad_input_raises_value_error(kata, predictions, references, settings, because):
    expect_raises(kata, ValueError, predictions, references, because=because, **settings)


@pytest.mark.parametrize(
    ("predictions", "references", "which"),
    [
        (SHORT, REFERENCE, "both are single strings"),
        (SHORT, [REFERENCE] * len(SHORT), "the predictions are a single string"),
        ([SHORT] * len(REFERENCE), REFERENCE, "the references are a single string"),
    ],
    ids=["both", "predictions", "references"],
)
def test_a_bare_string_raises_type_error(kata, predictions, references, which):
    expect_raises(
        kata,
        TypeError,
        predictions,
        references,
        because=f"{which}, not a sequence of texts: zip() would pair its characters",
    )
