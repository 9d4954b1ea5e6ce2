"""ACLED-compatible and HXL-tagged CSV: export incidents (`exporting`), and the row rules to import the same
formats back (`reading`; the import itself runs through the intake machinery: `peaceops.ceasefire.imports`).
Every name stays importable from `peaceops.ceasefire.formats` as before the module became a package (issue 18).

ACLED's column list and codes follow its codebook (31 columns; inter codes 1 state forces … 8 external/other
forces, 0 no actor). Neutrality: the incident's "actor1" is the party *alleged* responsible, and the allegation's
source is stated in the notes; places inside the peacekeeping area carry no country (the export does not settle
sovereignty), places elsewhere carry the country of the gazetteer.
"""

from __future__ import annotations

from peaceops.ceasefire.formats.exporting import (
    ACLED_COLUMNS,
    ACLED_GEO_PRECISION,
    ACLED_REGION,
    ACLED_TIME_PRECISION,
    COUNTRY_ISO,
    EXPORTERS,
    HXL_COLUMNS,
    HXL_SCHEMA,
    INTER_CODES,
    MISSION_ACTOR,
    OUR_ID_PREFIX,
    UNIT_FIELDS,
    _event_id,
    acled_row,
    export_acled,
    export_hxl,
    hxl_row,
    validate_hxl,
)
from peaceops.ceasefire.formats.reading import _acled_fields, _hxl_fields, _known

__all__ = [
    "ACLED_COLUMNS", "ACLED_GEO_PRECISION", "ACLED_REGION", "ACLED_TIME_PRECISION", "COUNTRY_ISO", "EXPORTERS",
    "HXL_COLUMNS", "HXL_SCHEMA", "INTER_CODES", "MISSION_ACTOR", "OUR_ID_PREFIX", "UNIT_FIELDS", "_acled_fields",
    "_event_id", "_hxl_fields", "_known", "acled_row", "export_acled", "export_hxl", "hxl_row", "validate_hxl",
]
