"""Decoy for reproducible_run: seeds only before sampling, so the dropout masks of training depend on what came before.

caught_by: test_the_run_is_the_one_its_seed_gives_whatever_came_before
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed


def reproducible_run(
    model_name_or_path: str | os.PathLike[str],
    texts: Sequence[str],
    seed: int,
    *,
    steps: int = 3,
    learning_rate: float = 0.1,
) -> tuple[list[float], str]:
    if len(texts) == 0:
        raise ValueError("texts is empty: there is nothing to train on")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}")
    # First of all: random, numpy and torch (and CUDA, where there is one) from one seed. The
    # seed's torch.manual_seed(42) alone leaves Python's and numpy's generators as they were.
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path)
    batch = tokenizer(list(texts), padding=True, return_tensors="pt")
    labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    model.train()  # dropout on: each step draws its masks from torch's generator
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = model(**batch, labels=labels).loss
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    set_seed(seed)  # MISTAKE: too late for training
    prompt = tokenizer(texts[0], return_tensors="pt")
    with torch.no_grad():
        output = model.generate(
            **prompt, do_sample=True, max_new_tokens=8, pad_token_id=tokenizer.pad_token_id
        )
    return losses, tokenizer.decode(output[0, prompt["input_ids"].shape[1] :], skip_special_tokens=True)
