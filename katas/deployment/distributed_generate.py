"""Kata: scale inference across processes with torch.distributed (seed question 87).

Run the checks with:  pytest --katas distributed_generate
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
    """Share ``prompts`` among ``world_size`` CPU processes that generate in parallel.

    Start ``world_size`` processes that form a torch.distributed group on the ``gloo`` backend
    (CPU), meeting at a free port on 127.0.0.1. Each process loads the model and tokenizer from
    ``model_path``, takes its share of the prompts (the shares differ in size by one at most),
    and continues them greedily (``do_sample=False``). The results are gathered from all the
    processes, and the function returns once every process has finished.

    Args:
        model_path: a local folder holding a causal language model and its tokenizer (the checks
            pass a tiny GPT-2, whose tokenizer has no pad token).
        prompts: the texts to continue, at least ``world_size`` of them.
        world_size: how many processes to start.
        max_new_tokens: how many tokens to generate at most for each prompt.

    Returns:
        One dict per prompt, in the order of the prompts: ``{"text": the continuation (new
        tokens only, without special tokens), "rank": the rank of the process that generated it,
        "pid": that process's os.getpid()}``. Each text equals what greedy generation of that
        prompt gives in a single process.

    Raises:
        ValueError: if ``world_size`` is less than 1, ``prompts`` is empty or shorter than
            ``world_size``, or ``max_new_tokens`` is less than 1 — before starting any process.
        FileNotFoundError: if ``model_path`` is not a folder — before starting any process.
    """
    # TODO: validate, start the processes, and return the gathered results in the prompts' order.
    raise NotImplementedError
