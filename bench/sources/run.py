"""Open-source reports benchmark: how fast reports are read and their claims extracted, and how well, on a
labelled set written apart from the reports the rules were developed on (tests/sources/reports.py).

    python -m bench.sources.run [--reports 1000]

Speed: 1,000 generated reports (English and Russian, wire, bulletin and statement styles) through the whole
`reading.read` (decode, metadata, dateline, language, sentences, numbers, dates, rules, places, speakers),
against a baseline measured in the same run on the same texts: sentence splitting alone (pysbd), the floor
under any pipeline that reads sentence by sentence. Quality: precision and recall of the claims of
bench/sources/labelled/ (a claim counts when kind, value, qualifier, period and as-of date all match; also
on kind and value alone). Figures go to the "## Open sources" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peaceops.settings")
django.setup()

from peaceops.scenario.gazetteer_data import ALL_PLACES  # noqa: E402
from peaceops.sources.extraction import PlaceIndex  # noqa: E402
from peaceops.sources.extraction.sentences import sentences  # noqa: E402
from peaceops.sources.services.reading import read  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parents[0] / "RESULTS.md"
PERIOD = (dt.date(2020, 11, 10), dt.date(2020, 12, 31))
EN_MONTHS = ["November", "December"]
RU_MONTHS = ["ноября", "декабря"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
RU_WEEKDAYS = ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"]


def gazetteer() -> PlaceIndex:
    """The demo gazetteer's names without a database."""
    names = {}
    for pk, (name, _kind, _parent, _lat, _lon, _pop, aliases) in enumerate(ALL_PLACES.values(), 1):
        names[name] = (pk, name)
        for spellings in aliases.values():
            for alias in spellings:
                names[alias] = (pk, name)
    return PlaceIndex(names)


def generate(count: int, seed: int = 13) -> list[tuple[str, bytes, dt.date]]:
    rng = random.Random(seed)
    reports = []
    for n in range(count):
        day = dt.date(2020, 11, 14) + dt.timedelta(days=rng.randrange(45))
        daily, total = rng.randrange(300, 2200), rng.randrange(5, 50) * 1000
        buses, violations = rng.randrange(8, 50), rng.randrange(0, 6)
        place = rng.choice(["Stepanakert", "Martuni", "Hadrut", "Shusha", "Askeran"])
        style = n % 4
        if style == 0:
            text = (f"Title: Returns continue\nOutlet: Wire {n % 7}\n\nMOSCOW, {EN_MONTHS[day.month - 11]} {day.day}. "
                    f"/Wire/. About {daily:,} refugees returned to {place} on {WEEKDAYS[day.weekday()]} in {buses} "
                    f"buses, the Defence Ministry spokesman said. In total, more than {total:,} people have returned "
                    f"since November 14, he added.\nThe convoys travelled through Goris and the Lachin corridor.\n")
        elif style == 1:
            text = (f"Title: Бюллетень\n\nСТЕПАНАКЕРТ, {day.day} {RU_MONTHS[day.month - 11]}. За прошедшие сутки в "
                    f"Нагорный Карабах вернулись {daily} человек, всего с 14 ноября — более {total // 1000} тыс. "
                    f"Миротворцы несут службу на 23 наблюдательных постах. Колонны сопровождали {buses} автобусов.\n")
        elif style == 2:
            text = (f"Published: {day.isoformat()}\n\nThe Defence Ministry of the Azerbaijani side said the ceasefire "
                    f"was violated {violations} times near {place} on {WEEKDAYS[(day.weekday() - 1) % 7]}. "
                    f"{rng.randrange(1, 4)} servicemen were wounded, the ministry added.\n")
        else:
            text = (f"Published: {day.isoformat()}\n\nПо данным штаба миротворческого контингента, в "
                    f"{RU_WEEKDAYS[(day.weekday() - 1) % 7]} в {place if place != 'Shusha' else 'Шушу'} вернулись "
                    f"{daily} человек. Поисковые группы обнаружили останки {rng.randrange(3, 40)} военнослужащих.\n")
        reports.append((f"r{n}.txt", text.encode("utf-8"), day))
    return reports


def speed(count: int) -> dict:
    places = gazetteer()
    reports = generate(count)
    read(reports[0][1], "warm.txt", places=places, period=PERIOD)  # load models and caches once
    started = time.perf_counter()
    claims = sum(len(read(data, name, places=places, period=PERIOD).extraction.claims)
                 for name, data, _day in reports)
    full = time.perf_counter() - started
    started = time.perf_counter()
    for _name, data, _day in reports:
        sentences(data.decode("utf-8"), "ru" if b"\xd0" in data[:400] else "en")
    split = time.perf_counter() - started
    return {"reports": count, "claims": claims, "seconds": full, "per_second": count / full,
            "claims_per_second": claims / full, "split_per_second": count / split}


def quality(folder: str) -> dict:
    places = gazetteer()
    labels = json.loads((HERE / folder / "labels.json").read_text())
    strict = {"tp": 0, "fp": 0, "fn": 0}
    loose = {"tp": 0, "fp": 0, "fn": 0}
    misses = []
    for name, expected in sorted(labels.items()):
        data = (HERE / folder / name).read_bytes()
        got = read(data, name, places=places, period=PERIOD).extraction.claims
        for key_of, tally in ((lambda c: (c["kind"], c["value"], c["qualifier"], c["period"], c["as_of"]), strict),
                              (lambda c: (c["kind"], c["value"]), loose)):
            want = [key_of(c) for c in expected]
            have = [key_of(c.as_json()) for c in got]
            for item in have:
                if item in want:
                    want.remove(item)
                    tally["tp"] += 1
                else:
                    tally["fp"] += 1
                    if tally is strict:
                        misses.append(f"{name}: extra {item}")
            tally["fn"] += len(want)
            if tally is strict:
                misses.extend(f"{name}: missed {item}" for item in want)

    def pr(t):
        precision = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
        recall = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 0.0
        return precision, recall

    return {"reports": len(labels), "claims": sum(len(v) for v in labels.values()), "strict": pr(strict),
            "loose": pr(loose), "misses": misses}


def _table(result: dict) -> str:
    sp, sr = result["strict"]
    lp, lr = result["loose"]
    return ("| match on | precision | recall |\n|---|---:|---:|\n"
            f"| kind, value, qualifier, period and as-of date | {sp:.2f} | {sr:.2f} |\n"
            f"| kind and value | {lp:.2f} | {lr:.2f} |\n")


def write(results: dict, labelled: dict, heldout: dict) -> None:
    load = os.getloadavg()
    misses = "\n".join(f"- {m}" for m in heldout["misses"]) or "- none"
    section = (
        "## Open sources\n\n"
        f"`python -m bench.sources.run` on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (a shared machine), "
        f"{dt.date.today().isoformat()}.\n\n"
        f"Reading {results['reports']:,} generated reports (four styles, English and Russian) through the whole "
        "pipeline, nothing written:\n\n"
        "| what | reports per second | ratio |\n|---|---:|---:|\n"
        f"| sentence splitting alone (pysbd; baseline) | {results['split_per_second']:,.0f} | "
        f"{results['split_per_second'] / results['per_second']:.1f}× faster |\n"
        f"| **`reading.read`: decode, metadata, dateline, language, sentences, numbers, dates, rules, places, "
        f"speakers** | **{results['per_second']:,.0f}** ({results['seconds']:.1f} s, "
        f"{results['claims_per_second']:,.0f} claims/s, {results['claims']:,} claims) | 1× |\n\n"
        "Extraction quality. A claim counts when every field listed matches its label. Two labelled sets, both "
        "written apart from the development reports in tests/sources:\n\n"
        f"**Held-out** (`bench/sources/heldout/`, {heldout['reports']} reports, {heldout['claims']} claims), "
        "written after the rules were last changed and never used to change them:\n\n"
        + _table(heldout) +
        f"\n**First labelled set** (`bench/sources/labelled/`, {labelled['reports']} reports, "
        f"{labelled['claims']} claims). Its first run measured precision 0.86 and recall 0.69 (strict; 0.93 and "
        "0.75 on kind and value); its misses then showed general gaps (verbs such as “went back”, collective "
        "numerals such as «трое», “of which 135”, a day named after “said”), which were fixed, so it no longer "
        "measures generalisation:\n\n"
        + _table(labelled) +
        f"\nWhat the strict match missed or added on the held-out set:\n\n{misses}\n"
    )
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    if "## Open sources" in text:
        head, _sep, rest = text.partition("## Open sources")
        tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
        text = head + section + tail
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    labelled, heldout = quality("labelled"), quality("heldout")
    results = speed(args.reports)
    print(json.dumps({**results, "labelled": [labelled["strict"], labelled["loose"]],
                      "heldout": [heldout["strict"], heldout["loose"]]}, indent=1))
    for miss in labelled["misses"] + heldout["misses"]:
        print(miss)
    if not args.no_write:
        write(results, labelled, heldout)


if __name__ == "__main__":
    main()
