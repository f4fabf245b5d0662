"""Hidden checks: train_in_chunks."""

from __future__ import annotations

import math

import pytest
import torch
from datasets import Dataset
from transformers import Trainer, TrainerCallback

from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

SLICING_TIP = (
    "dataset[i:j] is a dict of columns in datasets 5; dataset.select(range(start, min(start + chunk_size, "
    "len(dataset)))) is a Dataset, and the min() keeps the last, shorter chunk inside the dataset."
)


class Recorder(TrainerCallback):
    """Which rows each trainer.train() run saw, and the training loss it logged."""

    def __init__(self) -> None:
        self.runs: list[list[int]] = []
        self.losses: list[float] = []

    def on_train_begin(self, args, state, control, **kwargs):
        self.runs.append([])

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "train_loss" in logs:
            self.losses.append(float(logs["train_loss"]))

    def collate(self, rows):
        """Stack the tokens and note the rows' numbers (the "row" column)."""
        if self.runs:
            self.runs[-1].extend(row["row"] for row in rows)
        return {key: torch.tensor([row[key] for row in rows]) for key in ("input_ids", "labels")}


def rows_dataset(count: int, seed: int = 0) -> Dataset:
    ids = torch.randint(5, 500, (count, 8), generator=torch.Generator().manual_seed(seed)).tolist()
    return Dataset.from_dict({"input_ids": ids, "labels": ids, "row": list(range(count))})


@pytest.fixture
def recorded_trainer(tiny_gpt2, training_args):
    recorder = Recorder()
    args = training_args(per_device_train_batch_size=4, num_train_epochs=1, remove_unused_columns=False)
    trainer = Trainer(
        model=tiny_gpt2.load_model(), args=args, data_collator=recorder.collate, callbacks=[recorder]
    )
    return trainer, recorder


def run(kata, trainer, dataset, chunk_size):
    try:
        return kata(trainer, dataset, chunk_size)
    except (KeyError, IndexError) as error:
        fail_call(
            kata,
            got=f"{type(error).__name__}: {error}",
            expected=f"one trainer.train() per chunk of {chunk_size} rows",
            tip=SLICING_TIP,
        )


def expected_chunks(count: int, size: int) -> list[list[int]]:
    return [list(range(start, min(start + size, count))) for start in range(0, count, size)]


@pytest.mark.parametrize(
    ("count", "size"),
    [(4, 3), (3, 10), (6, 3), (3, 1)],
    ids=["4 rows by 3", "3 rows by 10", "6 rows by 3", "3 rows by 1"],
)
def test_each_chunk_is_trained_once_in_order(kata, recorded_trainer, count, size):
    trainer, recorder = recorded_trainer
    run(kata, trainer, rows_dataset(count), size)
    expected = expected_chunks(count, size)
    got = [sorted(rows) for rows in recorder.runs]
    expect(
        got == expected,
        kata,
        got=f"trainer.train() runs on the rows {got}",
        expected=f"one run per chunk, on the rows {expected}",
        tip=SLICING_TIP,
    )


def test_one_training_loss_per_chunk_is_returned_and_the_model_learns(kata, recorded_trainer):
    trainer, recorder = recorded_trainer
    before = {name: tensor.clone() for name, tensor in trainer.model.state_dict().items()}
    losses = run(kata, trainer, rows_dataset(4, seed=1), 2)
    expect(
        isinstance(losses, list)
        and len(losses) == len(recorder.losses)
        and all(isinstance(loss, (int, float)) for loss in losses),
        kata,
        got=describe(losses),
        expected=f"a list of {len(recorder.losses)} losses, one per chunk",
        tip="collect trainer.train().training_loss after each chunk.",
    )
    expect(
        all(math.isclose(float(a), b, rel_tol=1e-6) for a, b in zip(losses, recorder.losses, strict=True)),
        kata,
        got=f"losses {[round(float(loss), 4) for loss in losses]}",
        expected=f"the training losses the runs logged, {[round(loss, 4) for loss in recorder.losses]}",
    )
    changed = [
        name for name, tensor in trainer.model.state_dict().items() if not torch.equal(before[name], tensor)
    ]
    expect(
        changed,
        kata,
        got="the trainer's model with the same weights as before",
        expected="the trainer's model trained in place (its weights changed)",
    )


def test_bad_datasets_and_chunk_sizes_raise(kata, recorded_trainer):
    trainer, _ = recorded_trainer
    dataset = rows_dataset(4)
    expect_raises(
        kata,
        TypeError,
        trainer,
        dataset[0:4],
        2,
        because="dataset[0:4] is a dict of columns, not a Dataset",
    )
    expect_raises(kata, ValueError, trainer, dataset, 0, because="a chunk of 0 rows never ends")
    expect_raises(kata, ValueError, trainer, dataset, -2, because="a chunk cannot hold -2 rows")
    expect_raises(kata, ValueError, trainer, dataset.select([]), 2, because="the dataset has no rows")
