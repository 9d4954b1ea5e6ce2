"""Migrations that add a uniqueness constraint first look for rows that already break it.

They never pick a survivor themselves (two households with one reference may be two families, and nothing about
a person is deleted): the migration stops, naming every duplicate, and says how to resolve them; run it again
once they are resolved."""

from __future__ import annotations

from django.db.models import Count, Q


class DuplicatesFound(RuntimeError):
    pass


def refuse_duplicates(app_label: str, model_name: str, fields: tuple[str, ...], skip_blank: str = "",
                      advice: str = ""):
    """A RunPython function that fails, naming the duplicates, when rows share `fields`."""

    def check(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        rows = model._base_manager.all()
        if skip_blank:
            rows = rows.exclude(Q(**{skip_blank: ""}) | Q(**{f"{skip_blank}__isnull": True}))
        groups = rows.values(*fields).annotate(n=Count("pk")).filter(n__gt=1).order_by(*fields)
        problems = []
        for group in groups[:200]:
            key = {f: group[f] for f in fields}
            ids = sorted(rows.filter(**key).values_list("pk", flat=True))
            problems.append(f"  {', '.join(f'{k}={v!r}' for k, v in key.items())}: ids {', '.join(map(str, ids))}")
        if problems:
            raise DuplicatesFound(
                f"Cannot make {app_label}.{model_name} ({', '.join(fields)}) unique: {len(groups)} value(s) are "
                f"shared by several rows:\n" + "\n".join(problems) + f"\n{advice}\nNothing was changed; resolve "
                "these and run `peaceops migrate` again.")

    return check
