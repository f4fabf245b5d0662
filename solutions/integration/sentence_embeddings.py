"""Reference solution: sentence_embeddings (miscellaneous seed question 3)."""

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
    if len(texts) == 0:
        raise ValueError("texts is empty: there is nothing to embed")
    if steps < 2:
        raise ValueError(f"steps must be at least 2 (the path's two ends), got {steps}")
    # right padding: BERT's positions count from the first token, left padding would shift them
    batch = tokenizer(list(texts), padding=True, padding_side="right", return_tensors="pt")
    was_training = model.training
    model.eval()  # no dropout: the same text always gets the same embedding
    try:
        with torch.no_grad():
            hidden = model(**batch).last_hidden_state  # (texts, tokens, hidden)
    finally:
        model.train(was_training)
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)  # 0 on padding
    embeddings = (hidden * mask).sum(dim=1) / mask.sum(dim=1)
    unit = F.normalize(embeddings, dim=-1)
    similarities = unit @ unit.T
    weights = torch.linspace(0, 1, steps, dtype=embeddings.dtype).unsqueeze(-1)
    path = torch.lerp(embeddings[0], embeddings[-1], weights)  # exact at both ends
    return embeddings, similarities, path
