"""Level parameters a run sets after sampling u from its data, where the sampled value would count a fact twice
or read it from too few pairs (`engine.run` calls them)."""

from __future__ import annotations

from typing import Any

from peaceops.linkage import model

SWAPPED_LABEL = "matches the other name part (order swapped)"
EXACT_DATE_LABEL, EXACT_DATE_OTHER_GIVEN_LABEL = (
    next(lvl["label_for_charts"] for lvl in model._dob_comparison(model.DUCKDB)["comparison_levels"]
         if lvl["_key"] == key) for key in ("exact", "exact_other_given"))


def exact_date_u_of_the_date(linker: Any) -> None:
    """The exact-date level's u becomes the chance that two strangers share a full date, whatever their given
    names.

    The level is "the same full date and given names that do not differ" (the other case, twins, has a level of
    its own), so its sampled u is the chance of a shared date *and* a given name that agrees: the given name's
    own agreement (~1 %) a second time, which its comparison already counts. Two strangers with one given name
    and one date weighed ~4 bits more than the two facts do. And that joint chance is so small (~2e-7 at 20,000
    records) that a sample of a million pairs sees it once or twice, half of them duplicates: the weight moved
    by a bit from one sample to the next. The date alone (the two levels' sum) is seen tens of times."""
    for comp in linker._settings_obj.comparisons:
        if comp.output_column_name != "birth_date":
            continue
        levels = {lvl.label_for_charts: lvl for lvl in comp.comparison_levels if not lvl.is_null_level}
        exact, other = levels.get(EXACT_DATE_LABEL), levels.get(EXACT_DATE_OTHER_GIVEN_LABEL)
        if exact is not None and other is not None and exact.u_probability and other.u_probability:
            exact.u_probability = exact.u_probability + other.u_probability


def swap_weighs_as_exact(linker: Any) -> None:
    """A name written the other way round weighs as the same name written in the same order.

    Whether a desk writes the surname first, and so whether the parser reads the parts the other way round, is
    the desk's habit: namesakes show it as often as duplicates. What a swap shows is that both names agree. But
    its u, sampled from random pairs, is that of a surname agreeing with a given name *and* a given name with a
    surname by chance (~1e-6), and the swap shows on both name comparisons at once: each side added ~14 bits,
    28 for one name, twice what an exact given name and surname weigh (strangers sharing a common name were
    proposed at 0.99). Each comparison's swapped level therefore takes its exact level's m and u (u as
    estimated for this data)."""
    for comp in linker._settings_obj.comparisons:
        if comp.output_column_name not in ("surname", "given_name"):
            continue
        levels = {lvl.label_for_charts: lvl for lvl in comp.comparison_levels if not lvl.is_null_level}
        exact = next((lvl for lvl in comp.comparison_levels if not lvl.is_null_level), None)
        swapped = levels.get(SWAPPED_LABEL)
        if exact is not None and swapped is not None:
            swapped.m_probability, swapped.u_probability = exact.m_probability, exact.u_probability
