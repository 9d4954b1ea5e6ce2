"""Search keys for names in any script: a derived index, rebuilt from the names at any time."""

from __future__ import annotations

from django.db import models


class NameKey(models.Model):
    """One key of one name-bearing record: `f` + a name part's Latin match form, or `k` + its phonetic skeleton.

    `scope` says which table `record_id` points into (a person, a party-list entry, a tracing request); there is
    no foreign key, so one table serves them all and a key row is replaced, never versioned."""

    AUDITED = False  # a cache of the names, which are audited themselves

    scope = models.CharField(max_length=12)
    key = models.CharField(max_length=64)
    record_id = models.BigIntegerField()

    class Meta:
        indexes = [
            # A query is one range or equality probe per name part: (scope, key) leads, record_id is covered.
            models.Index(fields=["scope", "key", "record_id"], name="namekey_lookup"),
            # Every part but the most selective is checked on the records that one found, by record and key;
            # re-indexing a record deletes its keys by this index too.
            models.Index(fields=["scope", "record_id", "key"], name="namekey_record"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.record_id}:{self.key}"
