"""Hidden checks: reproducible_run."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

TEXTS = zoo.corpus()[:3]


def replay(path, texts, seed, steps=3, learning_rate=0.1):
    from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed

    set_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(path)
    batch = tokenizer(list(texts), padding=True, return_tensors="pt")
    labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    model.train()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = model(**batch, labels=labels).loss
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    prompt = tokenizer(texts[0], return_tensors="pt")
    with torch.no_grad():
        output = model.generate(
            **prompt, do_sample=True, max_new_tokens=8, pad_token_id=tokenizer.pad_token_id
        )
    return losses, tokenizer.decode(output[0, prompt["input_ids"].shape[1] :], skip_special_tokens=True)


def disturb(n: int) -> None:
    """Whatever ran before: every generator left in another state."""
    random.seed(1000 + n)
    np.random.seed(1000 + n)
    torch.manual_seed(1000 + n)


def run(kata, path, texts, seed, disturbance, **settings):
    __tracebackhide__ = True
    disturb(disturbance)
    result = kata(path, texts, seed, **settings)
    expect(
        isinstance(result, tuple)
        and len(result) == 2
        and isinstance(result[0], list)
        and all(type(loss) is float for loss in result[0])
        and isinstance(result[1], str),
        kata,
        got=describe(result),
        expected="a tuple (losses, sample): a list of floats and a str",
    )
    return result


@pytest.mark.parametrize(("name", "seed"), [("gpt2", 7), ("gpt2", 0)], ids=["seed 7", "seed 0"])
def test_the_run_is_the_one_its_seed_gives_whatever_came_before(kata, name, seed):
    path = zoo.path(name)
    expected = replay(path, TEXTS, seed)
    for disturbance in (1, 2):
        losses, sample = run(kata, path, TEXTS, seed, disturbance)
        expect(
            len(losses) == 3
            and all(math.isclose(a, b, rel_tol=1e-6) for a, b in zip(losses, expected[0], strict=False))
            and sample == expected[1],
            kata,
            got=f"losses {losses}, sample {sample!r}",
            expected=f"losses {expected[0]}, sample {expected[1]!r}: set_seed({seed}) first, then load, "
            "3 SGD steps in training mode, then 8 sampled tokens",
            tip="transformers.set_seed(seed) before anything else draws a random number (seed 0 too: "
            "`if seed is not None`, never `if seed`); dropout needs model.train().",
        )


def test_another_seed_gives_another_run(kata, tiny_gpt2):
    one = run(kata, tiny_gpt2.path, TEXTS, 1, 1)
    two = run(kata, tiny_gpt2.path, TEXTS, 2, 1)
    expected = replay(tiny_gpt2.path, TEXTS, 2)
    expect(
        one != two and two[1] == expected[1],
        kata,
        got=f"seed 1: {one}, seed 2: {two}",
        expected=f"other losses and another sample for another seed; seed 2 gives {expected}",
    )


def test_steps_and_learning_rate_are_the_ones_given(kata, tiny_gpt2):
    texts = ("Hello there.",)
    expected = replay(tiny_gpt2.path, texts, 5, steps=1, learning_rate=0.5)
    losses, sample = run(kata, tiny_gpt2.path, texts, 5, 3, steps=1, learning_rate=0.5)
    expect(
        len(losses) == 1 and math.isclose(losses[0], expected[0][0], rel_tol=1e-6) and sample == expected[1],
        kata,
        got=f"losses {losses}, sample {sample!r}",
        expected=f"one step at lr 0.5 on one text (a tuple): {expected}",
    )


@pytest.mark.parametrize(
    ("texts", "seed", "steps", "because"),
    [
        ([], 1, 3, "there is nothing to train on"),
        (TEXTS, 1, 0, "a run needs a step"),
        (TEXTS, -1, 3, "a seed is 0 or more"),
    ],
    ids=["no texts", "no steps", "negative seed"],
)
def test_bad_arguments_raise_value_error(kata, tiny_gpt2, texts, seed, steps, because):
    expect_raises(kata, ValueError, tiny_gpt2.path, texts, seed, steps=steps, because=because)


def test_a_sample_that_ends_early_leaves_its_end_token_out(kata, tiny_llama):
    """On the Llama-style model, seed 1 samples "." and then </s>: the text holds no special token."""
    texts = list(zoo.LLAMA_EOS_PROMPTS[:2])
    expected = replay(tiny_llama.path, texts, 1)
    _, sample = run(kata, tiny_llama.path, texts, 1, 4)
    expect(
        sample == expected[1] and "</s>" not in sample,
        kata,
        got=f"sample {sample!r}",
        expected=f"{expected[1]!r}: decoded without special tokens",
        tip="decode with skip_special_tokens=True.",
    )
