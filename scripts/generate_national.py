#!/usr/bin/env python3
"""Generate a synthetic national-scale dataset folder, to measure loading at scale.

Why: issue #11 asks that a national network (15,000 lieux, 200,000 adhésions, 50,000 events,
300,000 volunteer-time rows) loads in seconds. This script writes such a dataset in our input
format (the quirks of ``data/sample``: HelloAsso export with BOM, CRLF and ``dd/mm/yyyy HH:MM``
dates, ``;`` and ``,`` separators, Windows-1252 contributions, decimal commas, INSEE codes that
lost their leading zero, ``Gratuit``), with lieux on real communes of all France
(``data/reference/france/communes.csv.gz``) and a few deliberately invalid rows
(:data:`DELIBERATE_ERRORS`), which validation must list.

Every person is fictional. The output is deterministic for a given ``--seed`` and ``--scale``
(one numpy ``Generator``, no clock). Write it to a temporary or ignored folder: it is never
committed (``scripts/bench_national.py`` generates it in a temporary folder).

Usage: python scripts/generate_national.py --out DIR [--seed N] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
COMMUNES_PATH = ROOT / "data" / "reference" / "france" / "communes.csv.gz"
AURA_COMMUNES_PATH = ROOT / "data" / "reference" / "84" / "communes.csv.gz"

#: Row counts at scale 1.0.
SIZES = {"lieux": 15_000, "adhesions": 200_000, "evenements": 50_000, "contributions": 300_000}
#: Distinct people behind the adhésions and the contributions, at scale 1.0.
N_PEOPLE, N_CONTRIBUTORS = 80_000, 6_000
YEARS = (2021, 2022, 2023, 2024, 2025)
SALT = "national-synthetique-0b7e4c2a9d51f3e86a1c07d4b2f95e3c"

FILE_NAMES = {
    "lieux": "lieux.csv",
    "adhesions": "adhesions_helloasso.csv",
    "evenements": "evenements.csv",
    "contributions": "contributions.csv",
    "budget": "budget.csv",
    "gouvernance": "gouvernance.csv",
    "explications_ecarts": "explications_ecarts.csv",
}

FIRST_NAMES = (
    "Théo", "Léa", "Camille", "Hélène", "Adrien", "Chloé", "Mathieu", "Inès", "Noël", "Zoé",
    "Jérôme", "Anaïs", "François", "Maëlle", "Olivier", "Gaëlle", "Rémi", "Céline", "Benoît", "Éloïse",
    "Lucas", "Manon", "Hugo", "Sarah", "Nicolas", "Julie", "Antoine", "Élodie", "Cédric", "Agnès",
)
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Peyrard", "Chabert", "Gauthier", "Boyer", "Ferreira", "Muller", "Poirier", "Delorme", "Bœuf", "Évrard",
)
LIEU_WORDS = (
    "La Fabrique", "Le Moulin", "La Source", "L'Escale", "Le Bocal", "La Ruche", "Le Quai", "L'Atelier",
    "La Grange", "Le Hangar", "La Cordée", "Le Labo", "La Passerelle", "Les Communs", "La Forge",
)
TYPOLOGIES = (
    "Bureaux partagés / Coworking", "Tiers-lieu culturel", "Fablab / Makerspace / Hackerspace",
    "Atelier artisanal partagé", "Living lab / Laboratoire d'innovation sociale", "Tiers-lieu nourricier",
    "Cuisine partagée", "Médiation numérique",
)
STATUSES = ("Association", "SCIC", "SCOP", "SARL / SAS / SA", "Collectivité", "Université", "Collectif citoyen")
COMMISSIONS = (
    "Animation & Mutualisation", "Formation", "Système d'information & Documentation", "Communication",
    "Coordination, Gouvernance & Budget",
)
EVENT_KINDS = ("Rencontre", "Formation", "Webinaire", "Séminaire", "Visite", "AG", "Copil", "Groupe de travail")
MODES = ("sur place", "en ligne", "mixte")
ACTIVITIES = (
    "Rédaction de supports pédagogiques", "Accueil des nouveaux membres", "Suivi budgétaire",
    "Dossier de subvention Région", "Animation de la newsletter", "Préparation de l'AG",
    "Cartographie des lieux", "Visite d'un lieu", "Réunion de commission",
)
PAYMENT_METHODS = ("Carte bancaire", "Chèque", "Virement", "Espèces")

#: The deliberately invalid rows, per table: (0-based data row, column(s), bad value). Validation
#: must reject each of these rows and list it; nothing else in the generated files is invalid
#: except the duplicate ids written by :func:`_add_duplicates`.
DELIBERATE_ERRORS = {
    "lieux": [(10, "code_insee", "999"), (20, "etat", "fermée ?"), (30, "typologies", "Salle des fêtes")],
    "adhesions": [
        (100, "Date de la commande", "31/02/2024 10:00"), (200, " Montant tarif ", "-5,00"),
        (300, ("Email payeur ", "Nom adhérent", "Prénom adhérent", "Nom payeur", "Prénom payeur"), ""),
        (400, "Type d'adhérent", "Collectif"),
    ],
    "evenements": [
        (50, "commission", "Finances"), (60, "participants", "-3"), (70, "debut", "2024-13-01"),
        (80, "duree_heures", "deux"),
    ],
    "contributions": [(500, "heures", "25"), (600, "date", "32/01/2024"), (700, "commission", "Trésorerie")],
}


def _pick(rng: np.random.Generator, values, n: int, p=None) -> np.ndarray:
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=p)]


def _slug(series: pd.Series) -> pd.Series:
    text = series.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return text.str.lower().str.replace(r"[^a-z0-9]+", "", regex=True)


def _french_decimal(values: np.ndarray, decimals: int) -> pd.Series:
    return pd.Series(np.round(values, decimals)).map(lambda x: f"{x:.{decimals}f}".replace(".", ","))


def _dates(rng: np.random.Generator, n: int, *, with_time: bool) -> tuple[pd.Series, pd.DatetimeIndex]:
    start = pd.Timestamp("2021-01-01").value // 10**9
    end = pd.Timestamp("2025-12-31 23:59").value // 10**9
    seconds = rng.integers(start, end, size=n)
    stamps = pd.to_datetime(seconds, unit="s").floor("min")
    text = stamps.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    return pd.Series(text), stamps


def _communes() -> pd.DataFrame:
    france = pd.read_csv(COMMUNES_PATH, dtype=str, keep_default_na=False)
    aura = pd.read_csv(
        AURA_COMMUNES_PATH, dtype=str, keep_default_na=False,
        usecols=["commune_code", "postal_codes", "point_longitude", "point_latitude"],
    )
    merged = france.merge(aura, on="commune_code", how="left").fillna("")
    merged["postal_code"] = merged["postal_codes"].str.split("|").str[0].fillna("")
    return merged


def make_people(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Fictional people: one row per person (last name, first name, e-mail, phone)."""
    last = pd.Series(_pick(rng, LAST_NAMES, n))
    first = pd.Series(_pick(rng, FIRST_NAMES, n))
    number = pd.Series(np.arange(n)).astype(str)
    domain = pd.Series(_pick(rng, ("exemple.fr", "example.org", "exemple.net"), n))
    email = _slug(first) + "." + _slug(last) + number + "@" + domain
    # upper-case names and mixed-case e-mails, as people type them
    shout = rng.random(n) < 0.1
    last = last.where(~shout, last.str.upper())
    email = email.where(rng.random(n) > 0.05, email.str.title())
    phone = "06 " + pd.Series(rng.integers(10_000_000, 99_999_999, n)).astype(str).str.replace(
        r"(\d\d)(\d\d)(\d\d)(\d\d)", r"\1 \2 \3 \4", regex=True
    )
    return pd.DataFrame({"last": last, "first": first, "email": email, "phone": phone})


def make_lieux(rng: np.random.Generator, n: int, communes: pd.DataFrame) -> pd.DataFrame:
    """Lieux on real communes of all France, in the column layout of data/sample/lieux.csv."""
    where = communes.iloc[rng.integers(0, len(communes), n)].reset_index(drop=True)
    names = pd.Series(_pick(rng, LIEU_WORDS, n)) + " de " + where["commune_name"]
    first_typ = _pick(rng, TYPOLOGIES, n)
    second_typ = _pick(rng, TYPOLOGIES, n)
    typologies = pd.Series(first_typ).where(rng.random(n) < 0.6, pd.Series(first_typ) + "|" + second_typ)
    state = _pick(rng, ("ouvert", "en projet", "fermé"), n, p=(0.8, 0.12, 0.08))
    opening = pd.Series(rng.integers(2005, 2026, n)).astype(str).where(state != "en projet", "")
    code = where["commune_code"].str.replace(r"^0", "", regex=True)  # leading zero lost, as in spreadsheets
    updated, _ = _dates(rng, n, with_time=False)
    return pd.DataFrame({
        "identifiant": [f"L{i:05d}" for i in range(1, n + 1)],
        "nom": names,
        "adresse": pd.Series(rng.integers(1, 200, n)).astype(str) + " place de la République",
        "code_postal": where["postal_code"],
        "commune": where["commune_name"],
        "code_insee": code,
        "latitude": where["point_latitude"].str.replace(".", ",", regex=False),
        "longitude": where["point_longitude"].str.replace(".", ",", regex=False),
        "typologies": typologies,
        "statut_juridique": _pick(rng, STATUSES, n),
        "annee_ouverture": opening,
        "etat": state,
        "membre_reseau": _pick(rng, ("oui", "non"), n),
        "site_web": "https://" + _slug(names) + ".fr",
        "date_mise_a_jour": updated,
    })


def make_adhesions(
    rng: np.random.Generator, n: int, people: pd.DataFrame, lieux: pd.DataFrame, communes: pd.DataFrame
) -> pd.DataFrame:
    """HelloAsso-like export, one row per payment, columns as in data/sample/adhesions_helloasso.csv."""
    who = people.iloc[rng.integers(0, len(people), n)].reset_index(drop=True)
    morale = rng.random(n) < 0.25
    lieu = lieux.iloc[rng.integers(0, len(lieux), n)].reset_index(drop=True)
    where = communes.iloc[rng.integers(0, len(communes), n)].reset_index(drop=True)
    dates, stamps = _dates(rng, n, with_time=True)
    amounts = _french_decimal(rng.choice([0, 5, 10, 15, 20, 25, 30, 50, 100], n).astype(float), 2)
    amounts = amounts.where(amounts != "0,00", "Gratuit")
    year = pd.Series(stamps.year.astype(str)).where(rng.random(n) < 0.8, "")
    no_email = rng.random(n) < 0.05  # some forms did not ask for it: identity by name
    return pd.DataFrame({
        "Référence commande": (10_000_000 + np.arange(n)).astype(str),
        "Date de la commande": dates,
        "Statut de la commande": _pick(rng, ("Validé", "En attente"), n, p=(0.95, 0.05)),
        "Nom adhérent": who["last"],
        "Prénom adhérent": who["first"],
        "Nom payeur": who["last"],
        "Prénom payeur": who["first"],
        "Email payeur ": who["email"].where(~no_email, ""),
        "Raison sociale": lieu["nom"].where(morale, ""),
        "Moyen de paiement": _pick(rng, PAYMENT_METHODS, n),
        "Tarif": np.where(morale, "Adhésion structure (prix libre)", "Adhésion individuelle (prix libre)"),
        " Montant tarif ": amounts,
        "Code Promo": "",
        "Montant code promo": "",
        "Type d'adhérent": np.where(morale, "Personne morale", "Personne physique"),
        "Année d'adhésion": year,
        "Identifiant du lieu": lieu["identifiant"].where(morale, ""),
        "Code postal": where["postal_code"],
        "Ville": where["commune_name"],
        "Téléphone": who["phone"],
    })


def make_evenements(rng: np.random.Generator, n: int, lieux: pd.DataFrame) -> pd.DataFrame:
    """Events, comma-separated as in data/sample/evenements.csv."""
    _, stamps = _dates(rng, n, with_time=True)
    hours = rng.choice([1.0, 1.5, 2.0, 3.0, 3.5, 6.0, 7.0], n)
    ends = stamps + pd.to_timedelta(hours, unit="h")
    mode = _pick(rng, MODES, n, p=(0.6, 0.3, 0.1))
    online = mode == "en ligne"
    lieu = lieux.iloc[rng.integers(0, len(lieux), n)].reset_index(drop=True)
    kind = _pick(rng, EVENT_KINDS, n)
    return pd.DataFrame({
        "identifiant": [f"EV{y}-{i:05d}" for i, y in enumerate(stamps.year, start=1)],
        "titre": pd.Series(kind) + " : " + pd.Series(_pick(rng, ACTIVITIES, n)).str.lower(),
        "debut": stamps.strftime("%d/%m/%Y %H:%M"),
        "fin": pd.Series(ends.strftime("%d/%m/%Y %H:%M")).where(rng.random(n) < 0.9, ""),
        "type": kind,
        "commission": _pick(rng, COMMISSIONS, n),
        "mode": mode,
        "identifiant_lieu": lieu["identifiant"].where(~online, ""),
        "commune": lieu["commune"].where(~online, ""),
        "code_insee": lieu["code_insee"].where(~online, ""),
        "participants": pd.Series(rng.integers(3, 120, n)).astype(str),
        "duree_heures": _french_decimal(hours, 1).str.replace(",0", "", regex=False),
    })


def make_contributions(rng: np.random.Generator, n: int, people: pd.DataFrame) -> pd.DataFrame:
    """Volunteer time, as in data/sample/contributions.csv (written in Windows-1252)."""
    who = people.iloc[rng.integers(0, N_CONTRIBUTORS, n)].reset_index(drop=True)
    dates, _ = _dates(rng, n, with_time=False)
    paid = rng.random(n) < 0.02
    return pd.DataFrame({
        "identifiant": [f"C{i:06d}" for i in range(1, n + 1)],
        "nom": who["last"],
        "prenom": who["first"],
        "email": who["email"],
        "date": dates,
        "commission": _pick(rng, COMMISSIONS, n),
        "activite": _pick(rng, ACTIVITIES, n),
        "heures": _french_decimal(rng.choice([0.5, 1, 1.5, 2, 2.5, 3, 4, 7], n), 1).str.replace(",0", "", regex=False),
        "retribution_eur": _french_decimal(rng.integers(20, 300, n).astype(float), 2).where(paid, ""),
    })


def _add_errors(frames: dict[str, pd.DataFrame]) -> None:
    for table, errors in DELIBERATE_ERRORS.items():
        frame = frames[table]
        for row, columns, value in errors:
            frame.loc[min(row, len(frame) - 1), list(np.atleast_1d(columns))] = value
        # one duplicate id per table: a copy of row 1 at the end (a later line repeats an id)
        id_column = frame.columns[0]
        frame.loc[len(frame) - 1, id_column] = frame.loc[1, id_column]


#: Identity of the synthetic associations (the example's is refused outside data/sample).
INVENTED_IDENTITY = {"rna": "W389999002", "siret": "99999999900029", "numero_convention": "BANC-2025-0001"}


def invented_identity(text: str) -> str:
    """``config.toml`` text with the example association's RNA, SIRET and convention replaced."""
    from relief_analytics.load.config_model import SAMPLE_IDENTITY

    for _, key, _, value in SAMPLE_IDENTITY:
        text = text.replace(f'{key} = "{value}"', f'{key} = "{INVENTED_IDENTITY[key]}"')
    return text


def _write_config(out: Path) -> None:
    text = (SAMPLE_DIR / "config.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^sel_pseudonymisation = ".*"$', f'sel_pseudonymisation = "{SALT}"', text)
    text = re.sub(r'(?m)^nom = ".*"$', 'nom = "RELIEF national (synthétique)"', text, count=1)
    text = invented_identity(text)
    for table, name in FILE_NAMES.items():
        text = re.sub(rf'(?m)^{table} = ".*"$', f'{table} = "{name}"', text)
    (out / "config.toml").write_text(text, encoding="utf-8")


def generate(out: Path, *, seed: int = 11, scale: float = 1.0) -> dict[str, int]:
    """Write the national dataset into ``out``; return the number of data rows per table."""
    rng = np.random.default_rng(seed)
    sizes = {table: max(1_000, int(round(n * scale))) for table, n in SIZES.items()}
    communes = _communes()
    people = make_people(rng, max(N_CONTRIBUTORS, int(N_PEOPLE * scale)))
    frames = {"lieux": make_lieux(rng, sizes["lieux"], communes)}
    frames["adhesions"] = make_adhesions(rng, sizes["adhesions"], people, frames["lieux"], communes)
    frames["evenements"] = make_evenements(rng, sizes["evenements"], frames["lieux"])
    frames["contributions"] = make_contributions(rng, sizes["contributions"], people)
    _add_errors(frames)
    out.mkdir(parents=True, exist_ok=True)
    _write_config(out)
    frames["lieux"].to_csv(out / FILE_NAMES["lieux"], sep=";", index=False, encoding="utf-8-sig")
    frames["adhesions"].to_csv(
        out / FILE_NAMES["adhesions"], sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )
    frames["evenements"].to_csv(out / FILE_NAMES["evenements"], sep=",", index=False, encoding="utf-8")
    frames["contributions"].to_csv(out / FILE_NAMES["contributions"], sep=";", index=False, encoding="cp1252")
    for table in ("budget", "gouvernance", "explications_ecarts"):
        shutil.copyfile(SAMPLE_DIR / f"{table}.csv", out / FILE_NAMES[table])
    for review in SAMPLE_DIR.glob("bilan_qualitatif_*.md"):  # the subsidy report needs its bilan
        (out / review.name).write_text(_without_figures(review.read_text(encoding="utf-8")),
                                       encoding="utf-8")
    return {table: len(frame) for table, frame in frames.items()}


def _without_figures(review: str) -> str:
    """The sample's bilan without the lines that quote figures: they describe the sample, and the
    narrative check (rightly) refuses a final compte rendu whose bilan contradicts its data."""
    return "\n".join(line for line in review.splitlines()
                     if line.startswith("#") or not re.search(r"\d", line)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Génère un jeu de données national synthétique (mesures de vitesse).")
    parser.add_argument("--out", type=Path, required=True, help="dossier de sortie (jamais versionné)")
    parser.add_argument("--seed", type=int, default=11, help="graine du générateur (défaut : 11)")
    parser.add_argument("--scale", type=float, default=1.0, help="facteur de taille (1,0 = échelle nationale)")
    args = parser.parse_args(argv)
    counts = generate(args.out, seed=args.seed, scale=args.scale)
    shown = ", ".join(f"{table} {count:,}".replace(",", "\u202f") for table, count in counts.items())
    print(f"Jeu national écrit dans {args.out} : {shown} lignes.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
