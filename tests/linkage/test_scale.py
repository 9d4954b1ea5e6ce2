"""Scale path: the synthetic registry's known duplicates, DuckDB's bounded memory, large-input blocking, and
the scale benchmark's own helpers (peak memory, one date format for plain Splink, RESULTS subsection)."""

import re

import pytest

from peaceops.linkage import engine, model
from peaceops.linkage.prepare import Schema
from peaceops.linkage.synthetic import generate_registrations


@pytest.fixture(scope="module")
def registry():
    return generate_registrations(3_000, seed=11)


def test_registrations_have_the_requested_size_and_unique_ids(registry) -> None:
    rows, _ = registry
    assert len(rows) == 3_000
    assert len({r["id"] for r in rows}) == 3_000


def test_known_duplicates_are_two_registrations_of_one_person(registry) -> None:
    rows, truth = registry
    by_id = {r["id"]: r for r in rows}
    assert truth, "a registry without duplicates benchmarks nothing"
    for a, b in truth:
        assert a < b and a in by_id and b in by_id
        assert a[:-1] == b[:-1] and (a[-1], b[-1]) == ("a", "b")  # same person number
        assert by_id[a]["sex"] == by_id[b]["sex"]
    # Siblings ("...s") share a surname and father but are never a true pair.
    assert not any(x.endswith("s") for pair in truth for x in pair)
    assert any(r["id"].endswith("s") for r in rows)
    # About a quarter of people registered twice: ~0.19 true pairs per record.
    assert 0.15 < len(truth) / len(rows) < 0.23


def test_registrations_are_reproducible_from_the_seed(registry) -> None:
    assert generate_registrations(3_000, seed=11) == registry
    assert generate_registrations(3_000, seed=12)[0] != registry[0]


def test_duckdb_connection_honours_memory_threads_and_spill_directory(tmp_path) -> None:
    con = engine.duckdb_connection(memory_limit="1GB", threads=1, temp_directory=str(tmp_path))
    setting = lambda name: con.execute(f"SELECT current_setting('{name}')").fetchone()[0]  # noqa: E731
    assert setting("threads") == 1
    assert setting("temp_directory") == str(tmp_path)
    assert re.match(r"(953\.6 MiB|1\.0 GiB|1000\.0 MB|1 GB)", str(setting("memory_limit")))
    assert setting("preserve_insertion_order") is False


def test_duckdb_connection_defaults_bound_memory_and_read_the_settings(settings) -> None:
    settings.PEACEOPS_LINKAGE_MEMORY = ""
    default = engine.duckdb_connection().execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert "GiB" in default and float(default.split()[0]) <= 4.0
    settings.PEACEOPS_LINKAGE_MEMORY = "512MB"  # from the environment variable of that name, checked at start-up
    small = engine.duckdb_connection().execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert "MiB" in small and float(small.split()[0]) < 512


def test_engine_scores_through_the_bounded_connection(monkeypatch, settings, registry) -> None:
    """The engine's DuckDB runs under the configured limit (the setting reaches the connection it uses)."""
    seen = []
    real = engine.duckdb_connection

    def spy(*args, **kwargs):
        con = real(*args, **kwargs)
        seen.append(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])
        return con

    settings.PEACEOPS_LINKAGE_MEMORY = "700MB"
    monkeypatch.setattr(engine, "duckdb_connection", spy)
    rows, truth = registry
    props = engine.dedupe_records(rows[:400], explain=False)
    assert seen and "MiB" in seen[0]
    found = {tuple(sorted((p.left_id, p.right_id))) for p in props}
    assert found & truth  # it still finds duplicates


FULL = Schema(has_father=True, has_dob=True, has_place=True, has_sex=True, extras=())


def _keys(rule) -> str:
    return rule.get_blocking_rule("duckdb").blocking_rule_sql


def test_large_inputs_block_on_selective_keys_only() -> None:
    small = [_keys(r) for r in model.prediction_blocking_rules(FULL, True, 10_000)]
    large = [_keys(r) for r in model.prediction_blocking_rules(FULL, True, 1_000_000)]
    assert small != large
    # Year-wide or date-only keys produce tens of millions of pairs at a million records.
    for sql in large:
        assert sql.count("=") >= 2, sql
        assert not re.fullmatch(r'\(?l\."?surname_sk"? = r\."?surname_sk"?\)? AND \(?l\."?dob_y"? = r\."?dob_y"?\)?',
                                sql), sql
    # The name skeleton never blocks alone (5 M pairs at 1M): always with the year, the place or the father.
    name_rules = [s for s in large if "name_sk_key" in s]
    assert name_rules and all(any(k in s for k in ("dob_y", "place", "father_sk")) for s in name_rules)
    assert any("name_sk_key" in s and "place" in s for s in large)  # a year that is off: same name and place
    assert any("dob_d" in s and "place" in s for s in large)  # date and place only for full dates


def test_large_inputs_without_place_or_father_keep_the_name_with_sex_alone() -> None:
    """Nothing else would bring an estimated birth year (1960 against 1961-05-02) together."""
    dated = Schema(has_father=False, has_dob=True, has_place=False, has_sex=True, extras=())
    large = [_keys(r) for r in model.prediction_blocking_rules(dated, True, 1_000_000)]
    assert any("name_sk_key" in s and "sex" in s and "dob" not in s for s in large)


def test_large_input_rules_without_sex_or_dates_still_block_on_names() -> None:
    bare = Schema(has_father=False, has_dob=False, has_place=False, has_sex=False, extras=())
    large = [_keys(r) for r in model.prediction_blocking_rules(bare, True, 1_000_000)]
    assert any("name_sk_key" in s for s in large)
    assert all("dob" not in s for s in large)


def test_plain_splink_dates_get_one_format() -> None:
    from bench.linkage.baselines import _iso_date

    assert _iso_date("25.03.1948") == "1948-03-25"
    assert _iso_date("1948-03-25") == "1948-03-25"
    assert _iso_date("1948") == "1948"  # a bare year still agrees with itself
    assert _iso_date("--03-25") is None and _iso_date("") is None and _iso_date(None) is None


def test_peak_memory_restarts_and_then_tracks_this_process() -> None:
    from bench.linkage import run

    if not run._reset_peak():
        pytest.skip("kernel without clear_refs peak reset")
    base = run._rss_gb("VmRSS")
    assert run._rss_gb("VmHWM") < base + 0.05  # the earlier tests' peak is forgotten
    block = bytearray(200 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page so it is resident
    assert run._rss_gb("VmHWM") >= base + 0.15
    del block


def test_scale_only_run_replaces_just_the_scale_subsection(tmp_path, monkeypatch) -> None:
    from bench.linkage import run

    results = tmp_path / "RESULTS.md"
    results.write_text("# R\n\n## Linkage\n\nintro\n\n### Public\n\npub table\n\n### Scale: dedupe 5\n\nold\n\n"
                       "## Ceasefire\n\ncf\n", encoding="utf-8")
    monkeypatch.setattr(run, "RESULTS", results)
    run.write_results("### Scale: dedupe 1,000,000 registrations\n\nnew table\n", subsection="Scale")
    text = results.read_text(encoding="utf-8")
    assert "pub table" in text and "new table" in text and "## Ceasefire\n\ncf" in text
    assert "old" not in text and text.count("### Scale") == 1
