"""Name search benchmark: `python -m bench.search.run [--people 1000000] [--via import|bulk] [--database-url URL]`.

Builds its own database (SQLite in a temporary directory unless `--database-url` names a PostgreSQL one):
the core world and N synthetic people registered as households — 60 % written in Armenian script, 25 % in
Cyrillic (Russian order), 15 % in Azerbaijani Latin — through the bulk registration import (`--via import`:
`tabular.run_import` of registration CSVs, chunk by chunk, with validation, history and audit) or the scenario's
plain inserts (`--via bulk`: the same keys written by `search.services.index`). Then times the people page's
search — matching ids, the count (up to 1,000), the first page of 50 with their names, ranked — for queries typed in another
script or spelling than the one stored (the findings of issue 15), against the old `icontains` scan in the same
run on the same data. Writes the `## Search` section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peaceops.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def name_pools(seed: int) -> dict[str, dict[str, list[str]]]:
    """Given names and surnames by script and sex, from Faker's regional name lists (synthetic people only)."""
    from faker import Faker

    pools = {}
    for script, locale in (("hy", "hy_AM"), ("cyrl", "ru_RU"), ("az", "az_AZ")):
        fake = Faker(locale)
        fake.seed_instance(seed)
        pool = {}
        for sex, suffix in (("M", "male"), ("F", "female")):
            surname = getattr(fake, f"last_name_{suffix}", fake.last_name)
            pool["given" + sex] = sorted({getattr(fake, f"first_name_{suffix}")() for _ in range(3000)})
            pool["surname" + sex] = sorted({surname() for _ in range(6000)})
        pools[script] = pool
    return pools


def people(count: int, seed: int):
    """(household reference, name as written, sex, birth year, script) — households of 1–5 people sharing a surname."""
    rng = random.Random(seed)
    pools = name_pools(seed)
    made, household = 0, 0
    while made < count:
        household += 1
        script = rng.choices(("hy", "cyrl", "az"), weights=(60, 25, 15))[0]
        pool = pools[script]
        size = min(rng.choice((1, 2, 3, 4, 5)), count - made)
        family = rng.randrange(10_000)
        for i in range(size):
            sex = "M" if (i == 0) == (rng.random() < 0.7) else "F"
            surnames = pool["surname" + sex]
            surname, given = surnames[family % len(surnames)], rng.choice(pool["given" + sex])
            name = f"{surname} {given}" if script == "cyrl" else f"{given} {surname}"
            yield f"B-{household:07d}", name, sex, rng.randint(1935, 2018), script
            made += 1


def build(count: int, via: str, seed: int) -> float:
    from django.core.management import call_command
    from django.db import connection, transaction

    from peaceops.core.models import Person, PersonName
    from peaceops.returns.fastload import insert_rows
    from peaceops.scenario import world as scenario
    from peaceops.search import services

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    world = scenario.load_core()
    start = time.perf_counter()
    rows = list(people(count, seed))
    chunk = 50_000
    for first in range(0, len(rows), chunk):
        part = rows[first:first + chunk]
        if via == "import":
            from peaceops.intake import tabular
            from peaceops.returns.imports import REGISTRATION_SPEC

            text = "household,name,sex,birth_date,destination\n" + "".join(
                f"{ref},{name},{sex},{year},Stepanakert\n" for ref, name, sex, year, _s in part)
            batch = tabular.run_import(REGISTRATION_SPEC, text.encode(), f"bench-{first}.csv", None)
            assert batch.rows_quarantined == 0, batch.rows_quarantined
        else:
            with transaction.atomic():
                persons = Person.objects.bulk_create([Person(sex=sex, birth_year=year)
                                                      for _r, _n, sex, year, _s in part], batch_size=5000)
                insert_rows(PersonName, ["person", "full_name", "script", "is_primary", "written_by", "match_key",
                                         "given", "patronymic", "surname"],
                            ((p.pk, name, "", True, "bench", "", "", "", "")
                             for p, (_r, name, *_x) in zip(persons, part, strict=True)))
                services.index(services.PERSON, ((p.pk, r[1]) for p, r in zip(persons, part, strict=True)),
                               replace=False)
                _households_and_cases(world, persons, part, first, seed)
        done = first + len(part)
        print(f"  {done:,} people, {time.perf_counter() - start:,.0f} s", flush=True)
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM too, as autovacuum would soon after a load: index-only scans need the visibility map.
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    return time.perf_counter() - start


def _households_and_cases(world, persons, part, first: int, seed: int) -> None:
    """The registry's households (`--via bulk`): one per household reference, the first person its head; 12 %
    vulnerable, registered over two years, most waiting; and a missing-person case for one person in twenty (the
    case lists' search at scale). A household is never split across chunks of 50,000 (the last one may be)."""
    import datetime as dt

    from peaceops.exchanges.models import MissingCase
    from peaceops.returns.fastload import insert_rows
    from peaceops.returns.models import Household, HouseholdMember, HouseholdState

    rng = random.Random(f"{seed} households {first}")
    groups: dict[str, list] = {}
    for person, (ref, *_rest) in zip(persons, part, strict=True):
        groups.setdefault(ref, []).append(person)
    places = list(world.places.values())
    day0 = dt.date(2019, 1, 1)
    states = [HouseholdState.WAITING] * 8 + [HouseholdState.RETURNED] * 2
    households = Household.objects.bulk_create([
        Household(head=members[0], destination=rng.choice(places), size=len(members), reference=f"{ref}.{first}",
                  is_vulnerable=rng.random() < 0.12, registered_on=day0 + dt.timedelta(days=rng.randrange(730)),
                  state=rng.choice(states)) for ref, members in groups.items()], batch_size=5000)
    insert_rows(HouseholdMember, ["household", "person", "relationship", "needs", "seat_needs"],
                ((h.pk, p.pk, "head" if i == 0 else "", [], []) for h, members in zip(households, groups.values(),
                                                                                    strict=True)
                 for i, p in enumerate(members)))
    MissingCase.objects.bulk_create([
        MissingCase(person=p, reported_by="bench", reported_on=day0 + dt.timedelta(days=rng.randrange(730)))
        for p in persons if rng.random() < 0.05], batch_size=5000)


def queries(sample: int, seed: int) -> list[tuple[str, str, int]]:
    """(kind, query, person id sought): each person's name as another script or clerk would type it."""
    from peaceops.core.models import PersonName
    from peaceops.search.display import transliterate

    rng = random.Random(seed + 1)
    top = PersonName.objects.order_by("-id").values_list("id", flat=True).first()
    out: list[tuple[str, str, int]] = []
    while len(out) < sample:
        row = PersonName.objects.filter(id__gte=rng.randint(1, top)).order_by("id").values_list(
            "person_id", "full_name").first()
        if row is None:
            continue
        person_id, name = row
        latin = transliterate(name, "latn") or name
        cyrillic = transliterate(name, "cyrl") or name
        other = rng.choice([latin, cyrillic]) if latin != name and cyrillic != name else (
            latin if latin != name else cyrillic)
        surname = max(other.split(), key=len)
        kind = ("full name, other script", "surname, other script", "surname prefix, other script")[len(out) % 3]
        query = {0: other, 1: surname, 2: surname[:5]}[len(out) % 3]
        out.append((kind, query, person_id))
    return out


def page_new(query: str, paginator=None):
    """The people page's work (peaceops.core.views.people): the search, its paginator, the first page of 50."""
    from peaceops.core.models import Person
    from peaceops.search.paging import NamePaginator
    from peaceops.search.services import PERSON, search

    found = search(Person.objects.current().prefetch_related("names").order_by("-id"), PERSON, query)
    page = (paginator or NamePaginator)(found, 50).get_page(1)
    return page.paginator.count, [p.pk for p in page.object_list]


def page_before(query: str):
    """The people page before the paginator (issue 15's first search): every match ranked and counted."""
    from django.core.paginator import Paginator

    return page_new(query, Paginator)


def page_old(query: str):
    from django.core.paginator import Paginator

    from peaceops.core.models import Person

    found = (Person.objects.current().prefetch_related("names").order_by("-id")
             .filter(names__full_name__icontains=query).distinct())
    page = Paginator(found, 50).get_page(1)
    return page.paginator.count, [p.pk for p in page.object_list]


def _list_page(app: str, query: str, before: bool = False):
    """The household list (`app` "returns") or the missing-person case list ("exchanges") for `query`, through
    the view itself (its queryset, paginator, audit of the rows listed, template) as its officer opens it; with
    `before`, through Django's plain Paginator as the page was before it paged from the key index."""
    from unittest import mock

    from django.contrib.auth.models import User
    from django.core.paginator import Paginator
    from django.test import RequestFactory

    from peaceops.exchanges.views import cases
    from peaceops.returns.views import households

    module, view, params, kwargs, user = {
        "returns": (households, households.household_list, {"state": ""}, {}, "returns_officer"),
        "exchanges": (cases, cases.case_list, {}, {"kind": "missing"}, "exchange_officer")}[app]
    request = RequestFactory().get("/", {"q": query, **params})
    request.user = _users.get(user) or _users.setdefault(user, User.objects.get(username=user))
    request.LANGUAGE_CODE = "en"
    request.user.is_verified = lambda: True  # as after the one-time code (django_otp's middleware sets it)
    request.session = {}
    with mock.patch.object(module, "NamePaginator", Paginator) if before else contextlib.nullcontext():
        response = view(request, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.count(b"<tr>") - 1, []


_users: dict = {}


def households_new(query: str):
    return _list_page("returns", query)


def households_before(query: str):
    return _list_page("returns", query, before=True)


def cases_new(query: str):
    return _list_page("exchanges", query)


def cases_before(query: str):
    return _list_page("exchanges", query, before=True)


LIST_PAGES = {"household list": (households_new, households_before),
              "missing-person case list": (cases_new, cases_before)}


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(fn, qs) -> dict:
    from peaceops.core.models import Person
    from peaceops.search.services import PERSON, search

    times, found, matches, each = [], 0, [], []
    for kind, query, person_id in qs:
        start = time.perf_counter()
        count, _ids = fn(query)
        times.append((time.perf_counter() - start) * 1000)
        matches.append(count)
        each.append((times[-1], kind, query, count))
        # Recall: is the person sought among the matches (outside the timing)?
        if fn in (page_new, page_before):
            found += search(Person.objects.current(), PERSON, query, rank=False).filter(pk=person_id).exists()
        elif fn is page_old:
            found += Person.objects.filter(pk=person_id, names__full_name__icontains=query).exists()
    return {"n": len(times), "p50": statistics.median(times), "p95": _p(times, 0.95), "max": max(times),
            "recall": found / len(times), "matches": statistics.median(matches),
            "slowest": sorted(each, reverse=True)}


def explain(query: str) -> None:
    """EXPLAIN ANALYZE of the statements the people page runs for `query` (PostgreSQL; SQLite: the plan)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page_new(query)
    for statement in captured.captured_queries:
        sql = statement["sql"]
        print(f"--- {float(statement['time']) * 1000:.1f} ms: {sql[:3000]}")
        with connection.cursor() as cursor:
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("   ", *row)


def write(info: dict, new: dict, old: dict, by_kind: dict) -> None:
    lines = [
        "## Search", "",
        f"`python -m bench.search.run --people {info['people']} --via {info['via']}`, {info['when']}, "
        f"CPython {platform.python_version()}, 2 cores (shared; load average {info['load']}), "
        f"database {info['vendor']}.", "",
        f"- Data: {info['people']:,} synthetic people in households (60 % Armenian script, 25 % Cyrillic, 15 % "
        f"Azerbaijani Latin; Faker's regional name lists), registered through "
        f"{'the bulk registration import (`tabular.run_import`)' if info['via'] == 'import' else 'plain inserts (the scenario path) with `search.services.index`'}"
        f" in {info['build']:,.0f} s{' (an earlier run of this command; the queries were timed again on its database)' if info['reused'] else ''}; {info['keys']:,} name keys.",
        f"- Queries: {new['n']} people picked at random, each typed in another script than stored (Armenian → "
        "Latin passport spelling or Cyrillic, Cyrillic → Latin, Azerbaijani → Cyrillic): a third full names, a "
        "third surnames only, a third the surname's first five letters. Timed: the people page's work — match, "
        "count (exact up to 1,000, then \"more than\": `search.paging.NamePaginator`), first page of 50 ranked, "
        "with their names.", "",
        "| search | queries | p50 | p95 | max | median matches | person sought found | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| old: `names__full_name__icontains` scan (baseline) | {old['n']} | {old['p50']:,.1f} ms | "
        f"{old['p95']:,.1f} ms | {old['max']:,.1f} ms | {old['matches']:,.0f} | {old['recall']:.0%} | |",
        f"| **name keys (PeaceOps)** | {new['n']} | {new['p50']:,.1f} ms | **{new['p95']:,.1f} ms** | "
        f"{new['max']:,.1f} ms | {new['matches']:,.0f} | {new['recall']:.0%} | p95 < 200 ms: "
        f"{'met' if new['p95'] < 200 else 'not met'} |",
        "", "By kind of query (name keys):", "",
        "| query | p50 | p95 | median matches | found |", "|---|---:|---:|---:|---:|",
        *[f"| {kind} | {r['p50']:,.1f} ms | {r['p95']:,.1f} ms | {r['matches']:,.0f} | {r['recall']:.0%} |"
          for kind, r in by_kind.items()],
        "", f"The baseline runs the first {old['n']} of the same queries (a scan costs seconds each); it finds almost "
        "no one because the query is in another script — the finding this fixes. Speed-up of p95: "
        f"{old['p95'] / new['p95']:,.0f}×.", "", "",
    ]
    section = "\n".join(lines)
    text = RESULTS.read_text(encoding="utf-8")
    if "## Search\n" in text:
        head, rest = text.split("## Search\n", 1)
        following = rest.find("\n## ")
        text = head + section + (rest[following + 1:] if following >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--via", choices=["import", "bulk"], default="import")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--baseline-queries", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file in a temporary directory")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--reuse-build", type=float, default=None, metavar="SECONDS",
                        help="time the queries on the registry an earlier run built (--database-url), whose build "
                        "took SECONDS")
    parser.add_argument("--slowest", type=int, default=0, metavar="N",
                        help="print the N slowest queries (and EXPLAIN ANALYZE the slowest with --explain)")
    parser.add_argument("--before", action="store_true",
                        help="also time the same queries through a plain Paginator (the page before NamePaginator)")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--lists", nargs="?", const="all", choices=["all", "household list", "missing-person case list"],
                        help="also time the household list's and the missing-person case list's search (their views)")
    parser.add_argument("--skip-people", action="store_true", help="do not time the people page (with --lists)")
    parser.add_argument("--no-write", action="store_true", help="print, do not update bench/RESULTS.md")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-search-")
    _setup(args.database_url or f"sqlite:///{tmp}/search.sqlite3")
    import datetime as dt

    from django.db import connection

    from peaceops.core.context import acting_as
    from peaceops.search.models import NameKey

    if args.reuse_build is None:
        with acting_as("system:bench"):
            print(f"building {args.people:,} people via {args.via} on {connection.vendor} ...", flush=True)
            took = build(args.people, args.via, args.seed)
    else:  # the database of an earlier run, given with --database-url, and that run's build time
        took = args.reuse_build
    qs = queries(args.queries, args.seed)
    lists = {}
    if args.lists:  # the household and case lists, new and (with --before) old, through their views
        for name, (new_fn, before_fn) in LIST_PAGES.items():
            if args.lists not in ("all", name):
                continue
            new_fn(qs[0][1])
            lists[name] = {"new": measure(new_fn, qs)}
            if args.before:
                lists[name]["before"] = measure(before_fn, qs)
            for label, row in lists[name].items():
                slow = row.pop("slowest")
                print(name, label, [f"{ms:.0f} ms {query}" for ms, _k, query, _c in slow[:args.slowest]])
            print(name, lists[name], f"load {os.getloadavg()[0]:.1f}", flush=True)
    if args.skip_people:
        return
    page_new(qs[0][1])  # warm the caches of the process (rigour-free: the keys need no name tables)
    new = measure(page_new, qs)
    by_kind = {}
    for kind in dict.fromkeys(k for k, _q, _p in qs):
        by_kind[kind] = measure(page_new, [q for q in qs if q[0] == kind])
    old = measure(page_old, qs[:args.baseline_queries])
    before = measure(page_before, qs) if args.before else None
    info = {"people": args.people, "via": args.via, "build": took, "reused": args.reuse_build is not None, "keys": NameKey.objects.count(),
            "vendor": connection.vendor, "load": f"{os.getloadavg()[0]:.1f}",
            "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    slowest = new.pop("slowest")
    for row in by_kind.values():
        row.pop("slowest")
    old.pop("slowest")
    if before:
        before.pop("slowest")
    print(info, "\nnew", new, "\nold", old, "\nbefore (plain Paginator)", before, "\n", by_kind)
    for ms, kind, query, count in slowest[:args.slowest]:
        print(f"  {ms:7.1f} ms  {count:7,}  {kind}: {query}")
    if args.explain:
        for _ms, _kind, query, _count in slowest[:max(1, min(args.slowest, 3))]:
            print(f"=== {query}")
            explain(query)
    if not args.no_write:
        write(info, new, old, by_kind)


if __name__ == "__main__":
    main()
