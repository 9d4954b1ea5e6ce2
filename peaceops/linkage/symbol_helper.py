"""rigour's name symbols looked up in a separate interpreter, started as soon as a large input arrives.

rigour's name tables take ~7 s to load, holding the interpreter lock, and new non-Latin names cost ~0.1 ms each;
run beside the caller, that work overlaps the parsing of names on the other core. A fresh interpreter rather than
a fork: a fork copies whatever the caller holds (server threads, DuckDB's or a JVM's), and a forked child's
garbage collector has crashed on such a heap inside rigour. Rather than multiprocessing's spawn too, which
imports the caller's main script again and fails on scripts without a main guard.

Protocol: the caller writes a pickled token set to a file and sends its path on one line; the helper answers
with one line, the path of a pickled {token: symbols} file beside it, or an empty line on failure.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

from peaceops.linkage.names import load_name_tables, symbols_of


class SymbolHelper:
    """The caller's side: `start()` at once, `look_up()` without waiting, `symbols_of()` when they are needed."""

    def __init__(self) -> None:
        import peaceops

        self._dir = tempfile.TemporaryDirectory(prefix="peaceops-symbols-")
        package_root = str(Path(peaceops.__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH"))
                                                             if p)}
        self._proc = subprocess.Popen([sys.executable, "-m", "peaceops.linkage.symbol_helper"], env=env,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._asked = 0
        self._pending: set[str] | None = None  # handed over, answer not read yet
        self._last: set[str] = set()  # the latest request, worked out here if the helper fails

    @classmethod
    def start(cls) -> SymbolHelper | None:
        """A running helper, or None where no Python interpreter can be started (the caller looks up itself)."""
        try:
            return cls()
        except OSError:
            return None

    def look_up(self, tokens: set[str]) -> None:
        """Hand the tokens over; the answer is read by `symbols_of`."""
        self._pending = tokens
        self._send(tokens)

    def symbols_of(self, tokens: set[str]) -> dict[str, frozenset[str]]:
        found = self._receive() if self._pending is not None else {}
        missing = tokens - found.keys()  # fathers derived from patronymics, names from split columns
        if missing:
            self._send(missing)
            found.update(self._receive())
        return {t: found[t] for t in tokens}

    def _send(self, tokens: set[str]) -> None:
        self._asked += 1
        path = Path(self._dir.name) / f"ask-{self._asked}.pickle"
        path.write_bytes(pickle.dumps(tokens, protocol=pickle.HIGHEST_PROTOCOL))
        self._last = tokens
        try:
            self._proc.stdin.write(f"{path}\n")  # type: ignore[union-attr]
            self._proc.stdin.flush()  # type: ignore[union-attr]
        except OSError:
            pass  # the helper is gone: _receive works the answer out here

    def _receive(self) -> dict[str, frozenset[str]]:
        answer = self._proc.stdout.readline().strip()  # type: ignore[union-attr]
        self._pending = None
        if answer:
            return pickle.loads(Path(answer).read_bytes())
        return symbols_of(self._last)  # the helper failed: slower, same answer

    def close(self) -> None:
        try:
            self._proc.stdin.close()  # type: ignore[union-attr]
            self._proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self._proc.kill()
        self._dir.cleanup()


def main() -> None:
    load_name_tables()
    for line in sys.stdin:
        path = Path(line.strip())
        try:
            found = symbols_of(pickle.loads(path.read_bytes()))
            out = path.with_name(path.stem + "-answer.pickle")
            out.write_bytes(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
            print(out, flush=True)
        except Exception as exc:  # noqa: BLE001 - the caller falls back to its own lookup
            print(f"symbol helper: {exc}", file=sys.stderr)
            print("", flush=True)


if __name__ == "__main__":
    main()
