"""Hidden checks: cached_preprocess."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import datasets.config
import pytest

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

ROWS = [(line, index % 2) for index, line in enumerate(zoo.corpus()[:10])]


@pytest.fixture(autouse=True)
def default_cache_in_tmp(tmp_path, monkeypatch):
    """Code that forgets cache_dir writes here, not into the user's own datasets cache."""
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "default-datasets-cache")


def write_csv(path: Path, rows, text_column: str = "text") -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([text_column, "label"])
        writer.writerows(rows)
    return path


def files_under(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every cache file with what would change if it were written again (locks left out)."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            if not name.endswith(".lock"):
                stat = os.stat(os.path.join(root, name))
                found[os.path.join(root, name)] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return found


def dataset_of(kata, result):
    expect(
        isinstance(result, datasets.Dataset),
        kata,
        got=describe(result),
        expected="a datasets.Dataset (the train split)",
        tip='load_dataset(..., split="train") returns the Dataset itself rather than a DatasetDict.',
    )
    return result


def expect_tokenized(kata, result, rows, tokenizer, max_length, text_column="text"):
    result = dataset_of(kata, result)
    expected_ids = [tokenizer(text, truncation=True, max_length=max_length)["input_ids"] for text, _ in rows]
    got_ids = list(result["input_ids"]) if "input_ids" in result.column_names else None
    expect(
        got_ids == expected_ids,
        kata,
        got=f"input_ids {describe(got_ids)}" if got_ids is not None else f"columns {result.column_names}",
        expected=f"input_ids {describe(expected_ids)}: each text truncated to {max_length} tokens",
        tip="map with tokenizer(batch[text_column], truncation=True, max_length=max_length), batched=True.",
    )
    kept = {text_column, "label", "attention_mask"}
    expect(
        kept <= set(result.column_names) and list(result["label"]) == [label for _, label in rows],
        kata,
        got=f"columns {result.column_names}",
        expected=f"the CSV's columns ({text_column!r}, 'label') kept, with the tokenizer's columns added",
    )


def test_every_row_is_tokenized_and_truncated(kata, tiny_gpt2, tiny_bert, tmp_path):
    path = write_csv(tmp_path / "reviews.csv", ROWS)
    gpt2_tokenizer = tiny_gpt2.load_tokenizer()
    result = kata(path, gpt2_tokenizer, tmp_path / "cache", max_length=6)
    expect_tokenized(kata, result, ROWS, gpt2_tokenizer, 6)
    path = write_csv(tmp_path / "other.csv", ROWS[:5], text_column="review")
    bert_tokenizer = tiny_bert.load_tokenizer()
    result = kata(path, bert_tokenizer, tmp_path / "cache", text_column="review", max_length=12)
    expect_tokenized(kata, result, ROWS[:5], bert_tokenizer, 12, text_column="review")


def test_the_result_is_cached_under_cache_dir(kata, tiny_bert, tmp_path):
    path = write_csv(tmp_path / "reviews.csv", ROWS)
    cache_dir = tmp_path / "my-cache"
    result = dataset_of(kata, kata(path, tiny_bert.load_tokenizer(), cache_dir, max_length=10))
    files = [entry["filename"] for entry in result.cache_files]
    outside = [name for name in files if not Path(name).is_relative_to(cache_dir)]
    expect(
        files and not outside,
        kata,
        got=f"a dataset backed by {outside or files}"
        if files
        else "an in-memory dataset with no cache files",
        expected=f"a dataset backed by files under cache_dir ({describe(cache_dir)})",
        tip=(
            'load_dataset("csv", data_files=..., cache_dir=cache_dir, split="train") gives a dataset '
            "backed by files there, and map() caches next to them; pandas, Dataset.from_pandas or "
            "keep_in_memory=True give an in-memory dataset whose map results are never cached."
        ),
    )


def test_a_second_call_reuses_the_cached_result(kata, tiny_bert, tmp_path):
    path = write_csv(tmp_path / "reviews.csv", ROWS)
    cache_dir = tmp_path / "cache"
    tokenizer = tiny_bert.load_tokenizer()
    first = dataset_of(kata, kata(path, tokenizer, cache_dir, max_length=8))
    before = files_under(cache_dir)
    # A new process would load the tokenizer again: an equal tokenizer must hit the same cache.
    second = dataset_of(kata, kata(path, tiny_bert.load_tokenizer(), cache_dir, max_length=8))
    after = files_under(cache_dir)
    written = sorted(Path(name).name for name in after if before.get(name) != after[name])
    expect(
        not written,
        kata,
        got=f"the second call wrote {written}",
        expected="the second call loads the cached files and writes nothing",
        tip=(
            "let map() reuse its cache: no load_from_cache_file=False, no random new_fingerprint, and a "
            "function whose result depends only on its inputs (a lambda using the tokenizer is fine)."
        ),
    )
    expect(
        list(second["input_ids"]) == list(first["input_ids"]),
        kata,
        got=f"input_ids {describe(list(second['input_ids']))}",
        expected=f"the first call's input_ids {describe(list(first['input_ids']))}",
    )


def test_other_arguments_or_an_edited_file_are_computed_again(kata, tiny_gpt2, tiny_bert, tmp_path):
    """Each argument in turn: max_length, the tokenizer, then the file's contents."""
    path = write_csv(tmp_path / "reviews.csv", ROWS)
    cache_dir = tmp_path / "cache"
    tokenizer = tiny_gpt2.load_tokenizer()
    dataset_of(kata, kata(path, tokenizer, cache_dir, max_length=9))
    expect_tokenized(kata, kata(path, tokenizer, cache_dir, max_length=3), ROWS, tokenizer, 3)
    other = tiny_bert.load_tokenizer()
    expect_tokenized(kata, kata(path, other, cache_dir, max_length=3), ROWS, other, 3)
    edited = [(f"{text} Edited.", label) for text, label in reversed(ROWS[2:7])]
    write_csv(path, edited)
    stamp = os.stat(path).st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(stamp, stamp))  # a later edit, however coarse the file system's clock
    expect_tokenized(kata, kata(path, tokenizer, cache_dir, max_length=3), edited, tokenizer, 3)


def test_bad_arguments_raise_value_error(kata, tiny_bert, tmp_path):
    path = write_csv(tmp_path / "reviews.csv", ROWS[:3], text_column="sentence")
    tokenizer = tiny_bert.load_tokenizer()
    expect_raises(
        kata,
        ValueError,
        path,
        tokenizer,
        tmp_path / "cache",
        because="the file has no 'text' column (its columns are 'sentence' and 'label')",
        match="text",
    )
    expect_raises(
        kata,
        ValueError,
        path,
        tokenizer,
        tmp_path / "cache",
        text_column="sentence",
        max_length=0,
        because="no text fits in 0 tokens",
    )


def test_max_length_defaults_to_128_and_may_be_1(kata, tiny_bert, tmp_path):
    long_text = " ".join(zoo.corpus()[:40])
    rows = [(long_text, 1), *ROWS[:3]]
    path = write_csv(tmp_path / "long.csv", rows)
    tokenizer = tiny_bert.load_tokenizer()
    assert len(tokenizer(long_text)["input_ids"]) > 128, "the long row must be longer than the default"
    expect_tokenized(kata, kata(path, tokenizer, tmp_path / "cache"), rows, tokenizer, 128)
    expect_tokenized(kata, kata(path, tokenizer, tmp_path / "cache", max_length=1), rows, tokenizer, 1)
