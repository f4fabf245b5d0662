"""The check helpers word their failures for the learner."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import KataFunction, describe, expect, expect_raises

FILE = Path("/work/katas/model_loading/add.py")


def kata_of(function) -> KataFunction:
    return KataFunction(function.__name__, function, FILE, "katas/model_loading/add.py")


def failure_of(call) -> str:
    with pytest.raises(pytest.fail.Exception) as caught:
        call()
    return str(caught.value)


def test_describe_names_models_tensors_and_zoo_paths_briefly() -> None:
    assert describe(torch.zeros(2, 3, dtype=torch.int64)) == "tensor(shape=[2, 3], dtype=int64)"
    assert describe(zoo.path("gpt2")) == "zoo.path('gpt2')"
    assert describe(str(zoo.path("bert"))) == "zoo.path('bert')"
    assert describe(zoo.get("bert").variant(seed=3).path) == "zoo.get('bert').variant(3).path"
    assert describe(zoo.get("gpt2").load_tokenizer()) == "<GPT2Tokenizer>"
    long = describe("x" * 500)
    assert len(long) <= 90 and long.endswith(" ...'")


def test_describe_names_datasets_by_rows_and_columns() -> None:
    from datasets import Dataset, DatasetDict

    dataset = Dataset.from_dict({"text": ["a", "b", "c"], "label": [0, 1, 0]})
    assert describe(dataset) == "<Dataset 3 rows: text, label>"
    splits = DatasetDict(train=dataset, test=dataset.select(range(1)))
    assert describe(splits) == "<DatasetDict train: 3 rows, test: 1 rows>"


def test_describe_names_modules_optimizers_and_dataframes_briefly() -> None:
    import pandas as pd

    layers = torch.nn.Sequential(torch.nn.Linear(2, 2))
    assert describe(layers) == "<Sequential>"
    assert describe(torch.optim.SGD(layers.parameters(), lr=0.5)) == "<SGD lr=0.5>"
    frame = pd.DataFrame({"comment": ["a", "b", "c"], "score": [1, 2, 3]})
    assert describe(frame) == "<DataFrame 3 rows: comment, score>"
    assert describe(frame["comment"]) == "<Series 'comment' of 3 rows>"


def test_a_failed_expectation_says_what_was_called_got_and_expected() -> None:
    def add(a, b):
        return a - b

    kata = kata_of(add)
    result = kata(2, b=3)
    message = failure_of(
        lambda: expect(result == 5, kata, got=repr(result), expected="5", tip="add, do not subtract.")
    )
    assert message == "Called add(2, b=3).\nGot:      -1\nExpected: 5\nTip: add, do not subtract."


def test_a_stub_fails_with_the_file_to_edit() -> None:
    def add(a, b):
        raise NotImplementedError

    kata = kata_of(add)
    message = failure_of(lambda: kata(1, 2))
    assert "It raised NotImplementedError: add is still a stub." in message
    assert "katas/model_loading/add.py" in message
    assert "still a stub" in failure_of(lambda: expect_raises(kata, ValueError, 1, 2, because="x"))


def test_a_hub_download_fails_with_the_offline_message() -> None:
    def add(a, b):
        raise OSError("We couldn't connect to 'https://huggingface.co' to load the files")

    message = failure_of(lambda: kata_of(add)(1, 2))
    assert "It tried to reach the Hugging Face Hub" in message
    assert "Katas run offline" in message


def test_other_errors_propagate_with_a_note_naming_the_call() -> None:
    def add(a, b):
        return a + b

    with pytest.raises(TypeError) as caught:
        kata_of(add)(1, "2")
    assert any("raised while calling add(1, '2')" in note for note in caught.value.__notes__)


def test_expect_raises_reports_a_return_or_the_wrong_error() -> None:
    def add(a, b):
        if b == 0:
            raise KeyError("zero")
        return a + b

    kata = kata_of(add)
    returned = failure_of(lambda: expect_raises(kata, ValueError, 1, 2, because="2 is bad"))
    assert returned == "Called add(1, 2).\nGot:      it returned 3\nExpected: ValueError, because 2 is bad"
    wrong = failure_of(lambda: expect_raises(kata, ValueError, 1, 0, because="0 is bad"))
    assert "Got:      it raised KeyError: 'zero'" in wrong


#: What the tokenizers library raises when its Rust code panics: pyo3's PanicException, a BaseException.
PanicException = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})


def test_a_rust_panic_is_a_failure_of_the_call_not_a_crash() -> None:
    def add(a, b):
        raise PanicException("attempt to subtract with overflow\nbacktrace ...")

    kata = kata_of(add)
    message = failure_of(lambda: expect_raises(kata, ValueError, 1, 2, because="2 is bad"))
    assert message == (
        "Called add(1, 2).\nGot:      a Rust library panicked (PanicException): attempt to subtract with "
        "overflow\nExpected: ValueError, because 2 is bad"
    )
    with pytest.raises(PanicException) as caught:
        kata(1, 2)
    assert any("raised while calling add(1, 2)" in note for note in caught.value.__notes__)
    with pytest.raises(KeyboardInterrupt):
        expect_raises(kata_of(lambda: (_ for _ in ()).throw(KeyboardInterrupt)), ValueError, because="x")


def test_expect_raises_can_require_words_in_the_message() -> None:
    def add(a, b):
        raise ValueError("bad input")

    kata = kata_of(add)
    error = expect_raises(kata, ValueError, 1, 2, because="x", match="BAD")
    assert isinstance(error, ValueError)
    message = failure_of(lambda: expect_raises(kata, ValueError, 1, 2, because="x", match="b_value"))
    assert "with a message that mentions 'b_value'" in message


def test_an_unusable_file_fails_every_call_with_its_reason() -> None:
    kata = KataFunction.unusable(
        "add", FILE, "katas/model_loading/add.py", "Importing it failed: SyntaxError"
    )
    assert failure_of(lambda: kata(1, 2)) == "Importing it failed: SyntaxError"
    assert (
        failure_of(lambda: expect_raises(kata, ValueError, because="x")) == "Importing it failed: SyntaxError"
    )


def test_a_known_transformers_5_pitfall_fails_with_its_tip_and_the_learners_line() -> None:
    def fine_tune() -> None:
        from transformers import Trainer

        Trainer(tokenizer=object())

    kata = KataFunction("fine_tune", fine_tune, Path(__file__), "katas/fine_tuning/fine_tune.py")
    message = failure_of(kata)
    assert message.startswith(
        "Called fine_tune().\nIt raised TypeError (katas/fine_tuning/fine_tune.py, line "
    )
    assert "Tip: Trainer(tokenizer=...) was removed in transformers 5: pass processing_class=" in message
