"""Hidden checks: audit_decisions."""

from __future__ import annotations

import json
import logging
import math

import pytest

from pytest_tfkatas.harness import describe, expect, expect_raises

KEYS = {"input", "label", "label_id", "score", "model"}
TOLERANCE = 1e-5


def mixed_texts(sentiment, count: int = 6) -> list[str]:
    """Texts of different lengths that the model decides both ways, interleaved."""
    texts = []
    for positive, negative in zip(sentiment.positive, sentiment.negative, strict=False):
        texts += [positive, negative]
    return texts[:count]


def audit_of(kata, record: logging.LogRecord):
    audit = getattr(record, "audit", None)
    expect(
        isinstance(audit, dict) and set(audit) >= KEYS,
        kata,
        got=f"a record {record.getMessage()!r} whose .audit is {describe(audit)}",
        expected=f"record.audit, a dict with the keys {sorted(KEYS)}",
        tip='pass the decision as logger.info(message, extra={"audit": decision}): it becomes record.audit.',
    )
    return audit


def test_one_structured_record_per_decision_on_the_given_logger(kata, sentiment, captured, tmp_path):
    root_handlers = list(logging.getLogger().handlers)
    logger = captured.logger
    settings = (logger.level, list(logger.handlers), logger.propagate, logger.disabled)
    texts = mixed_texts(sentiment, 4)
    kata(sentiment.model, sentiment.tokenizer, texts, logger)
    now = (logger.level, list(logger.handlers), logger.propagate, logger.disabled)
    expect(
        now == settings,
        kata,
        got=f"the given logger changed: (level, handlers, propagate, disabled) = {now}",
        expected=f"the given logger left as it was, {settings}: its level and handlers are the caller's",
        tip="only call logger.info(...): setting its level, adding a handler or changing propagate "
        "configures logging for the whole application.",
    )
    expect(
        logging.getLogger().handlers == root_handlers and not list(tmp_path.iterdir()),
        kata,
        got=f"logging configured globally (root handlers {logging.getLogger().handlers}), "
        f"files written: {sorted(p.name for p in tmp_path.iterdir())}",
        expected="no change to the root logger and no file written: where records go is the caller's choice",
        tip="do not call logging.basicConfig in a function: use the logger you are given.",
    )
    info = captured.at(logging.INFO)
    expect(
        len(captured.records) == len(texts) and len(info) == len(texts),
        kata,
        got=f"{len(captured.records)} records on the given logger ({len(info)} at INFO)",
        expected=f"{len(texts)} INFO records on the given logger, one per text",
        tip="call logger.info(...) once per decision, on the logger passed in, not logging.info(...).",
    )
    for text, record in zip(texts, info, strict=True):
        audit = audit_of(kata, record)
        expect(
            audit["input"] == text,
            kata,
            got=f"record.audit['input'] == {audit['input']!r}",
            expected=f"{text!r}: the records come in the order of the texts",
        )


def test_the_records_hold_the_models_decisions(kata, sentiment, captured):
    # The last text is longer than the model's 128 positions: it is decided on its first 128 tokens.
    texts = [*mixed_texts(sentiment, 6), " ".join(sentiment.positive[:14])]
    assert len(sentiment.tokenizer(texts[-1])["input_ids"]) > 128, "the check's long text must be too long"
    returned = kata(sentiment.model, sentiment.tokenizer, texts, captured.logger)
    audits = [audit_of(kata, record) for record in captured.at(logging.INFO)]
    for text, audit in zip(texts, audits, strict=False):
        label_id, score = sentiment.decide(text)
        expected = {
            "input": text,
            "label": sentiment.model.config.id2label[label_id],
            "label_id": label_id,
            "score": round(score, 5),
            "model": sentiment.model.config.name_or_path,
        }
        got = {key: audit.get(key) for key in KEYS}
        same = (
            all(got[key] == expected[key] for key in ("input", "label", "label_id", "model"))
            and isinstance(got["score"], float)
            and math.isclose(got["score"], score, abs_tol=TOLERANCE)
        )
        expect(
            same,
            kata,
            got=f"record.audit = {got}",
            expected=f"{expected}: the model's decision for this text on its own",
            tip=(
                "tokenize the batch with padding=True, truncation=True and pass the attention mask to the "
                "model; the score is the softmax probability of the chosen label; the label is "
                "model.config.id2label[id]."
            ),
        )
    expect(
        returned == audits,
        kata,
        got=f"it returned {describe(returned)}",
        expected="the list of the decisions, the same dicts as on the records",
    )


def test_every_text_is_decided_as_given_even_in_a_tuple(kata, sentiment, captured):
    """A tuple is a Sequence[str]; a repeated text, an empty one and one with spaces around it are
    each a text to decide on and record exactly as given."""
    first, second = mixed_texts(sentiment, 2)
    texts = (first, f"  {second}\n", first, "")
    returned = kata(sentiment.model, sentiment.tokenizer, texts, captured.logger)
    audits = [audit_of(kata, record) for record in captured.at(logging.INFO)]
    expect(
        [audit["input"] for audit in audits] == list(texts),
        kata,
        got=f"records for the inputs {[audit['input'] for audit in audits]}",
        expected=f"one record per text, in order and exactly as given: {list(texts)}",
        tip="decide on every text as it comes, repeats and empty ones included, and record it unchanged "
        "(no strip, no de-duplication).",
    )
    for text, audit in zip(texts, audits, strict=True):
        label_id, score = sentiment.decide(text)
        expect(
            audit.get("label_id") == label_id
            and isinstance(audit.get("score"), float)
            and math.isclose(audit["score"], score, abs_tol=TOLERANCE),
            kata,
            got=f"record.audit = {audit}",
            expected=f"label_id {label_id} and score {score:.5f}: the model's decision for {text!r} "
            "on its own",
        )
    expect(
        returned == audits,
        kata,
        got=f"it returned {describe(returned)}",
        expected="the list of the decisions, the same dicts as on the records",
    )


def test_decisions_are_made_without_dropout(kata, sentiment, captured):
    texts = mixed_texts(sentiment, 4)
    sentiment.model.train()  # as a model may come straight from training
    kata(sentiment.model, sentiment.tokenizer, texts, captured.logger)
    audits = [audit_of(kata, record) for record in captured.at(logging.INFO)]
    expected = [sentiment.decide(text)[1] for text in texts]
    got = [audit.get("score") for audit in audits]
    shown = [round(g, 4) if isinstance(g, float) else describe(g) for g in got]
    expect(
        len(got) == len(expected)
        and all(
            isinstance(g, float) and math.isclose(g, e, abs_tol=TOLERANCE)
            for g, e in zip(got, expected, strict=True)
        ),
        kata,
        got=f"scores {shown} from a model handed over in training mode",
        expected=f"scores {[round(e, 4) for e in expected]}, the model's decisions in evaluation mode",
        tip="call model.eval() before deciding: dropout makes a model in training mode answer at random.",
    )


def test_the_records_are_json_serialisable(kata, sentiment, captured):
    kata(sentiment.model, sentiment.tokenizer, mixed_texts(sentiment, 2), captured.logger)
    for record in captured.at(logging.INFO):
        audit = audit_of(kata, record)
        try:
            text = json.dumps(audit)
        except TypeError as error:
            text = f"TypeError: {error}"
        expect(
            not text.startswith("TypeError") and json.loads(text) == audit,
            kata,
            got=f"json.dumps(record.audit) gave {text} for {describe(audit)}",
            expected="a record a JSON log handler can write and read back unchanged",
            tip="convert tensors to Python values: .item() or .tolist(), and the label with id2label.",
        )


@pytest.mark.parametrize(
    ("texts", "error", "because"),
    [
        ("The food was delicious.", TypeError, "a single string is not a list of texts"),
        (["The food was delicious.", 42], TypeError, "42 is not a text"),
        ([], ValueError, "there is nothing to decide on"),
    ],
    ids=["a single string", "a number among the texts", "no texts"],
)
def test_bad_texts_are_rejected(kata, sentiment, captured, texts, error, because):
    expect_raises(kata, error, sentiment.model, sentiment.tokenizer, texts, captured.logger, because=because)
    expect(
        not captured.records,
        kata,
        got=f"{len(captured.records)} audit records",
        expected="no audit record for a call that was rejected",
        tip="validate the texts before classifying or logging anything.",
    )
