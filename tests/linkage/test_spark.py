"""The Spark backend runs the same settings in local mode and agrees with DuckDB on a fixed dataset."""

import pytest

from .fixtures import DEDUPE, DEDUPE_PAIRS, LEFT, RIGHT, TRUE_PAIRS

pyspark = pytest.importorskip("pyspark")  # the only reason to skip: the `spark` extra is not installed


@pytest.mark.slow
def test_spark_backend_links_and_dedupes_like_duckdb() -> None:
    from peaceops.linkage.engine import dedupe_records, link_records

    spark_props = link_records(LEFT, RIGHT, backend="spark")
    duck_props = link_records(LEFT, RIGHT, backend="duckdb")
    assert {(p.left_id, p.right_id) for p in spark_props} == TRUE_PAIRS
    by_pair = {(p.left_id, p.right_id): p.probability for p in duck_props}
    for p in spark_props:
        assert p.probability == pytest.approx(by_pair[(p.left_id, p.right_id)], abs=1e-6)
        assert [e.field for e in p.explanation][:2] == ["surname", "given_name"]
    dd = dedupe_records(DEDUPE, backend="spark")
    assert {tuple(sorted((p.left_id, p.right_id))) for p in dd} == DEDUPE_PAIRS
