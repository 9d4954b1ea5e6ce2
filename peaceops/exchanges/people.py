from django.db.models import Q

from peaceops.core.models import Person

# Exchange officers see the persons of case files, party lists, handovers and tracing matches — not the
# household registry (tracing searches it through its own service and shows matches to the officer only).
PERSON_SCOPES = [(
    "exchanges.view_cases",
    lambda: Person.objects.filter(
        Q(detention_cases__isnull=False) | Q(missing_cases__isnull=False) | Q(remains_cases__isnull=False)
        | Q(handovers__isnull=False) | Q(list_entries__isnull=False)
    ).values("pk"),
)]
