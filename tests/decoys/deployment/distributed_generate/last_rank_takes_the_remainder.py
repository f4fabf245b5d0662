"""Decoy for distributed_generate: contiguous shards of len(prompts) // world_size prompts, with the whole remainder on the last rank, so with 5 prompts and 3 processes the shares are 1, 1 and 3 instead of differing by one at most.

caught_by: test_three_processes_share_the_prompts_and_match_one_process
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
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
    with tempfile.TemporaryDirectory() as folder:
        results_file = Path(folder) / "results.json"
        address = (Path(folder) / "rendezvous").as_uri()
        mp.spawn(
            _worker,
            args=(world_size, address, str(model_path), list(prompts), max_new_tokens, str(results_file)),
            nprocs=world_size,
            join=True,
        )
        return json.loads(results_file.read_text(encoding="utf-8"))


def _worker(
    rank: int,
    world_size: int,
    address: str,
    model_path: str,
    prompts: list[str],
    max_new_tokens: int,
    results_file: str,
) -> None:
    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForCausalLM.from_pretrained(model_path).eval()
    dist.init_process_group(
        "gloo", init_method=address, rank=rank, world_size=world_size, timeout=timedelta(minutes=2)
    )
    try:
        # Equal slices, and the last rank also takes whatever is left over.
        size = len(prompts) // world_size
        start = rank * size
        stop = len(prompts) if rank == world_size - 1 else start + size
        mine = []
        for prompt in prompts[start:stop]:
            inputs = tokenizer(prompt, return_tensors="pt")
            with torch.no_grad():
                outputs = model.generate(
                    **inputs,
                    max_new_tokens=max_new_tokens,
                    do_sample=False,
                    pad_token_id=tokenizer.eos_token_id,
                )
            text = tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
            mine.append({"text": text, "rank": rank, "pid": os.getpid()})
        everything: list[Any] = [None] * world_size
        dist.all_gather_object(everything, mine)  # contiguous shards: rank order is prompt order
        if rank == 0:
            Path(results_file).write_text(
                json.dumps([r for shard in everything for r in shard]), encoding="utf-8"
            )
        dist.barrier()
    finally:
        dist.destroy_process_group()
