"""Django's PostgreSQL backend with the audit chain's pre-commit step (`peaceops.core.backends`).

With server-side binding (`PEACEOPS_PG_PREPARE_THRESHOLD`, docs/configuration.md) PostgreSQL takes at most 65,535
parameters in one statement, where client-side binding has no such limit. Django 5.2 does not know this (its
bulk_create sends all rows in one INSERT; Django 6.0 sets `max_query_params`, ticket #36822): here it is set, and
bulk inserts and updates are split into batches under it."""

from functools import cached_property

from django.db.backends.postgresql import base, features, operations

from peaceops.core.backends import PendingAuditMixin

SERVER_SIDE_MAX_PARAMS = 2**16 - 1


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self):
        return SERVER_SIDE_MAX_PARAMS if self.uses_server_side_binding else None


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        limit = self.connection.features.max_query_params
        if limit is None or not fields:
            return super().bulk_batch_size(fields, objs)
        return max(1, min(len(objs), limit // len(fields)))


class DatabaseWrapper(PendingAuditMixin, base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
