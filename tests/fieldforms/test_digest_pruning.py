"""The content digest's pruning (`services._pruned`) written in one pass: the same values as the comprehension it
replaced, for any nesting of leaves, groups and repeats; and the collector left as it was by an import's read."""

from __future__ import annotations

import gc

from hypothesis import given
from hypothesis import strategies as st

from peaceops.fieldforms import exports, services


def _pruned_before(node):
    if isinstance(node, dict):
        kept = {k: _pruned_before(v) for k, v in node.items()}
        return {k: v for k, v in kept.items() if v not in ("", {}, [])}
    if isinstance(node, list):
        return [item for item in (_pruned_before(i) for i in node) if item not in ("", {}, [])]
    return node.strip() if isinstance(node, str) else node


leaves = st.one_of(st.sampled_from(["", " ", " a ", "b", "\t"]), st.text(max_size=4), st.none(), st.integers(0, 2))
values = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=3), inner, max_size=3)),
                      max_leaves=12)


@given(values)
def test_pruning_is_what_it_was(value):
    assert services._pruned(value) == _pruned_before(value)


def test_reading_an_export_pauses_the_collector_and_gives_it_back_as_it_was():
    assert gc.isenabled()
    with exports._collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with exports._collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a process that turned it off keeps it off
    finally:
        gc.enable()
