"""Hidden checks: monitor_fairness."""

from __future__ import annotations

import logging
import math

import pytest

from pytest_tfkatas.harness import describe, expect, expect_raises


def cohort(sentiment, plan: list[tuple[str, int, int]]) -> tuple[list[str], list[str]]:
    """Texts and groups: for each (group, positives, negatives), that many texts the model
    calls POSITIVE and NEGATIVE, in the order of the plan, with no text used twice."""
    positive, negative = iter(sentiment.positive), iter(sentiment.negative)
    texts, groups = [], []
    for group, n_positive, n_negative in plan:
        chosen = [next(positive) for _ in range(n_positive)] + [next(negative) for _ in range(n_negative)]
        texts += chosen
        groups += [group] * len(chosen)
    return texts, groups


def expected_rates(sentiment, texts, groups, label: str) -> dict[str, float]:
    """The positive rate of every group, from the model's decision on each text alone."""
    wanted = sentiment.model.config.label2id[label]
    hits: dict[str, list[bool]] = {}
    for text, group in zip(texts, groups, strict=True):
        hits.setdefault(group, []).append(sentiment.decide(text)[0] == wanted)
    return {group: sum(h) / len(h) for group, h in hits.items()}


def rounded(rates) -> object:
    if not isinstance(rates, dict):
        return describe(rates)
    return {k: round(v, 4) if isinstance(v, float) else describe(v) for k, v in rates.items()}


def check_report(kata, report, rates, max_gap) -> None:
    gap = max(rates.values()) - min(rates.values())
    got_rates = report.get("positive_rate") if isinstance(report, dict) else None
    expect(
        isinstance(got_rates, dict)
        and set(got_rates) == set(rates)
        and all(math.isclose(got_rates[g], rates[g], abs_tol=1e-9) for g in rates),
        kata,
        got=f"positive_rate {rounded(got_rates)}" if isinstance(report, dict) else describe(report),
        expected=f"positive_rate {rounded(rates)}: per group, the share of its texts called positive",
        tip=(
            "predict every text (padding with the attention mask, eval mode), then per group: "
            "mean(prediction == label2id[positive_label])."
        ),
    )
    expect(
        isinstance(report.get("gap"), float) and math.isclose(report["gap"], gap, abs_tol=1e-9),
        kata,
        got=f"gap {report.get('gap')}",
        expected=f"gap {round(gap, 4)}, the highest rate minus the lowest",
        tip="the gap is max(rates) - min(rates) over all groups, whatever order they come in.",
    )
    expect(
        report.get("alert") is (gap > max_gap) and report.get("max_gap") == max_gap,
        kata,
        got=f"alert {report.get('alert')}, max_gap {report.get('max_gap')} for a gap of {round(gap, 4)}",
        expected=f"alert {gap > max_gap}, max_gap {max_gap}",
        tip="the bound itself is acceptable: alert only when gap > max_gap, strictly.",
    )


def test_a_gap_above_the_bound_logs_one_warning_naming_the_groups(kata, sentiment, captured):
    # "south" comes first and gets the favourable outcome least often; "east" in between.
    texts, groups = cohort(sentiment, [("south", 1, 3), ("east", 2, 2), ("north", 3, 1)])
    report = kata(sentiment.model, sentiment.tokenizer, texts, groups, captured.logger, max_gap=0.2)
    rates = expected_rates(sentiment, texts, groups, "POSITIVE")
    check_report(kata, report, rates, 0.2)
    warnings = captured.at(logging.WARNING)
    expect(
        len(warnings) == 1,
        kata,
        got=f"{len(warnings)} WARNING records on the given logger (levels: "
        f"{[r.levelname for r in captured.records]})",
        expected=f"one WARNING: the gap {max(rates.values()) - min(rates.values()):.2f} exceeds max_gap 0.2",
        tip="when gap > max_gap, call logger.warning(...) on the logger you were given.",
    )
    message = warnings[0].getMessage()
    expect(
        "north" in message and "south" in message,
        kata,
        got=f"the warning {message!r}",
        expected="a warning that names the most favoured group ('north') and the least ('south')",
        tip="someone must act on the alarm: say which groups are apart.",
    )
    expect(
        getattr(warnings[0], "fairness", None) == report,
        kata,
        got=f"the warning's .fairness is {describe(getattr(warnings[0], 'fairness', None))}",
        expected="the report, attached with extra={'fairness': report}",
    )


def test_a_model_left_in_training_mode_is_judged_in_evaluation_mode(kata, tiny_bert, sentiment, captured):
    """Straight after training a model is in training mode: with dropout on, its decisions are
    noise. This model has strong dropout (the same weights), so a decision made in training mode
    shows."""
    model = tiny_bert.load_model(hidden_dropout_prob=0.5, attention_probs_dropout_prob=0.5)
    model.load_state_dict(sentiment.model.state_dict())
    sentiment.model = model
    texts, groups = cohort(sentiment, [("west", 3, 3), ("east", 2, 4)])
    rates = expected_rates(sentiment, texts, groups, "POSITIVE")
    model.train()
    report = kata(model, sentiment.tokenizer, texts, groups, captured.logger, max_gap=1.0)
    check_report(kata, report, rates, 1.0)


@pytest.mark.parametrize(
    ("max_gap", "why"), [(0.3, "within the bound"), (0.25, "exactly at the bound")], ids=["within", "at"]
)
def test_a_gap_within_the_bound_logs_no_warning(kata, sentiment, captured, max_gap, why):
    texts, groups = cohort(sentiment, [("a", 2, 2), ("b", 3, 1)])
    report = kata(sentiment.model, sentiment.tokenizer, texts, groups, captured.logger, max_gap=max_gap)
    rates = expected_rates(sentiment, texts, groups, "POSITIVE")
    check_report(kata, report, rates, max_gap)
    levels = [record.levelname for record in captured.records]
    info = captured.at(logging.INFO)
    expect(
        "WARNING" not in levels and len(info) == 1,
        kata,
        got=f"records at levels {levels} on the given logger",
        expected=f"one INFO record and no WARNING: the gap 0.25 is {why} (max_gap={max_gap})",
        tip="warn only when gap > max_gap, strictly; log the measurement itself at INFO on every call.",
    )
    expect(
        getattr(info[0], "fairness", None) == report,
        kata,
        got=f"the INFO record's .fairness is {describe(getattr(info[0], 'fairness', None))}",
        expected="the report, attached with extra={'fairness': report}",
        tip="logger.info(message, extra={'fairness': report}).",
    )


def test_the_default_bound_is_0_1_and_long_texts_are_cut_to_fit(kata, sentiment, captured):
    """A gap of 0.25 with the default max_gap (0.1) alerts; one text of group "a" is longer than
    the model's 128 positions, and is decided on its first 128 tokens."""
    texts, groups = cohort(sentiment, [("a", 2, 2), ("b", 3, 1)])
    long_text = " ".join(sentiment.negative[-14:])
    assert len(sentiment.tokenizer(long_text)["input_ids"]) > 128, "the check's long text must be too long"
    texts, groups = [*texts, long_text], [*groups, "a"]
    rates = expected_rates(sentiment, texts, groups, "POSITIVE")
    report = kata(sentiment.model, sentiment.tokenizer, texts, groups, captured.logger)
    check_report(kata, report, rates, 0.1)


def test_a_bound_of_0_is_allowed(kata, sentiment, captured):
    texts, groups = cohort(sentiment, [("a", 2, 2), ("b", 2, 2)])
    report = kata(sentiment.model, sentiment.tokenizer, texts, groups, captured.logger, max_gap=0.0)
    check_report(kata, report, expected_rates(sentiment, texts, groups, "POSITIVE"), 0.0)


def test_the_positive_label_is_looked_up_by_name(kata, sentiment, captured):
    texts, groups = cohort(sentiment, [("x", 1, 2), ("y", 2, 1), ("z", 2, 2)])
    report = kata(
        sentiment.model,
        sentiment.tokenizer,
        texts,
        groups,
        captured.logger,
        positive_label="NEGATIVE",
        max_gap=0.5,
    )
    check_report(kata, report, expected_rates(sentiment, texts, groups, "NEGATIVE"), 0.5)


@pytest.mark.parametrize(
    ("change", "because"),
    [
        ({"groups": ["a", "b"]}, "there are 4 texts but 2 groups"),
        ({"positive_label": "APPROVED"}, "the model has no label 'APPROVED'"),
        ({"max_gap": 1.5}, "a gap between two rates cannot exceed 1"),
        ({"texts": [], "groups": []}, "there is nothing to monitor"),
    ],
    ids=["mismatched lengths", "an unknown label", "a bound above 1", "no texts"],
)
def test_bad_arguments_raise_value_error(kata, sentiment, captured, change, because):
    texts, groups = cohort(sentiment, [("a", 1, 1), ("b", 1, 1)])
    arguments = {"texts": texts, "groups": groups, **change}
    options = {key: arguments.pop(key) for key in ("positive_label", "max_gap") if key in arguments}
    expect_raises(
        kata,
        ValueError,
        sentiment.model,
        sentiment.tokenizer,
        arguments["texts"],
        arguments["groups"],
        captured.logger,
        because=because,
        **options,
    )
