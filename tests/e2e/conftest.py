"""Build the whole report set once on the bundled sample data, into a temporary folder.

The expected figures are recomputed here straight from the raw sample files with the ``csv``
module (not with the package's loaders), so a loader or indicator bug cannot hide itself.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from e2e_helpers import SAMPLE, YEAR, checksums, number, read_raw

from relief_analytics.report.build import build_reports
from relief_analytics.report.pdf import find_browser


@pytest.fixture(scope="session")
def raw_expectations() -> dict:
    """Totals of YEAR computed from the raw files."""
    adhesions = read_raw("adhesions_helloasso.csv")
    valid = [r for r in adhesions if r["Statut de la commande"] == "Validé" and r["Date de la commande"][6:10] == str(YEAR)]
    events = [r for r in read_raw("evenements.csv") if r["debut"][6:10] == str(YEAR)]
    contributions = [r for r in read_raw("contributions.csv", "cp1252") if r["date"][6:10] == str(YEAR)]
    volunteer_hours = sum(number(r["heures"]) for r in contributions if number(r["retribution_eur"]) == 0)
    budget = [r for r in read_raw("budget.csv") if r["annee"] == str(YEAR)]
    return {
        "adhesions_total_eur": sum(number(r["Montant tarif"]) for r in valid),
        "members": len({r["Email payeur"].lower() if r["Type d'adhérent"] == "Personne physique" else r["Raison sociale"] for r in valid}),
        "events": len(events),
        "participants": sum(int(r["participants"]) for r in events if r["participants"]),
        "volunteer_hours": volunteer_hours,
        "budget": budget,
    }


@pytest.fixture(scope="session")
def personal_values() -> set[str]:
    """Every name, e-mail and phone of a person found in the raw sample files."""
    people: set[tuple[str, str]] = set()
    values: set[str] = set()
    for row in read_raw("adhesions_helloasso.csv"):
        people.add((row["Prénom adhérent"], row["Nom adhérent"]))
        people.add((row["Prénom payeur"], row["Nom payeur"]))
        values.update({row["Email payeur"], row["Téléphone"]})
    for name, encoding in (("contributions.csv", "cp1252"), ("gouvernance.csv", "utf-8-sig")):
        for row in read_raw(name, encoding):
            people.add((row["prenom"], row["nom"]))
            values.add(row["email"])
    # A lone first or last name also spells ordinary words and places ("Blanc" in Mont-Blanc,
    # "Pierre" in Saint-Pierre): a person is identified by the full name, either way round.
    for first, last in people:
        values.update({f"{first} {last}", f"{last} {first}", f"{last.upper()} {first}"})
    return {v for v in values if v and v.strip()}


@pytest.fixture(scope="session")
def browser():
    return find_browser(None)


@pytest.fixture(scope="session")
def sample_checksums_before() -> dict[str, str]:
    return checksums(SAMPLE)


@pytest.fixture(scope="session")
def built(browser, sample_checksums_before) -> Path:
    """reports/<YEAR>/ of a full build on the sample data (in a temporary reports folder)."""
    reports_dir = Path(tempfile.mkdtemp(prefix="relief-e2e-"))
    result = build_reports(dataset_dir=SAMPLE, year=YEAR, reports_dir=reports_dir, progress=lambda *_: None,
                           browser="auto" if browser else None)
    assert result.ok, result
    yield reports_dir / str(YEAR)
    shutil.rmtree(reports_dir, ignore_errors=True)
