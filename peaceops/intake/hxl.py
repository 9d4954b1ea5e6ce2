"""Writing and checking HXL-tagged CSV: the one writer lives in `peaceops.core.hxl` (every app's export uses it);
these names stay for intake's callers."""

from __future__ import annotations

from peaceops.core.hxl import hxl_text as write_hxl_csv
from peaceops.core.hxl import read_hxl

__all__ = ["read_hxl", "write_hxl_csv"]
