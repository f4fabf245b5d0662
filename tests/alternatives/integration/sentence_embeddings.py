"""Alternative: each text encoded alone (no padding at all), F.cosine_similarity by broadcasting,
and (1 - t) * a + t * b."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def sentence_embeddings(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    steps: int = 5,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if not texts or steps < 2:
        raise ValueError(f"need at least one text and steps >= 2, got {len(texts)} texts, steps={steps}")
    mode = model.training
    model.eval()
    with torch.inference_mode():
        rows = [model(**tokenizer(text, return_tensors="pt"))[0][0].mean(dim=0) for text in texts]
    model.train(mode)
    embeddings = torch.stack(rows).clone()  # out of inference mode
    similarities = F.cosine_similarity(embeddings[:, None, :], embeddings[None, :, :], dim=-1)
    t = torch.tensor([i / (steps - 1) for i in range(steps)]).unsqueeze(1)
    path = (1 - t) * embeddings[0] + t * embeddings[-1]
    return embeddings, similarities, path
