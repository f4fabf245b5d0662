"""Decoy for create_generation_app: the endpoint strips the prompt before tokenizing it, so the model continues another text than the one sent.

caught_by: test_the_prompt_is_generated_as_given
"""

# No `from __future__ import annotations` here: FastAPI reads the endpoints' annotations at run
# time, and a string annotation cannot see the request model defined inside the factory.

import torch
from fastapi import FastAPI
from pydantic import BaseModel, Field
from transformers import PreTrainedModel, PreTrainedTokenizerBase


class GenerateResponse(BaseModel):
    text: str


def create_generation_app(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    *,
    max_new_tokens: int = 20,
    max_new_tokens_limit: int = 64,
) -> FastAPI:
    if not 1 <= max_new_tokens <= max_new_tokens_limit:
        raise ValueError(
            f"max_new_tokens must be between 1 and max_new_tokens_limit ({max_new_tokens_limit}), "
            f"got {max_new_tokens}"
        )

    # The JSON body. A bare `prompt: str` parameter would be a *query* parameter; a pydantic
    # model is read from the body, and pydantic answers 422 for anything that does not fit.
    default, limit = max_new_tokens, max_new_tokens_limit  # (a class body cannot see a name it assigns)

    class GenerateRequest(BaseModel):
        prompt: str = Field(min_length=1)
        max_new_tokens: int = Field(default=default, ge=1, le=limit)

    model.eval()
    app = FastAPI(title="Text generation")

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # A plain `def`, not `async def`: generate() blocks for the whole generation, so FastAPI
    # must run it in its thread pool. Inside `async def` it would freeze the event loop, and
    # every other request (even /health) would wait for it.
    @app.post("/generate")
    def generate(request: GenerateRequest) -> GenerateResponse:
        inputs = tokenizer(request.prompt.strip(), return_tensors="pt")  # MISTAKE: the prompt as sent
        with torch.no_grad():
            outputs = model.generate(
                **inputs,
                max_new_tokens=request.max_new_tokens,
                do_sample=False,
            )
        new_tokens = outputs[0, inputs["input_ids"].shape[1] :]
        return GenerateResponse(text=tokenizer.decode(new_tokens, skip_special_tokens=True))

    return app
