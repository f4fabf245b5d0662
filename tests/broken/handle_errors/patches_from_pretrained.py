"""A learner's handle_errors that also puts its decorator on AutoModelForCausalLM.from_pretrained,
"so that every failed load of the application is logged": a monkeypatch of the library for the
whole program, one layer more at every call."""

import functools
import logging

from transformers import AutoModelForCausalLM


def handle_errors(logger):
    if not isinstance(logger, logging.Logger):
        raise TypeError("handle_errors takes a logging.Logger: write @handle_errors(logger)")

    def decorator(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:
                logger.exception("%s failed", function.__qualname__)
                raise

        return wrapper

    AutoModelForCausalLM.from_pretrained = decorator(AutoModelForCausalLM.from_pretrained)  # <- here
    return decorator
