"""Decoy for distributed_generate: the worker is a function nested in distributed_generate, which spawn cannot pickle, so no process ever starts.

caught_by: test_three_processes_share_the_prompts_and_match_one_process
"""

from __future__ import annotations

import json
import os
import socket
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
    # Fail here, at once, rather than in every worker after seconds of start-up.
    if not Path(model_path).is_dir():
        raise FileNotFoundError(f"no model folder at {model_path}")
    with tempfile.TemporaryDirectory() as folder:
        results_file = Path(folder) / "results.json"
        # The processes meet at a TCP address (the same as MASTER_ADDR / MASTER_PORT).
        address = f"tcp://127.0.0.1:{_free_port()}"

        # spawn starts fresh interpreters (portable, and safe with threads), so _worker must be a
        # module-level function: it is pickled by name. join=True waits for both processes and
        # re-raises a worker's exception here.
        def worker(*args: Any) -> None:
            _worker(*args)

        mp.spawn(
            worker,
            args=(world_size, address, str(model_path), list(prompts), max_new_tokens, str(results_file)),
            nprocs=world_size,
            join=True,
        )
        # Rank 0 wrote the gathered results to a file: unlike a queue read after join(), a file
        # cannot deadlock when the results are large.
        return json.loads(results_file.read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))  # port 0: the OS picks a free one
        return probe.getsockname()[1]


def _worker(
    rank: int,
    world_size: int,
    address: str,
    model_path: str,
    prompts: list[str],
    max_new_tokens: int,
    results_file: str,
) -> None:
    torch.set_num_threads(1)  # one core per process: more would oversubscribe the CPU
    dist.init_process_group(
        "gloo", init_method=address, rank=rank, world_size=world_size, timeout=timedelta(minutes=2)
    )
    try:
        # Shard the prompts: rank r takes prompts r, r + world_size, ... and remembers their indices.
        mine = list(range(rank, len(prompts), world_size))
        tokenizer = AutoTokenizer.from_pretrained(model_path)
        model = AutoModelForCausalLM.from_pretrained(model_path).eval()
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        tokenizer.padding_side = "left"  # decoder-only batches pad on the left
        inputs = tokenizer([prompts[i] for i in mine], return_tensors="pt", padding=True)
        with torch.no_grad():
            outputs = model.generate(
                **inputs, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id
            )
        texts = tokenizer.batch_decode(outputs[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        shard = [
            (index, {"text": text, "rank": rank, "pid": os.getpid()})
            for index, text in zip(mine, texts, strict=True)
        ]
        # Collect every rank's shard on rank 0 (a collective: every rank must call it).
        gathered: list[Any] | None = [None] * world_size if rank == 0 else None
        dist.gather_object(shard, gathered, dst=0)
        if rank == 0:
            assert gathered is not None
            ordered = sorted((pair for part in gathered for pair in part), key=lambda pair: pair[0])
            Path(results_file).write_text(json.dumps([result for _, result in ordered]), encoding="utf-8")
    finally:
        dist.destroy_process_group()
