"""Alternative: the path walked one point at a time with torch.lerp from an explicit zero baseline,
under torch.enable_grad, the gradients added up in a running total; the mode restored at the end."""

from __future__ import annotations

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def integrated_gradients(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    target: int,
    *,
    steps: int = 50,
) -> tuple[list[str], torch.Tensor, float]:
    if target < 0 or target >= model.config.num_labels or steps <= 0:
        raise ValueError("bad target or steps")
    encoding = tokenizer(text, return_tensors="pt")
    mode = model.training
    model.eval()
    x = model.get_input_embeddings()(encoding.input_ids).detach()
    baseline = torch.zeros_like(x)
    total = torch.zeros_like(x)
    with torch.enable_grad():
        for k in range(steps):
            point = torch.lerp(baseline, x, (k + 0.5) / steps).requires_grad_(True)
            total += torch.autograd.grad(model(inputs_embeds=point).logits[0, target], point)[0]
    with torch.no_grad():
        change = model(inputs_embeds=x).logits[0, target] - model(inputs_embeds=baseline).logits[0, target]
    model.train(mode)
    attributions = ((x - baseline) * total / steps).sum(-1).squeeze(0)
    tokens = tokenizer.convert_ids_to_tokens(encoding.input_ids[0].tolist())
    return tokens, attributions, (attributions.sum() - change).abs().item()
