"""Decoy for distributed_generate: like the seed, it loads the model with device_map="auto" and generates in this one process, so nothing is distributed.

caught_by: test_three_processes_share_the_prompts_and_match_one_process
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def distributed_generate(
    model_path: str | Path,
    prompts: Sequence[str],
    *,
    world_size: int = 2,
    max_new_tokens: int = 20,
) -> list[dict[str, Any]]:
    if world_size < 1:
        raise ValueError(f"world_size must be at least 1, got {world_size}")
    if not prompts:
        raise ValueError("prompts must not be empty")
    if len(prompts) < world_size:
        raise ValueError(f"{len(prompts)} prompts cannot keep {world_size} processes busy")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    if not Path(model_path).is_dir():
        raise FileNotFoundError(f"no model folder at {model_path}")
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForCausalLM.from_pretrained(model_path, device_map="auto")
    results = []
    for index, prompt in enumerate(prompts):
        inputs = tokenizer(prompt, return_tensors="pt").to(model.device)
        with torch.no_grad():
            outputs = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
        text = tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        results.append({"text": text, "rank": index % world_size, "pid": os.getpid()})
    return results
