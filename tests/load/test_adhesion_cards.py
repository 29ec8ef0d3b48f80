"""A raw HelloAsso export placed as the adhesions file: one adhesion per adherent card (issue #14).

The exports are built inline from the structure of real exports (one row per card; « Carte
d'adhérent » ending in ``cardId=…``; « Email » of the adherent beside « Email payeur »), with
invented values. The loader follows the importer's rule (:mod:`relief_analytics.load.adherents`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sample_copy import TEST_SALT, sample_config_text

from relief_analytics import paths
from relief_analytics.indicators.membership import membership_by_year
from relief_analytics.load import load_dataset
from relief_analytics.load.coerce import code_key
from relief_analytics.load.pseudonymise import pseudonym

CARD_URL = "https://www.helloasso.com/associations/reseau-test/adhesions/adhesion-2025/carte-adherent?cardId="
HEADER = ("Référence commande;Date de la commande;Statut de la commande;Nom adhérent;Prénom adhérent;"
          "Nom payeur;Prénom payeur;Email payeur;Moyen de paiement;Tarif;Montant tarif;Carte d'adhérent;"
          "Email;Code Postal;Ville\n")


def _row(reference, date, status, adherent, payer, payer_email, amount, card, email="") -> str:
    card_cell = CARD_URL + card if card and card.isdigit() else card
    return (f"{reference};{date};{status};{adherent[0]};{adherent[1]};{payer[0]};{payer[1]};{payer_email};"
            f"Carte bancaire;Adhésion (prix libre);{amount};{card_cell};{email};26000;Valence\n")


ZOE, MILO, ALMA = ("Vasseur", "Zoé"), ("Vasseur", "Milo"), ("Vasseur", "Alma")
IRIS = ("Lenoir", "Iris")
#: An order of three adherents paid by Zoé, Iris paying twice, Iris's first card repeated.
CARDS_EXPORT = HEADER + "".join([
    _row("61001", "10/01/2025 10:00", "Validé", ZOE, ZOE, "zoe.vasseur@exemple.org", "20,00", "8001"),
    _row("61001", "10/01/2025 10:00", "Validé", MILO, ZOE, "zoe.vasseur@exemple.org", "10,00", "8002"),
    _row("61001", "10/01/2025 10:00", "Validé", ALMA, ZOE, "zoe.vasseur@exemple.org", "Gratuit", "8003"),
    _row("61002", "12/02/2025 09:30", "Validé", IRIS, IRIS, "iris.lenoir@exemple.org", "15,00", "8004",
         email="iris.lenoir@exemple.org"),
    _row("61003", "20/06/2025 08:15", "Validé", IRIS, IRIS, "iris.lenoir@exemple.org", "25,00", "8005",
         email="iris.lenoir@exemple.org"),
    _row("61002", "12/02/2025 09:30", "Validé", IRIS, IRIS, "iris.lenoir@exemple.org", "15,00", "8004",
         email="iris.lenoir@exemple.org"),
    _row("", "14/02/2025 09:30", "Validé", MILO, ZOE, "zoe.vasseur@exemple.org", "5,00",
         "https://www.helloasso.com/carte"),
])


def _name(person: tuple[str, str]) -> str:
    return pseudonym("nom:" + code_key(f"{person[0]}|{person[1]}"), salt=TEST_SALT)


def _email(address: str) -> str:
    return pseudonym("email:" + address, salt=TEST_SALT)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A dataset folder with the sample's config and lieux; the adhesions file is the raw export."""
    folder = tmp_path / "donnees"
    folder.mkdir()
    (folder / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    shutil.copy(paths.SAMPLE_DATASET_DIR / "lieux.csv", folder)
    return folder


def _load(folder: Path, text: str):
    (folder / "adhesions_helloasso.csv").write_text(text, encoding="utf-8")
    dataset = load_dataset(folder)
    issues = dataset.issues[dataset.issues["table"] == "adhesions"]
    return dataset, issues


def test_an_order_of_three_adherents_and_an_adherent_paying_twice_give_five_adhesions(folder: Path):
    dataset, issues = _load(folder, CARDS_EXPORT)
    rows = dataset.adhesions
    assert rows[["membership_id", "member_id", "amount_eur"]].values.tolist() == [
        ["8001", _email("zoe.vasseur@exemple.org"), 20.0],  # Zoé paid for herself: her e-mail
        ["8002", _name(MILO), 10.0],  # Milo is not the payer: his name, never Zoé's e-mail
        ["8003", _name(ALMA), 0.0],
        ["8004", _email("iris.lenoir@exemple.org"), 15.0],
        ["8005", _email("iris.lenoir@exemple.org"), 25.0],
    ]
    # the repeated card and the card without id nor order are listed, never merged silently
    assert issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist() == [
        [7, "Carte d'adhérent", "8004", "valeur en double (déjà présente ligne 5)"],
        [8, "Carte d'adhérent", "(adresse de carte)",
         "adresse de carte d'adhérent sans identifiant (…?cardId=…) ni référence de commande"],
    ]
    result = dataset.results["adhesions"]
    assert (result.read_count, result.accepted_count, result.rejected_count) == (7, 5, 2)
    assert result.read_count == result.accepted_count + result.rejected_count
    assert "Carte d'adhérent" not in result.ignored_headers


def test_members_per_year_equal_the_treasurers_hand_count(folder: Path):
    dataset, _ = _load(folder, CARDS_EXPORT)
    by_year = membership_by_year(dataset.adhesions, valid_statuses=["Validé"]).set_index("year")
    # by hand: Zoé, Milo, Alma (one order) and Iris (two orders): 4 members, 5 cards, 70 €
    assert by_year.loc[2025, ["members_count", "payments_count", "amount_total_eur"]].tolist() == [4, 5, 70.0]


def test_without_card_column_an_order_of_several_adherents_is_keyed_per_adherent(folder: Path):
    header = HEADER.replace(";Carte d'adhérent", "")
    rows = [line.rsplit(";", 4) for line in CARDS_EXPORT.splitlines()[1:6]]
    # drop the card column (4th value from the end)
    text = header + "".join(f"{head};{email};{cp};{city}\n" for head, _, email, cp, city in rows)
    text = text.replace("61003;", "61004;")  # Iris's second order
    text += text.splitlines()[4] + "\n"  # Iris's first order written twice
    dataset, issues = _load(folder, text)
    milo_key = f"61001-{_name(MILO)[2:10]}"
    assert dataset.adhesions[["membership_id", "member_id"]].values.tolist() == [
        [f"61001-{_email('zoe.vasseur@exemple.org')[2:10]}", _email("zoe.vasseur@exemple.org")],
        [milo_key, _name(MILO)],
        [f"61001-{_name(ALMA)[2:10]}", _name(ALMA)],
        ["61002", _email("iris.lenoir@exemple.org")],  # one adherent in the order: its reference
        ["61004", _email("iris.lenoir@exemple.org")],
    ]
    assert issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist() == [
        [7, "Référence commande", "61002", "valeur en double (déjà présente ligne 5)"]]
    result = dataset.results["adhesions"]
    assert (result.read_count, result.accepted_count, result.rejected_count) == (6, 5, 1)


def test_the_sample_keeps_one_adhesion_per_order_and_its_figures():
    """The sample holds no order of several adherents and every payer is the adherent: keys are
    the order references and members the payers' e-mails, as before issue #14."""
    dataset = load_dataset(paths.SAMPLE_DATASET_DIR)
    rows = dataset.adhesions
    assert len(rows) == dataset.results["adhesions"].read_count - dataset.results["adhesions"].rejected_count
    assert rows["membership_id"].str.fullmatch(r"\d+").all()
    physique = rows[rows["member_kind"] == "physique"]
    assert physique["member_id"].nunique() == 410  # distinct payer e-mails (namesakes kept apart)


def test_the_payers_e_mail_keys_the_adherent_only_when_the_payer_is_the_adherent():
    import pandas as pd

    from relief_analytics.load.pseudonymise import person_keys

    frame = pd.DataFrame({
        "Nom adhérent": ["Vasseur", "Vasseur", "Vasseur", None],
        "Prénom adhérent": ["Zoé", "Milo", "Zoe ", None],
        "Nom payeur": ["Vasseur", "Vasseur", "VASSEUR", "Vasseur"],
        "Prénom payeur": ["Zoé", "Zoé", "Zoé", "Zoé"],
        "Email payeur": ["zoe.vasseur@exemple.org"] * 4,
        "Date de naissance": [None, "01/09/2012", None, None],
    }, dtype=object)
    assert person_keys(frame).tolist() == [
        "email:zoe.vasseur@exemple.org",  # she paid for herself
        "nom:vasseur|milo|01/09/2012",  # her son: his own name and birth date, never her e-mail
        "email:zoe.vasseur@exemple.org",  # the same names, written otherwise
        "email:zoe.vasseur@exemple.org",  # no adherent named: the payer is the only person
    ]


def test_a_card_without_id_is_keyed_by_order_and_adherent_and_said(folder: Path):
    text = CARDS_EXPORT.replace(CARD_URL + "8002", "https://www.helloasso.com/carte")
    dataset, issues = _load(folder, text)
    assert dataset.adhesions["membership_id"].tolist()[1] == f"61001-{_name(MILO)[2:10]}"
    assert ("adhesions_helloasso.csv : adresse de carte d'adhérent sans identifiant (…?cardId=…) : clé = "
            "référence de commande et adhérent (colonne « Carte d'adhérent », ligne 3).") in dataset.file_notes
    assert dataset.results["adhesions"].accepted_count == 5
    assert "helloasso.com" not in " ".join(dataset.file_notes) + issues.to_csv()
