"""Alternative: Body() parameters instead of a request model, an async endpoint that moves the
blocking work to the thread pool with run_in_threadpool, and a text-generation pipeline."""

from typing import Annotated

from fastapi import Body, FastAPI
from starlette.concurrency import run_in_threadpool
from transformers import PreTrainedModel, PreTrainedTokenizerBase, pipeline


def create_generation_app(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    *,
    max_new_tokens: int = 20,
    max_new_tokens_limit: int = 64,
) -> FastAPI:
    if max_new_tokens < 1 or max_new_tokens > max_new_tokens_limit:
        raise ValueError(f"max_new_tokens={max_new_tokens} is outside [1, {max_new_tokens_limit}]")
    generator = pipeline("text-generation", model=model, tokenizer=tokenizer)
    app = FastAPI()

    def complete(prompt: str, length: int) -> str:
        [result] = generator(prompt, max_new_tokens=length, do_sample=False, return_full_text=False)
        return result["generated_text"]

    @app.post("/generate")
    async def generate(
        prompt: Annotated[str, Body(min_length=1)],
        max_new_tokens: Annotated[int, Body(ge=1, le=max_new_tokens_limit)] = max_new_tokens,
    ) -> dict[str, str]:
        return {"text": await run_in_threadpool(complete, prompt, max_new_tokens)}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
