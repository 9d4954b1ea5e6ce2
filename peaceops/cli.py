"""The `peaceops` command: `peaceops demo`, `peaceops serve`, and every management command by name
(`peaceops audit verify`, `peaceops places resolve NAME`, `peaceops scenario load --scale N`, ...)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peaceops.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["peaceops", *(args or ["help"])])


if __name__ == "__main__":
    main()
