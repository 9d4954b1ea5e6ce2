"""The comparison levels' labels as an officer reads them, in the interface language.

The engine stores each reason's level by its English label (learning and the quality page read them back as
keys), so a label is translated where it is shown, never where it is stored. Every label the model and the
household step can give is listed here for makemessages; `tests/linkage/test_level_labels.py` fails when a
level is added without one."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

# In a context of their own ("missing", "same", "exact" mean other things elsewhere in the catalogue),
# written out in each call, as makemessages reads it only there.
LABELS = {
    "exact": pgettext_lazy("comparison level", "exact"),
    "exact (after transliteration)": pgettext_lazy("comparison level", "exact (after transliteration)"),
    "same name symbol (cross-script)": pgettext_lazy("comparison level", "same name symbol (cross-script)"),
    "same name symbol or phonetic skeleton":
        pgettext_lazy("comparison level", "same name symbol or phonetic skeleton"),
    "same phonetic skeleton": pgettext_lazy("comparison level", "same phonetic skeleton"),
    "similar spelling (Jaro-Winkler ≥ 0.92)":
        pgettext_lazy("comparison level", "similar spelling (Jaro-Winkler ≥ 0.92)"),
    "similar spelling (Jaro-Winkler ≥ 0.88)":
        pgettext_lazy("comparison level", "similar spelling (Jaro-Winkler ≥ 0.88)"),
    "similar (Jaro-Winkler ≥ 0.9)": pgettext_lazy("comparison level", "similar (Jaro-Winkler ≥ 0.9)"),
    "similar (Jaro-Winkler ≥ 0.88)": pgettext_lazy("comparison level", "similar (Jaro-Winkler ≥ 0.88)"),
    "loosely similar (Jaro-Winkler ≥ 0.80)":
        pgettext_lazy("comparison level", "loosely similar (Jaro-Winkler ≥ 0.80)"),
    "matches the other name part (order swapped)":
        pgettext_lazy("comparison level", "matches the other name part (order swapped)"),
    "one letter different": pgettext_lazy("comparison level", "one letter different"),
    "within two edits": pgettext_lazy("comparison level", "within two edits"),
    "clearly different": pgettext_lazy("comparison level", "clearly different"),
    "different": pgettext_lazy("comparison level", "different"),
    "missing": pgettext_lazy("comparison level", "missing"),
    "same": pgettext_lazy("comparison level", "same"),
    "same place (aliases resolved)": pgettext_lazy("comparison level", "same place (aliases resolved)"),
    "exact date": pgettext_lazy("comparison level", "exact date"),
    "exact date, but another given name (twins?)":
        pgettext_lazy("comparison level", "exact date, but another given name (twins?)"),
    "agrees as far as both are known (partial date)":
        pgettext_lazy("comparison level", "agrees as far as both are known (partial date)"),
    "day and month transposed": pgettext_lazy("comparison level", "day and month transposed"),
    "one digit different": pgettext_lazy("comparison level", "one digit different"),
    "same year and month or day": pgettext_lazy("comparison level", "same year and month or day"),
    "same day and month, year differs": pgettext_lazy("comparison level", "same day and month, year differs"),
    "same year only": pgettext_lazy("comparison level", "same year only"),
    "within a year (near)": pgettext_lazy("comparison level", "within a year (near)"),
    "another full date within a year": pgettext_lazy("comparison level", "another full date within a year"),
    "2 to 5 years apart": pgettext_lazy("comparison level", "2 to 5 years apart"),
    "another full date 2 to 5 years apart":
        pgettext_lazy("comparison level", "another full date 2 to 5 years apart"),
    "more than 5 years apart": pgettext_lazy("comparison level", "more than 5 years apart"),
    "another full date more than 5 years apart":
        pgettext_lazy("comparison level", "another full date more than 5 years apart"),
    "same household": pgettext_lazy("comparison level", "same household"),
    "a co-member in common": pgettext_lazy("comparison level", "a co-member in common"),
    "co-members on both sides, none in common":
        pgettext_lazy("comparison level", "co-members on both sides, none in common"),
    "no co-members on one side": pgettext_lazy("comparison level", "no co-members on one side"),
}


def translated(label: str) -> str:
    """A stored level label in the reader's language (one not listed, from an older release, as stored)."""
    return str(LABELS[label]) if label in LABELS else label
