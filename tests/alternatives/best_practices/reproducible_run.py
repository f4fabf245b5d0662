"""Alternative: the generators seeded one by one (random, numpy, torch), the sample through a
pipeline on the trained model."""

from __future__ import annotations

import os
import random
from collections.abc import Sequence

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def reproducible_run(
    model_name_or_path: str | os.PathLike[str],
    texts: Sequence[str],
    seed: int,
    *,
    steps: int = 3,
    learning_rate: float = 0.1,
) -> tuple[list[float], str]:
    if not texts or steps <= 0 or seed < 0:
        raise ValueError("need texts, a step and a seed of 0 or more")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path).train()
    encoded = tokenizer(list(texts), padding=True, return_tensors="pt")
    labels = torch.where(
        encoded["attention_mask"].bool(), encoded["input_ids"], torch.full_like(encoded["input_ids"], -100)
    )
    sgd = torch.optim.SGD(model.parameters(), lr=learning_rate)
    losses = []
    for _ in range(steps):
        sgd.zero_grad()
        loss = model(
            input_ids=encoded["input_ids"], attention_mask=encoded["attention_mask"], labels=labels
        ).loss
        losses.append(float(loss))
        loss.backward()
        sgd.step()
    model.eval()
    ids = tokenizer(texts[0], return_tensors="pt")
    with torch.inference_mode():
        out = model.generate(**ids, do_sample=True, max_new_tokens=8, pad_token_id=tokenizer.pad_token_id)
    return losses, tokenizer.decode(out[0][ids["input_ids"].shape[1] :], skip_special_tokens=True)
