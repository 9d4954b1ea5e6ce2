"""`peaceops link lists LEFT.csv RIGHT.csv --out PAIRS.csv` and `peaceops link dedupe FILE.csv --out PAIRS.csv`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from peaceops.linkage import csvio
from peaceops.linkage.engine import DEFAULT_THRESHOLD, dedupe, link


class Command(BaseCommand):
    help = "Propose record pairs that are the same person (across lists, or within one list)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="mode", required=True)
        lists = sub.add_parser("lists", help="link two lists")
        lists.add_argument("left")
        lists.add_argument("right")
        dedupe = sub.add_parser("dedupe", help="find duplicates within one list")
        dedupe.add_argument("file")
        learn = sub.add_parser("learn", help="re-estimate m from officers' decisions and put the result in use")
        learn.add_argument("--min-labels", type=int, default=None,
                           help="confirmed proposals needed (default PEACEOPS_LINKAGE_MIN_LABELS)")
        learn.add_argument("--shipped", action="store_true", help="go back to the shipped model instead")
        sub.add_parser("quality", help="precision and recall of past proposals against officers' decisions")
        job = sub.add_parser("job", help="run a matching job of the app (registry, reconciliation, tracing)")
        job.add_argument("kind")
        job.add_argument("--left-list", type=int)
        job.add_argument("--right-list", type=int)
        job.add_argument("--queue", action="store_true", help="leave it to the background worker")
        for p in (lists, dedupe):
            p.add_argument("--out", required=True, help="CSV of proposed pairs")
            p.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                           help=f"minimum match probability (default {DEFAULT_THRESHOLD})")
            p.add_argument("--explain", action="store_true", help="add the per-field explanation column")
            p.add_argument("--backend", choices=["duckdb", "spark"], default=None,
                           help="default: PEACEOPS_LINKAGE_BACKEND (duckdb)")

    def _read(self, path: str) -> list[dict]:
        try:
            result = csvio.read_records(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        for line in csvio.summarise_errors(result.errors):
            self.stderr.write(line)
        if result.fatal:
            raise CommandError(f"{path}: cannot be linked (see above)")
        for line in csvio.summarise_errors(result.warnings, what="warnings"):
            self.stderr.write(f"warning: {line}")
        if result.errors or result.warnings:
            self.stderr.write(f"{path}: {len(result.records)} rows kept ({len(result.warnings)} with a field read in "
                              f"part or left unknown), {len(result.errors)} refused (no usable name or id)")
        return result.records

    def _learn(self, opts: dict) -> None:
        from peaceops.linkage import learning, store

        if opts["shipped"]:
            store.use_shipped(None)
            self.stdout.write("the shipped model is in use")
            return
        try:
            version, learnt = learning.learn_and_activate(None, opts["min_labels"])
        except learning.NotEnoughLabels as exc:
            raise CommandError(str(exc)) from None
        for note in learnt.notes:
            self.stdout.write(f"model: {note}")
        self.stdout.write(f"model version {version.pk} in use ({learnt.labels})")

    def _job(self, opts: dict) -> None:
        from peaceops.linkage import jobs

        arguments = {k: opts[f"{k}"] for k in ("left_list", "right_list") if opts.get(k)}
        try:
            if opts["queue"]:
                job = jobs.start(opts["kind"], None, arguments)
                self.stdout.write(f"job {job.pk} queued on {job.backend}; `peaceops worker` runs it")
                return
            from peaceops.linkage import config
            from peaceops.linkage.models import LinkageJob

            if opts["kind"] not in jobs.jobs():
                raise CommandError(f"unknown job {opts['kind']!r}: one of {', '.join(jobs.jobs())}")
            job = jobs.run(LinkageJob.objects.create(kind=opts["kind"], arguments=arguments,
                                                     backend=config.backend()))
        except (ValueError, LookupError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"job {job.pk} {job.status} on {job.backend}: {job.summary}")

    def _quality(self) -> None:
        from peaceops.linkage import quality
        from peaceops.linkage.sources import sources

        def pct(x: float | None) -> str:
            return "—" if x is None else f"{100 * x:.0f} %"

        for source in sources():
            q = quality.measure(source)
            self.stdout.write(f"{q.title}: {q.proposed} proposed, {q.confirmed} confirmed, {q.rejected} rejected, "
                              f"precision {pct(q.precision)}")
            for b in q.bands:
                self.stdout.write(f"  {b.low:.2f}–{b.high:.2f}: {b.proposed} proposed, {b.confirmed} confirmed, "
                                  f"{b.rejected} rejected, precision {pct(b.precision)}, recall from here up "
                                  f"{pct(b.recall)}")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["mode"] == "quality":
            return self._quality()
        if opts["mode"] == "learn":
            return self._learn(opts)
        if opts["mode"] == "job":
            return self._job(opts)
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      transient=True) as bar:
            task = bar.add_task("reading", total=None)

            def progress(msg: str) -> None:
                bar.update(task, description=msg)

            if opts["mode"] == "lists":
                left, right = self._read(opts["left"]), self._read(opts["right"])
                progress("normalising names")
                result = link(left, right, threshold=opts["threshold"], backend=opts["backend"],
                              progress=progress, explain=opts["explain"])
            else:
                records = self._read(opts["file"])
                progress("normalising names")
                result = dedupe(records, threshold=opts["threshold"], backend=opts["backend"],
                                progress=progress, explain=opts["explain"])
            progress("writing")
            n = csvio.write_pairs(opts["out"], result.proposals, explain=opts["explain"])
        for note in result.notes:
            self.stdout.write(f"model: {note}")
        self.stdout.write(f"{n} proposed pairs written to {opts['out']} (a human confirms each)")
