"""An import leaves Python's collector as it found it: a server's worker keeps the heap `peaceops serve` froze."""

import gc

from peaceops.intake import tabular


def test_an_import_thaws_only_what_it_froze():
    assert gc.get_freeze_count() == 0
    with tabular._long_lived_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_an_import_in_a_process_that_froze_its_heap_leaves_it_frozen():
    gc.freeze()  # as `peaceops serve` does at start-up
    try:
        with tabular._long_lived_frozen():
            pass
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
