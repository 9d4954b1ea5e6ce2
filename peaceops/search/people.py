"""How the core's people page finds a name (peaceops.core.views.people collects `NAME_SEARCH`)."""

from peaceops.search.paging import NamePaginator
from peaceops.search.services import PERSON, search

# Identity records by any name in any script, through the person keys; `also` finds a record as well (a UUID).
NAME_SEARCH = [lambda persons, query, also=None: search(persons, PERSON, query, also=also)]
# Its pages: exact count up to a cap ("more than"), ranked from the keys (peaceops.search.paging).
NAME_PAGINATOR = [NamePaginator]
