"""Guards around every check of a kata run: what a learner's misbehaving code may not do to the run.

(Being written for issue 7: time limits, captured-output truncation, zoo integrity.)
"""

from __future__ import annotations

import pytest


class Guard:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
