"""A builder of the demo world with the label `scenario load` shows while it runs (an app's `BUILDERS` may list
plain functions too: they are shown by their app's name)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Labelled:
    label: str
    build: Callable[[Any], None]

    def __call__(self, world) -> None:
        self.build(world)
