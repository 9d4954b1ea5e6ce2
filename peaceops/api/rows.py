"""List pages built from column values: the serializer's JSON without a model instance per row.

A list page of 50 records with their related rows spent most of its CPU making model instances (and prefetching
into them) and walking DRF's fields value by value; under 50 concurrent clients on two cores that CPU is the
whole latency budget. A list endpoint that opts in pages over ids only, reads the columns its serializer shows
with `values()`, and converts each value with the serializer's own field (`to_representation`), so dates,
decimals and choices come out exactly as the serializer writes them. Fields that are not a plain column or a
foreign key's id are computed by the endpoint's row builder; a serializer field this module cannot map makes the
plan None, and the endpoint falls back to the serializer (its tests pin that the fast path is in use)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from rest_framework import mixins, relations, serializers
from rest_framework.response import Response


@dataclass(frozen=True)
class Column:
    name: str  # the key in the JSON row
    attname: str  # the column values() reads
    convert: Callable | None  # the serializer field's to_representation; None: the stored id as it is


@dataclass(frozen=True)
class Plan:
    order: tuple[str, ...]  # the serializer's readable fields, in its order
    columns: tuple[Column, ...]

    @property
    def attnames(self) -> list[str]:
        return [c.attname for c in self.columns]

    def row(self, values: dict, computed: dict) -> dict:
        """One JSON row: the plain columns converted as the serializer would, the computed fields beside them."""
        out = dict(computed)
        for column in self.columns:
            value = values[column.attname]
            out[column.name] = value if value is None or column.convert is None else column.convert(value)
        return {name: out[name] for name in self.order}


_OPAQUE = (relations.ManyRelatedField, serializers.BaseSerializer, serializers.SerializerMethodField,
           serializers.ReadOnlyField, serializers.HiddenField)


def column_plan(serializer: serializers.Serializer, computed: Iterable[str]) -> Plan | None:
    """The plan for `serializer`'s readable fields, those in `computed` left to the caller; None when a field is
    neither a column of the model nor a foreign key's id shown as such."""
    model = serializer.Meta.model
    computed = set(computed)
    order, columns = [], []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        order.append(name)
        if name in computed:
            continue
        if isinstance(field, _OPAQUE) or field.source == "*" or "." in field.source:
            return None
        try:
            model_field = model._meta.get_field(field.source)
        except FieldDoesNotExist:
            return None
        if isinstance(field, relations.PrimaryKeyRelatedField):
            if not model_field.many_to_one or field.pk_field is not None:
                return None
            columns.append(Column(name, model_field.attname, None))
        elif isinstance(field, relations.RelatedField) or model_field.is_relation:
            return None
        else:
            columns.append(Column(name, model_field.attname, field.to_representation))
    if not computed <= set(order):
        return None  # a computed field the serializer no longer shows: the builder is out of date
    return Plan(tuple(order), tuple(columns))


def page_ids(view, queryset) -> list | None:
    """The ids of the records on the requested page (filters, ordering and pagination as the view applies them),
    or None when the filtered result is not a queryset (then the caller pages the records themselves)."""
    if not isinstance(queryset, QuerySet):
        return None
    ids = queryset.select_related(None).prefetch_related(None).values_list("pk", flat=True)
    page = view.paginate_queryset(ids)
    return list(page if page is not None else ids)


def in_order(ids: list, rows: Iterable[dict], key: str = "id") -> list[dict]:
    by_id = {row[key]: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


class RowBuilder:
    """A list endpoint's row builder: `plans()` makes its plans once per process (None when the serializer shows
    a field the builder does not know), `build(plans, ids)` reads the rows of `ids` in any order. Called with the
    ids of a page it gives their rows in that order, or None: the caller serializes instead."""

    def __init__(self, plans: Callable[[], object | None], build: Callable[[object, list], Iterable[dict]]):
        self._plans = cache(plans)
        self._build = build
        self.__doc__ = build.__doc__

    def available(self) -> bool:
        return self._plans() is not None

    def __call__(self, ids: list) -> list[dict] | None:
        plans = self._plans()
        if plans is None:
            return None
        if not ids:
            return []
        return in_order(ids, self._build(plans, ids))


def row_builder(plans: Callable[[], object | None]) -> Callable[[Callable], RowBuilder]:
    """`@row_builder(plans)` over `build(plans, ids)`: the builder of one list endpoint (see RowBuilder)."""
    return lambda build: RowBuilder(plans, build)


class RowsListMixin(mixins.ListModelMixin):
    """A list endpoint whose page is built by `list_rows(ids)` (a builder of this module's kind: the rows of
    those ids in that order, or None to fall back to the serializer). Filters, ordering and pagination are the
    view's own (`page_ids`). Stands after an audited base, so the rows it returns are the ones audited.

    A ListModelMixin itself, so that named after a viewset that already lists (`AuditedReadViewSet`) it still
    comes before DRF's list in the method order; as a plain mixin it came after it, and was never called."""

    list_rows: Callable[[list], list[dict] | None] = None

    def list(self, request, *args, **kwargs):
        ids = page_ids(self, self.filter_queryset(self.get_queryset()))
        data = self.list_rows(ids) if ids is not None else None
        if data is None:
            return super().list(request, *args, **kwargs)
        return self.get_paginated_response(data) if self.paginator is not None else Response(data)
