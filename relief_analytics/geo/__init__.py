"""Offline geography: reference of communes/EPCI/départements and commune resolution.

Modules (see ``docs/geographie.md``)::

    reference        load_reference(region_code="84") -> GeoReference (read once, cached)
    normalize        commune name keys, INSEE and postal code normalisation
    resolve          resolve_communes(frame, reference=…) -> frame + resolved commune and notes

Counts on resolved communes live in :mod:`relief_analytics.indicators.distribution`, maps in
:mod:`relief_analytics.figures.maps`; the reference is rebuilt by ``scripts/build_reference.py``
(build-only code, never imported at run time).
"""

from relief_analytics.geo.reference import DEFAULT_REGION_CODE, GeoReference, load_reference
from relief_analytics.geo.resolve import resolve_communes

__all__ = ["DEFAULT_REGION_CODE", "GeoReference", "load_reference", "resolve_communes"]
