"""Hidden checks: export_for_serving."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from pytest_tfkatas.checks.helpers import greedy_continuation
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call
from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS, LLAMA_LONG_PROMPT


def export(kata, tiny, folder, *, generation=None, **settings):
    """Call the kata on a fresh copy of ``tiny`` (its generation_config given these ``generation``
    settings first); return the model, tokenizer, and what was loaded back."""
    __tracebackhide__ = True
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    if tokenizer.pad_token is None:  # GPT-2: like the real checkpoint, no pad id anywhere
        model.generation_config.pad_token_id = None
        model.config.pad_token_id = None
    for setting, value in (generation or {}).items():
        setattr(model.generation_config, setting, value)
    config_before = model.generation_config.to_dict()
    tokenizer_before = (tokenizer.pad_token, tokenizer.padding_side)
    result = kata(model, tokenizer, folder, **settings)
    expect(
        isinstance(result, Path) and result == Path(folder),
        kata,
        got=describe(result),
        expected=f"Path({str(folder)!r})",
        tip="return Path(output_dir).",
    )
    expect(
        model.generation_config.to_dict() == config_before
        and (tokenizer.pad_token, tokenizer.padding_side) == tokenizer_before,
        kata,
        got=f"the caller's generation_config now {model.generation_config.to_diff_dict()}, tokenizer "
        f"(pad_token, padding_side) {(tokenizer.pad_token, tokenizer.padding_side)}",
        expected="the caller's model and tokenizer as they were: change copies (copy.deepcopy)",
    )
    try:
        loaded, loaded_tokenizer = (
            AutoModelForCausalLM.from_pretrained(folder),
            AutoTokenizer.from_pretrained(folder),
        )
    except (OSError, ValueError) as error:
        fail_call(
            kata,
            got=f"from_pretrained({str(folder)!r}) failed: {error}",
            expected="a folder a server can load",
        )
    return model, tokenizer, loaded, loaded_tokenizer


@pytest.mark.parametrize("name", ["gpt2", "llama-sampling"])
def test_plain_generate_on_the_loaded_folder_serves_greedy_with_the_defaults(kata, name, request, tmp_path):
    """GPT-2's tokenizer has no pad token; the llama-sampling model's generation_config samples at
    temperature 1.5 with top_k 0, which greedy serving must leave out."""
    tiny = request.getfixturevalue(f"tiny_{name.replace('-', '_')}")
    model, tokenizer, loaded, loaded_tokenizer = export(kata, tiny, tmp_path / "served", max_new_tokens=9)
    config = loaded.generation_config
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    settings = {
        "max_new_tokens": config.max_new_tokens,
        "do_sample": config.do_sample,
        "pad_token_id": config.pad_token_id,
        "temperature": config.temperature,
        "top_k": config.top_k,
    }
    wanted = {
        "max_new_tokens": 9,
        "do_sample": False,
        "pad_token_id": pad,
        "temperature": None,
        "top_k": None,
    }
    expect(
        settings == wanted,
        kata,
        got=f"a saved generation_config with {settings}",
        expected=f"{wanted}: the serving defaults, sampling settings left out for greedy decoding",
        tip="change a copy of model.generation_config (max_new_tokens, do_sample, pad_token_id), set its "
        "sampling settings to None when do_sample is False, and save it into the folder.",
    )
    for prompt in ("Once upon a time", LLAMA_EOS_PROMPTS[0], LLAMA_LONG_PROMPT):
        inputs = loaded_tokenizer(prompt, return_tensors="pt")
        with torch.no_grad():
            output = loaded.generate(**inputs)  # nothing else: the folder's defaults
        text = loaded_tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        expected = greedy_continuation(model, tokenizer, prompt, 9)
        expect(
            text == expected,
            kata,
            got=f"model.generate(**inputs) on the loaded folder continued {prompt!r} with {text!r}",
            expected=f"{expected!r}: the greedy continuation, 9 new tokens",
        )


def test_a_sampling_export_keeps_the_sampling_settings(kata, tiny_llama_sampling, tmp_path):
    generation = {"top_p": 0.9, "repetition_penalty": 1.2}
    _, _, loaded, _ = export(
        kata, tiny_llama_sampling, tmp_path / "served", generation=generation, do_sample=True
    )
    config = loaded.generation_config
    got = (
        config.do_sample,
        config.temperature,
        config.top_k,
        config.top_p,
        config.repetition_penalty,
        config.max_new_tokens,
    )
    expect(
        got == (True, 1.5, 0, 0.9, 1.2, 64),
        kata,
        got=f"(do_sample, temperature, top_k, top_p, repetition_penalty, max_new_tokens) = {got}",
        expected="(True, 1.5, 0, 0.9, 1.2, 64): sampling, the model's own generation settings (those of a "
        "copy of model.generation_config), 64 new tokens by default",
    )


def test_a_greedy_export_leaves_out_every_sampling_setting_and_keeps_the_others(
    kata, tiny_llama_sampling, tmp_path
):
    """One new token (the smallest allowed), a str folder two levels down, top_p and min_p beside
    temperature and top_k, and repetition_penalty, which greedy decoding also reads."""
    generation = {"top_p": 0.9, "min_p": 0.1, "repetition_penalty": 1.2}
    folder = str(tmp_path / "exports" / "served")
    _, _, loaded, _ = export(kata, tiny_llama_sampling, folder, generation=generation, max_new_tokens=1)
    config = loaded.generation_config
    names = ("do_sample", "max_new_tokens", "temperature", "top_k", "top_p", "min_p", "repetition_penalty")
    got = {name: getattr(config, name) for name in names}
    wanted = dict(zip(names, (False, 1, None, None, None, None, 1.2), strict=True))
    expect(
        got == wanted,
        kata,
        got=f"a saved generation_config with {got}",
        expected=f"{wanted}: every sampling setting left out, the model's other settings kept",
        tip="start from a copy of model.generation_config and set all of its sampling settings "
        "(temperature, top_k, top_p, min_p, typical_p, ...) to None.",
    )


@pytest.mark.parametrize("name", ["gpt2", "llama"])
def test_the_saved_tokenizer_pads_a_batch_that_generates_as_prompts_alone(kata, name, request, tmp_path):
    tiny = request.getfixturevalue(f"tiny_{name}")
    model, tokenizer, loaded, loaded_tokenizer = export(kata, tiny, tmp_path / "served", max_new_tokens=5)
    pad = tokenizer.pad_token or tokenizer.eos_token
    expect(
        loaded_tokenizer.pad_token == pad,
        kata,
        got=f"a saved tokenizer with pad_token={loaded_tokenizer.pad_token!r}",
        expected=f"pad_token={pad!r}" + ("" if tokenizer.pad_token else ", its end-of-sequence token"),
        tip="give a copy of the tokenizer (copy.deepcopy) a pad token before saving it.",
    )
    prompts = ["Hi", LLAMA_LONG_PROMPT]
    batch = loaded_tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")
    with torch.no_grad():
        output = loaded.generate(**batch)
    texts = loaded_tokenizer.batch_decode(output[:, batch["input_ids"].shape[1] :], skip_special_tokens=True)
    expected = [greedy_continuation(model, tokenizer, prompt, 5) for prompt in prompts]
    expect(
        texts == expected,
        kata,
        got=f"a batch served as {texts!r}",
        expected=f"{expected!r}: each prompt continued as on its own",
    )


@pytest.mark.parametrize("bad", ["zero tokens", "a file"])
def test_bad_arguments_raise_value_error_before_writing(kata, tiny_gpt2, tmp_path, bad):
    model, tokenizer = tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
    if bad == "a file":
        target = tmp_path / "served"
        target.write_text("a file\n", encoding="utf-8")
        expect_raises(
            kata, ValueError, model, tokenizer, target, because="output_dir is a file, not a folder"
        )
    else:
        target = tmp_path / "served"
        expect_raises(
            kata,
            ValueError,
            model,
            tokenizer,
            target,
            max_new_tokens=0,
            because="max_new_tokens must be at least 1",
        )
    written = sorted(path.name for path in tmp_path.iterdir())
    expect(
        written == (["served"] if bad == "a file" else []),
        kata,
        got=f"files in the folder: {written}",
        expected="nothing written for a refused call",
        tip="check the arguments before saving anything.",
    )
