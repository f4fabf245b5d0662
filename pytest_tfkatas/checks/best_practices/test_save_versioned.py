"""Hidden checks: save_versioned."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from transformers import AutoTokenizer

from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

SAMPLE = "The robot read a quiet book."


def expect_folder(kata, result, expected: Path) -> Path:
    expect(
        isinstance(result, Path) and result == expected,
        kata,
        got=describe(result),
        expected=f"the folder {describe(expected)}, as a pathlib.Path",
        tip="return Path(...) when the folder was built as a string: the contract returns a Path."
        if isinstance(result, str) and Path(result) == expected
        else None,
    )
    return result


def expect_saved(kata, folder: Path, model, tokenizer) -> None:
    weights = folder / "model.safetensors"
    held = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else "nothing"
    expect(
        weights.is_file(),
        kata,
        got=f"{describe(folder)} holding {held}",
        expected="a folder holding the model (model.safetensors) and the tokenizer",
        tip="model.save_pretrained(folder) and tokenizer.save_pretrained(folder).",
    )
    saved = load_file(weights)
    state = model.state_dict()
    expect(
        all(torch.equal(saved[key], state[key]) for key in saved),
        kata,
        got=f"weights in {describe(folder)} that are not this model's",
        expected="the weights of the model that was passed in",
    )
    expect(
        (folder / "tokenizer_config.json").is_file(),
        kata,
        got=f"{describe(folder)} holding {held}, without the tokenizer",
        expected="the tokenizer saved next to the model (tokenizer_config.json, ...)",
        tip="tokenizer.save_pretrained(folder) too: a model without its tokenizer cannot be used.",
    )
    loaded = AutoTokenizer.from_pretrained(folder)
    expect(
        loaded(SAMPLE)["input_ids"] == tokenizer(SAMPLE)["input_ids"],
        kata,
        got=f"a tokenizer in {describe(folder)} that encodes differently",
        expected="the tokenizer that was passed in, saved next to the model",
    )


def existing_version(root: Path, folder: str) -> Path:
    """A version saved earlier, with a file that must come through untouched."""
    (root / folder).mkdir(parents=True)
    note = root / folder / "NOTE.txt"
    note.write_text(f"{folder} as it was", encoding="utf-8")
    return note


def test_versions_count_up_from_one_and_keep_the_old_ones(kata, tiny_bert, tmp_path):
    root = tmp_path / "registry"  # does not exist yet
    first, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    folder = expect_folder(kata, kata(first, tokenizer, root, "sentiment"), root / "sentiment-v1")
    expect_saved(kata, folder, first, tokenizer)
    second = tiny_bert.variant(seed=2).load_model()
    folder = expect_folder(kata, kata(second, tokenizer, root, "sentiment"), root / "sentiment-v2")
    expect_saved(kata, folder, second, tokenizer)
    expect_saved(kata, root / "sentiment-v1", first, tokenizer)


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (["clf-v1", "clf-v3"], "clf-v4"),
        (["clf-v9", "clf-v10", "clf-v2"], "clf-v11"),
    ],
    ids=["a gap in the versions", "v10 after v9"],
)
def test_the_next_version_follows_the_highest(kata, tiny_bert, tmp_path, existing, expected):
    notes = [existing_version(tmp_path, folder) for folder in existing]
    # Entries that are not versions of "clf" must be ignored.
    existing_version(tmp_path, "clf-classic-v50")
    existing_version(tmp_path, "other-v20")
    existing_version(tmp_path, "clf-vnext")
    (tmp_path / "clf-v30.txt").write_text("a file, not a version", encoding="utf-8")
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    try:
        result = kata(model, tokenizer, tmp_path, "clf")
    except FileExistsError as error:
        fail_call(
            kata,
            got=f"FileExistsError: {error}",
            expected=f"a new version, {expected}, after the existing {existing}",
            tip="the next version is one more than the highest existing one, compared as integers: "
            "counting the folders misses gaps, and as strings 'v10' < 'v9'.",
        )
    changed = [
        note.parent.name
        for note in notes
        if note.read_text(encoding="utf-8") != f"{note.parent.name} as it was"
    ]
    untouched = [
        note.parent.name for note in notes if sorted(p.name for p in note.parent.iterdir()) == ["NOTE.txt"]
    ]
    expect(
        not changed and len(untouched) == len(notes),
        kata,
        got=f"it wrote into the existing versions {sorted(set(existing) - set(untouched))}",
        expected=f"the existing versions {existing} left as they were",
        tip=(
            "the next version is one more than the highest existing one, compared as integers: "
            "counting the folders misses gaps, and as strings 'v10' < 'v9'."
        ),
    )
    expect_saved(kata, expect_folder(kata, result, tmp_path / expected), model, tokenizer)


def test_a_name_with_dots_dashes_and_underscores_is_taken_literally(kata, tiny_bert, tmp_path):
    name = "team-a_bert.en"  # every character the contract allows besides letters and digits
    existing_version(tmp_path, f"{name}-v1")
    existing_version(tmp_path, "team-a_bertxen-v9")  # another name: "." is not a wildcard
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    try:
        result = kata(model, tokenizer, tmp_path, name)
    except ValueError as error:
        fail_call(
            kata,
            got=f"ValueError: {error}",
            expected=f"a new version, {name}-v2: letters, digits, '_', '.' and '-' make a valid name",
        )
    expect(
        result == tmp_path / f"{name}-v2",
        kata,
        got=describe(result),
        expected=f"{describe(tmp_path / f'{name}-v2')}, one more than {name}-v1 "
        "(team-a_bertxen-v9 is another name's version)",
        tip="escape the name before putting it in a regular expression (re.escape): "
        "an unescaped '.' matches any character."
        if result == tmp_path / f"{name}-v10"
        else None,
    )
    expect_saved(kata, expect_folder(kata, result, tmp_path / f"{name}-v2"), model, tokenizer)


def test_an_existing_version_is_never_overwritten(kata, tiny_bert, tmp_path):
    note = existing_version(tmp_path, "sentiment-v2")
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    expect_raises(
        kata,
        FileExistsError,
        model,
        tokenizer,
        tmp_path,
        "sentiment",
        version=2,
        because="sentiment-v2 exists already and a saved version is never written over",
    )
    contents = sorted(p.name for p in note.parent.iterdir())
    expect(
        contents == ["NOTE.txt"] and note.read_text(encoding="utf-8") == "sentiment-v2 as it was",
        kata,
        got=f"sentiment-v2 now holds {contents}",
        expected="sentiment-v2 exactly as it was: refuse before writing anything",
        tip="create the folder with Path.mkdir() (exist_ok=False) before saving into it.",
    )


def test_a_given_version_is_written_there(kata, tiny_bert, tmp_path):
    existing_version(tmp_path, "sentiment-v1")
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    folder = expect_folder(
        kata, kata(model, tokenizer, tmp_path, "sentiment", version=5), tmp_path / "sentiment-v5"
    )
    expect_saved(kata, folder, model, tokenizer)


def test_version_one_can_be_given_and_root_is_made_with_its_parents(kata, tiny_bert, tmp_path):
    root = tmp_path / "team" / "registry"
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    folder = expect_folder(
        kata, kata(model, tokenizer, str(root), "sentiment", version=1), root / "sentiment-v1"
    )
    expect_saved(kata, folder, model, tokenizer)


@pytest.mark.parametrize(
    ("name", "version", "because"),
    [
        ("../escape", None, "a name with '/' would write outside root"),
        ("", None, "the name is empty"),
        ("bad name!", None, "a space and '!' are not letters, digits, '_', '.' or '-'"),
        ("back\\slash", None, "a backslash is a folder separator on Windows"),
        ("sentiment\n", None, "a newline is not a letter, digit, '_', '.' or '-' ('$' matches before it)"),
        ("sentiment", 0, "versions start at 1"),
        ("sentiment", -2, "versions start at 1"),
    ],
    ids=[
        "slash in name",
        "empty name",
        "space and bang",
        "backslash",
        "trailing newline",
        "version 0",
        "negative version",
    ],
)
def test_bad_names_and_versions_raise_value_error(kata, tiny_bert, tmp_path, name, version, because):
    expect_raises(
        kata,
        ValueError,
        tiny_bert.load_model(),
        tiny_bert.load_tokenizer(),
        tmp_path / "registry",
        name,
        version=version,
        because=because,
    )
