"""The importers' « hors région » line agrees with the resolver: unknown is not outside.

A postal code of no département of France is kept (the resolver lists it as « inconnu »); a
name alone borne in the region and elsewhere is reported with the region's candidates.
"""

from __future__ import annotations

import pandas as pd

from relief_analytics.geo.reference import load_reference
from relief_analytics.geo.resolve import resolve_communes
from relief_analytics.importers.lieux import UNDETERMINED, classify_region


def _rows(**columns):
    size = len(next(iter(columns.values())))
    base = {"commune_code": [None] * size, "postal_code": [None] * size, "commune_name": [None] * size,
            "latitude": [None] * size, "longitude": [None] * size}
    return pd.DataFrame({**base, **columns}, dtype=object)


def test_a_postal_code_that_exists_nowhere_is_unknown_not_outside():
    reference = load_reference("84")
    rows = _rows(postal_code=["99999", "00000", "33000"])
    assert classify_region(rows, reference=reference).tolist() == [
        None, None, "code postal 33000 (département 33), hors région"]
    resolved = resolve_communes(rows, reference=reference)
    assert resolved["resolution_note"].tolist() == [
        "code postal 99999 inconnu", "code postal 00000 inconnu", "code postal 33000 hors région (département 33)"]
    assert resolved["resolution_status"].tolist() == ["non résolue", "non résolue", "hors région"]


def test_a_name_alone_in_the_region_and_elsewhere_names_the_regions_candidates():
    reasons = classify_region(_rows(commune_name=["Valence", "Beaulieu"]), reference=load_reference("84"))
    assert reasons[0] == (
        f"{UNDETERMINED}commune « Valence » : à préciser parmi les communes de la région : Valence (26, 26362) "
        "(nom porté aussi hors région, département 16, 82) ; ajoutez le code postal ou le code INSEE")
    assert reasons[1].startswith(
        f"{UNDETERMINED}commune « Beaulieu » : à préciser parmi les communes de la région : Beaulieu (07, 07028) ; "
        "Beaulieu (15, 15020) ; Beaulieu (38, 38033) ; Beaulieu (43, 43021) ; Beaulieu (63, 63031) (nom porté "
        "aussi hors région, département ")
