"""Alternative: fork instead of spawn (the children inherit the imported libraries and start at
once), a file:// rendezvous instead of a TCP port, contiguous shards, all_gather_object, and a
queue back to the parent."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
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
    if world_size < 1 or max_new_tokens < 1:
        raise ValueError("world_size and max_new_tokens must be at least 1")
    if len(prompts) < max(world_size, 1):
        raise ValueError(f"need at least {world_size} prompts, got {len(prompts)}")
    if not os.path.isdir(model_path):
        raise FileNotFoundError(model_path)
    context = mp.get_context("fork")
    queue = context.SimpleQueue()
    with tempfile.TemporaryDirectory() as folder:
        rendezvous = f"file://{folder}/rendezvous"
        workers = [
            context.Process(
                target=_run,
                args=(rank, world_size, rendezvous, str(model_path), list(prompts), max_new_tokens, queue),
            )
            for rank in range(world_size)
        ]
        for worker in workers:
            worker.start()
        results = queue.get()  # read before joining: a full pipe would block the sender
        for worker in workers:
            worker.join()
        if any(worker.exitcode != 0 for worker in workers):
            raise RuntimeError(f"a worker failed: exit codes {[w.exitcode for w in workers]}")
    return results


def _run(rank, world_size, rendezvous, model_path, prompts, max_new_tokens, queue) -> None:
    torch.set_num_threads(1)
    try:
        dist.init_process_group(backend="gloo", init_method=rendezvous, rank=rank, world_size=world_size)
        per_rank, extra = divmod(len(prompts), world_size)
        start = rank * per_rank + min(rank, extra)
        stop = start + per_rank + (1 if rank < extra else 0)
        tokenizer = AutoTokenizer.from_pretrained(model_path)
        model = AutoModelForCausalLM.from_pretrained(model_path)
        mine = []
        for prompt in prompts[start:stop]:
            inputs = tokenizer(prompt, return_tensors="pt")
            with torch.no_grad():
                ids = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
            text = tokenizer.decode(ids[0, inputs.input_ids.shape[1] :], skip_special_tokens=True)
            mine.append({"text": text, "rank": rank, "pid": os.getpid()})
        everything: list[Any] = [None] * world_size
        dist.all_gather_object(everything, mine)  # contiguous shards: rank order is prompt order
        if rank == 0:
            queue.put([result for shard in everything for result in shard])
        dist.destroy_process_group()
    except BaseException:
        if rank == 0:
            queue.put(None)  # do not leave the parent waiting
        raise
