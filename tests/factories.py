"""Real tiny datasets and year contexts for tests, in place of ``SimpleNamespace`` fakes.

:func:`write_dataset` writes a dataset folder as a volunteer would (``config.toml`` and CSV files
with the sample's headers, ``;``, decimal comma, ``dd/mm/yyyy``), from a few rows given as
dicts; :func:`tiny_dataset` loads it with the real loader and :func:`tiny_context` builds its
real year context. Values are invented; the default rows give a small, fully valid year 2025.

>>> import tempfile
>>> folder = write_dataset(Path(tempfile.mkdtemp()))
>>> sorted(p.name for p in folder.iterdir())[:3]
['adhesions.csv', 'budget.csv', 'config.toml']
"""

from __future__ import annotations

import re
from pathlib import Path

from relief_analytics import paths

#: A salt of 32+ characters for tiny datasets (the sample's public salt is refused elsewhere).
TEST_SALT = "sel-des-tests-0123456789abcdef0123456789abcdef"

#: Header of each file, as the sample writes them.
HEADERS = {
    "lieux": ["identifiant", "nom", "adresse", "code_postal", "commune", "code_insee", "latitude",
              "longitude", "typologies", "statut_juridique", "annee_ouverture", "etat",
              "membre_reseau", "site_web", "date_mise_a_jour"],
    "adhesions": ["Référence commande", "Date de la commande", "Statut de la commande",
                  "Nom adhérent", "Prénom adhérent", "Nom payeur", "Prénom payeur", "Email payeur",
                  "Raison sociale", "Moyen de paiement", "Tarif", "Montant tarif",
                  "Type d'adhérent", "Année d'adhésion", "Identifiant du lieu", "Code postal",
                  "Ville"],
    "evenements": ["identifiant", "titre", "debut", "fin", "type", "commission", "mode",
                   "identifiant_lieu", "commune", "code_insee", "participants", "duree_heures"],
    "contributions": ["identifiant", "nom", "prenom", "email", "date", "commission", "activite",
                      "heures", "retribution_eur"],
    "budget": ["annee", "compte", "intitule", "prevu_eur", "realise_eur", "financeur", "action"],
    "gouvernance": ["annee", "nom", "prenom", "email", "role", "commission"],
    "explications_ecarts": ["annee", "compte", "explication"],
}


def lieu(identifiant: str, nom: str, *, commune: str = "Lyon", code_insee: str = "69123",
         code_postal: str = "69003", etat: str = "ouvert", annee_ouverture: str = "2020",
         typologies: str = "Tiers-lieu culturel", statut: str = "Association",
         membre: str = "oui") -> dict:
    """One row of ``lieux.csv`` (no coordinates: the commune places the lieu)."""
    return {"identifiant": identifiant, "nom": nom, "code_postal": code_postal, "commune": commune,
            "code_insee": code_insee, "typologies": typologies, "statut_juridique": statut,
            "annee_ouverture": annee_ouverture, "etat": etat, "membre_reseau": membre,
            "date_mise_a_jour": "01/12/2025"}


def adhesion(reference: str, *, date: str = "15/03/2025", statut: str = "Validé",
             nom: str = "Martin", prenom: str = "Alix", montant: str = "10,00",
             email: str | None = None, code_postal: str = "69003") -> dict:
    """One row of a HelloAsso adhésion export (a personne physique)."""
    return {"Référence commande": reference, "Date de la commande": f"{date} 10:00",
            "Statut de la commande": statut, "Nom adhérent": nom, "Prénom adhérent": prenom,
            "Nom payeur": nom, "Prénom payeur": prenom,
            "Email payeur": email or f"{prenom}.{nom}@exemple.test".lower(),
            "Moyen de paiement": "Carte bancaire", "Tarif": "Adhésion individuelle (prix libre)",
            "Montant tarif": montant, "Type d'adhérent": "Personne physique",
            "Année d'adhésion": date[-4:], "Code postal": code_postal, "Ville": "Lyon"}


def evenement(identifiant: str, *, debut: str = "14/03/2025 18:00", fin: str = "14/03/2025 20:00",
              type_: str = "Rencontre", mode: str = "sur place", commune: str = "Lyon",
              code_insee: str = "69123", participants: str = "12", duree: str = "2") -> dict:
    """One row of ``evenements.csv``."""
    on_site = mode != "en ligne"
    return {"identifiant": identifiant, "titre": f"Événement {identifiant}", "debut": debut,
            "fin": fin, "type": type_, "commission": "Animation & Mutualisation", "mode": mode,
            "commune": commune if on_site else "", "code_insee": code_insee if on_site else "",
            "participants": participants, "duree_heures": duree}


def contribution(identifiant: str, *, date: str = "10/02/2025", heures: str = "3",
                 retribution: str = "", nom: str = "Martin", prenom: str = "Alix") -> dict:
    """One row of ``contributions.csv``."""
    return {"identifiant": identifiant, "nom": nom, "prenom": prenom,
            "email": f"{prenom}.{nom}@exemple.test".lower(), "date": date,
            "commission": "Formation", "activite": "Préparation d'un atelier", "heures": heures,
            "retribution_eur": retribution}


def budget_line(annee: str, compte: str, intitule: str, prevu: str, realise: str, *,
                financeur: str = "", action: str = "") -> dict:
    """One row of ``budget.csv``."""
    return {"annee": annee, "compte": compte, "intitule": intitule, "prevu_eur": prevu,
            "realise_eur": realise, "financeur": financeur, "action": action}


DEFAULT_ROWS = {
    "lieux": [
        lieu("L1", "La Fabrique"),
        lieu("L2", "Le Hangar", commune="Clermont-Ferrand", code_insee="63113",
             code_postal="63000", annee_ouverture="2026"),
        lieu("L3", "L'Atelier fermé", etat="fermé"),
    ],
    "adhesions": [
        adhesion("A1"), adhesion("A2", nom="Durand", prenom="Sam", montant="25,00"),
        adhesion("A3", nom="Petit", prenom="Lou", statut="En attente"),
        adhesion("A4", date="20/05/2024", montant="5,00"),
    ],
    "evenements": [
        evenement("E1"), evenement("E2", mode="en ligne", type_="Webinaire"),
        evenement("E3", debut="10/10/2024 18:00", fin="10/10/2024 20:00"),
    ],
    "contributions": [
        contribution("C1"), contribution("C2", heures="2", retribution="50,00"),
        contribution("C3", date="12/12/2024", heures="4"),
    ],
    "budget": [
        budget_line("2025", "604", "Achats de prestations de services", "1000,00", "900,00"),
        budget_line("2025", "742", "Subvention Région", "1000,00", "1000,00",
                    financeur="Région Auvergne-Rhône-Alpes", action="Animation du réseau"),
    ],
    "gouvernance": [{"annee": "2025", "nom": "Martin", "prenom": "Alix",
                     "email": "alix.martin@exemple.test", "role": "CA", "commission": ""}],
    "explications_ecarts": [],
}


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f'"{text}"' if ";" in text or '"' in text else text


def write_dataset(folder: Path, *, config_text: str | None = None, **rows: list[dict]) -> Path:
    """Write a dataset folder into ``folder`` and return it.

    ``rows`` overrides :data:`DEFAULT_ROWS` table by table (``lieux=[lieu(…), …]``); a table given
    ``None`` is not written. ``config_text`` replaces the configuration (default: the sample's,
    with :data:`TEST_SALT` and these file names).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {**DEFAULT_ROWS, **rows}
    for table, table_rows in tables.items():
        if table_rows is None:
            continue
        lines = [";".join(HEADERS[table])]
        lines += [";".join(_cell(row.get(h, "")) for h in HEADERS[table]) for row in table_rows]
        (folder / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "config.toml").write_text(config_text or sample_config_text(), encoding="utf-8")
    return folder


def sample_config_text() -> str:
    """The sample's ``config.toml`` with the test salt and the tiny datasets' file names."""
    text = (paths.SAMPLE_DATASET_DIR / "config.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^sel_pseudonymisation = ".*"$', f'sel_pseudonymisation = "{TEST_SALT}"', text)
    return text.replace('adhesions = "adhesions_helloasso.csv"', 'adhesions = "adhesions.csv"')


def tiny_dataset(folder: Path, *, config_text: str | None = None, **rows):
    """The real :class:`~relief_analytics.load.Dataset` of a tiny dataset written in ``folder``."""
    from relief_analytics.load import load_dataset

    return load_dataset(write_dataset(folder, config_text=config_text, **rows))


def tiny_context(folder: Path, *, year: int = 2025, reports=None, config_text: str | None = None,
                 **rows):
    """The real year context of a tiny dataset (region 84's geographic reference)."""
    from relief_analytics.context.year import build_year_context

    return build_year_context(tiny_dataset(folder, config_text=config_text, **rows), year=year,
                              reports=reports)
