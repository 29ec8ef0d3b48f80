"""HelloAsso exports as downloaded → exact ``adhesions`` rows, pseudonymised, idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from ledger import assert_ledger_balances
from openpyxl import Workbook
from sample_copy import TEST_SALT

from relief_analytics.importers.helloasso import import_helloasso, read_helloasso
from relief_analytics.indicators.membership import unvalidated_orders
from relief_analytics.load import load_dataset
from relief_analytics.load.coerce import code_key
from relief_analytics.load.pseudonymise import pseudonym

EXPORT = Path(__file__).parent / "fixtures" / "helloasso_adhesions.csv"
SALT = TEST_SALT  # the salt of the dataset copies (tests/sample_copy.py)


def _pid(email: str) -> str:
    return pseudonym("email:" + email, salt=SALT)


def _aid(last: str, first: str) -> str:
    """Pseudonym of an adherent known by name only (the export has no adherent e-mail)."""
    return pseudonym("nom:" + code_key(f"{last}|{first}"), salt=SALT)


#: The adherent of each order of helloasso_adhesions.csv. The payer is the adherent on every
#: row (same names), so the payer's e-mail is the adherent's: it keys the member.
ADHERENTS = {"20001": "lucie.martin@exemple.fr", "20002": "paul.durand@exemple.fr",
             "20003": "anne.petit@exemple.fr", "20004": "marc.roux@exemple.fr",
             "20005": "lucie.martin@exemple.fr", "20006": "lea.blanc@exemple.fr",
             "20007": "jean.noir@exemple.fr"}
#: Natural key of a row of an export without a card column: the order reference when the order
#: holds one adherent (each order here), else the reference plus the adherent's pseudonym.
KEYS = {reference: reference for reference in ADHERENTS}
MEMBERS = {reference: _pid(email) for reference, email in ADHERENTS.items()}


EXPECTED = pd.DataFrame(
    [
        [KEYS["20001"], "15/01/2025 09:05", "2025", "Validé", MEMBERS["20001"], "physique",
         None, None, "69003", "Lyon", "15,00", "Carte bancaire"],
        [KEYS["20002"], "16/01/2025 18:30", "2025", "Validé", MEMBERS["20002"], "morale",
         "La Fabrique du Coin", None, "38000", "Grenoble", "50,00", "Virement"],
        [KEYS["20003"], "20/01/2025 12:00", "2025", "En attente", MEMBERS["20003"], "physique",
         None, None, "42000", "Saint-Étienne", "10,00", "Chèque"],
        [KEYS["20004"], "01/02/2025 10:10", "2025", "Validé", MEMBERS["20004"], "physique",
         None, None, "63000", "Clermont-Ferrand", "0,00", "Carte bancaire"],
        [KEYS["20005"], "03/03/2025 21:45", "2025", "Validé", MEMBERS["20005"], "physique",
         None, None, "69003", "Lyon", "1234,50", "Carte bancaire"],
        [KEYS["20006"], "05/03/2025 08:00", "2025", "Remboursé", MEMBERS["20006"], "physique",
         None, None, "01000", "Bourg-en-Bresse", "20,00", "Carte bancaire"],
        [KEYS["20007"], "06/03/2025 08:15", "2025", "Validé", MEMBERS["20007"], "morale",
         None, None, "73000", "Chambéry", "30,00", "Carte bancaire"],
    ],
    columns=["membership_id", "order_date", "membership_year", "order_status", "member_id",
             "member_kind", "organisation_name", "lieu_id", "postal_code", "commune_name",
             "amount_eur", "payment_method"],
    dtype=object,
)


def test_csv_export_gives_exact_rows_without_personal_data(settings):
    rows, report, lines = read_helloasso(EXPORT, settings=settings)
    pd.testing.assert_frame_equal(rows, EXPECTED)
    assert lines == [2, 3, 4, 5, 6, 7, 8]
    assert report.read_count == 9  # 8 orders and the blank line of separators
    assert report.issues[["line_number", "column_name", "cell_value"]].values.tolist() == [
        [9, "Date de la commande", "32/03/2025 08:00"]
    ]
    assert report.ignored_columns == ["Votre tiers-lieu préféré ?"]
    assert report.unvalidated[["membership_id", "order_status"]].values.tolist() == [
        [KEYS["20003"], "En attente"], [KEYS["20006"], "Remboursé"]
    ]
    text = "\n".join(report.lines_fr()) + rows.to_csv()
    for personal in ("Martin", "Lucie", "lucie.martin@exemple.fr", "06 01 02 03 04", "Gris", "eva.gris"):
        assert personal not in text


def test_xlsx_export_gives_the_same_rows(settings, tmp_path: Path):
    csv_rows = pd.read_csv(EXPORT, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(csv_rows.columns))
    for record in csv_rows.to_dict("records"):
        if not any(record.values()):
            continue
        record = dict(record)
        date = record["Date de la commande"]
        if not date.startswith("32"):
            record["Date de la commande"] = pd.Timestamp(
                pd.to_datetime(date, format="%d/%m/%Y %H:%M")).to_pydatetime()
        amount = record[" Montant tarif "]
        if amount != "Gratuit":
            record[" Montant tarif "] = float(amount.replace(" ", "").replace(",", "."))
        sheet.append([record[c] or None for c in csv_rows.columns])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    rows, report, _ = read_helloasso(path, settings=settings)
    pd.testing.assert_frame_equal(rows, EXPECTED)
    assert report.issues["line_number"].tolist() == [9]


def test_import_writes_a_table_the_loader_accepts_and_is_idempotent(dataset_dir: Path, settings):
    source_bytes = EXPORT.read_bytes()
    first = import_helloasso(EXPORT, dataset_dir=dataset_dir, settings=settings)
    assert first.added_keys == list(KEYS.values()) and first.written
    assert_ledger_balances(first, read=9, added=7, rejected=1, blank=1, merged=0)
    table = dataset_dir / "adhesions_helloasso.csv"
    written = table.read_text(encoding="utf-8-sig")
    assert "lucie" not in written.lower() and "@" not in written
    again = import_helloasso(EXPORT, dataset_dir=dataset_dir, settings=settings)
    assert (again.added_keys, again.updated_keys, again.unchanged_count) == ([], [], 7)
    assert_ledger_balances(again, read=9, unchanged=7, rejected=1, blank=1)
    assert not again.written and table.read_text(encoding="utf-8-sig") == written
    assert EXPORT.read_bytes() == source_bytes

    adhesions = _loaded(dataset_dir)
    assert len(adhesions) == 7
    assert adhesions.groupby("member_id")["membership_id"].count().max() == 2  # Lucie paid twice
    assert unvalidated_orders(adhesions, valid_statuses=["Validé"])[
        ["membership_id", "order_status", "amount_eur"]].values.tolist() == [
        [KEYS["20003"], "En attente", 10.0], [KEYS["20006"], "Remboursé", 20.0]]


def test_changed_status_is_updated_and_listed(dataset_dir: Path, settings, tmp_path: Path):
    import_helloasso(EXPORT, dataset_dir=dataset_dir, settings=settings)
    later = tmp_path / "export_mars.csv"
    later.write_bytes(EXPORT.read_bytes().replace(b";En attente;", ";Validé;".encode()))
    report = import_helloasso(later, dataset_dir=dataset_dir, settings=settings)
    assert report.updated_keys == [KEYS["20003"]] and report.added_keys == []
    assert report.changes.values.tolist() == [[KEYS["20003"], "order_status", "En attente", "Validé"]]
    assert f"  {KEYS['20003']}, order_status : « En attente » → « Validé »" in report.lines_fr()
    assert_ledger_balances(report, read=9, updated=1, unchanged=6, rejected=1, blank=1)
    assert (dataset_dir / "adhesions_helloasso.precedent.csv").read_text(encoding="utf-8-sig").count(
        "En attente") == 1


def test_loader_reads_an_export_without_member_kind_column(dataset_dir: Path):
    """« type d'adhérent » is optional: the loader derives it from Raison sociale."""
    shutil.copy(EXPORT, dataset_dir / "adhesions_helloasso.csv")
    for name in ("lieux", "evenements", "contributions", "budget"):
        shutil.copy(Path(__file__).parents[2] / "data" / "sample" / f"{name}.csv", dataset_dir)
    dataset = load_dataset(dataset_dir)
    adhesions = dataset.adhesions.set_index("membership_id")
    assert adhesions["member_kind"].to_dict() == {
        "20001": "physique", "20002": "morale", "20003": "physique", "20004": "physique",
        "20005": "physique", "20006": "physique", "20007": "physique"}
    issues = dataset.issues[dataset.issues["table"] == "adhesions"]
    assert issues[["line_number", "column_name"]].values.tolist() == [[9, "Date de la commande"]]


def _loaded(dataset_dir: Path) -> pd.DataFrame:
    for name in ("lieux", "evenements", "contributions", "budget"):
        shutil.copy(Path(__file__).parents[2] / "data" / "sample" / f"{name}.csv", dataset_dir)
    dataset = load_dataset(dataset_dir)
    assert dataset.issues[dataset.issues["table"] == "adhesions"].empty
    return dataset.adhesions


# --- Exports with one row per adherent card (real exports' structure, invented values) ----------

CARDS = Path(__file__).parent / "fixtures" / "helloasso_cartes_2025.csv"
OLD = Path(__file__).parent / "fixtures" / "helloasso_ancien_2022.csv"
ROW_COLUMNS = ["membership_id", "order_date", "order_status", "member_id", "member_kind",
               "organisation_name", "postal_code", "amount_eur"]


def test_an_order_with_three_adherents_gives_three_members_and_the_payer_is_not_one(settings):
    rows, report, lines = read_helloasso(CARDS, settings=settings)
    claire = _pid("claire.fontaine@exemple.org")
    ines = _pid("ines.morel@exemple.org")
    hugo = pseudonym("nom:" + code_key("Fontaine|Hugo") + "|14/05/1979", salt=SALT)
    jean_pierre = pseudonym("nom:" + code_key("Fontaine|Jean‑Pierre") + "|01/09/2012", salt=SALT)
    assert rows[ROW_COLUMNS].values.tolist() == [
        ["5001", "10/01/2025 10:00", "Validé", claire, "physique", None, "26000", "20,00"],
        ["5002", "10/01/2025 10:00", "Validé", hugo, "physique", None, "26000", "10,00"],
        ["5003", "10/01/2025 10:00", "Validé", jean_pierre, "physique", None, "26000", "0,00"],
        ["5004", "12/02/2025 09:30", "Validé", ines, "physique", None, "38000", "15,00"],
        ["5005", "13/02/2025 11:45", "Validé", _pid("louis.garnier@exemple.org"), "morale",
         "Atelier des Possibles", "07000", "60,00"],
        [f"30004-{_pid('nina.roche@exemple.org')[2:10]}", "01/03/2025 18:00", "En attente",
         _pid("nina.roche@exemple.org"), "physique", None, "15000", "5,00"],
        ["5006", "20/06/2025 08:15", "Validé", ines, "physique", None, "38000", "25,00"],
        ["5004", "12/02/2025 09:30", "Validé", ines, "physique", None, "38000", "15,00"],
    ]
    assert lines == [2, 3, 4, 5, 6, 7, 8, 9]
    assert _pid("sophie.lebrun@exemple.org") not in set(rows["member_id"])  # she only paid
    # what a treasurer counts by hand: validated cards 5001–5006, 5 distinct adherents, 130 €
    validated = rows[rows["order_status"] == "Validé"].drop_duplicates("membership_id")
    assert validated["member_id"].nunique() == 5
    assert validated["amount_eur"].str.replace(",", ".").astype(float).sum() == 130.0


def test_unquoted_entity_is_rejoined_with_a_warning_and_never_shifts_the_row(settings):
    rows, report, _ = read_helloasso(CARDS, settings=settings)
    assert rows.loc[2, ["postal_code", "commune_name", "amount_eur"]].tolist() == ["26000", "Valence", "0,00"]
    assert report.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist() == [[
        4, "(ligne entière)", "22 valeurs au lieu de 21",
        "le « ; » de « &#8209; » (entité HTML sans guillemets) coupait une valeur : valeurs recollées, "
        "ligne gardée ; vérifiez-la"], [
        6, "Montant code promo", "10,00",
        "code promo : le montant retenu est « Montant tarif » tel qu'écrit, sans en déduire « Montant code "
        "promo » ; vérifiez-le dans HelloAsso"]]
    text = "\n".join(report.lines_fr())
    for personal in ("Fontaine", "Jean", "claire.fontaine", "06 11 22 33 44", "1980", "Par une amie"):
        assert personal not in text


def test_a_repeated_card_is_merged_and_listed_and_the_ledger_balances(dataset_dir: Path, settings):
    report = import_helloasso(CARDS, dataset_dir=dataset_dir, settings=settings)
    assert report.added_keys == ["5001", "5002", "5003", "5005",
                                 f"30004-{_pid('nina.roche@exemple.org')[2:10]}", "5006", "5004"]
    assert report.merged.values.tolist() == [[5, "5004", 9]]
    assert_ledger_balances(report, read=9, added=7, merged=1, rejected=0, blank=1)
    lines = report.lines_fr()
    assert ("Bilan : 9 lignes lues = 7 ajoutées + 0 mise à jour + 0 inchangée + 1 fusionnée sous une clé "
            "répétée + 0 rejetée + 0 hors région + 1 vide.") in lines
    assert ("Fusionnées sous une clé répétée (clé : identifiant de la carte d'adhérent (« Carte d'adhérent »)"
            " ; la dernière ligne est retenue) : 1") in lines
    assert "  ligne 5 : clé « 5004 », fusionnée avec la ligne 9" in lines
    assert report.ignored_columns == ["Numéro de téléphone", "Comment avez-vous connu le réseau ?"]
    adhesions = _loaded(dataset_dir)
    assert adhesions.groupby("member_id")["membership_id"].count().max() == 2  # Inès paid twice


def test_a_card_without_id_falls_back_to_order_and_adherent_else_is_rejected(dataset_dir: Path, settings,
                                                                            tmp_path: Path):
    text = CARDS.read_text(encoding="utf-8").replace("carte-adherent?cardId=5002", "carte")
    broken = tmp_path / "export.csv"
    broken.write_text(text, encoding="utf-8")
    report = import_helloasso(broken, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    hugo = pseudonym("nom:" + code_key("Fontaine|Hugo") + "|14/05/1979", salt=SALT)
    assert report.rows["membership_id"].tolist()[1] == f"30001-{hugo[2:10]}"
    assert report.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist()[0] == [
        3, "Carte d'adhérent", "(adresse de carte)",
        "adresse de carte d'adhérent sans identifiant (…?cardId=…) : clé = référence de commande et adhérent"]
    assert_ledger_balances(report, read=9, added=7, merged=1, rejected=0, blank=1)

    broken.write_text(text.replace("\n30001;10/01/2025 10:00;Validé;Fontaine;Hugo", "\n;10/01/2025 10:00;Validé;"
                                   "Fontaine;Hugo"), encoding="utf-8")
    report = import_helloasso(broken, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert report.issues[["line_number", "rule"]].values.tolist()[0] == [
        3, "adresse de carte d'adhérent sans identifiant (…?cardId=…) ni référence de commande : ligne non "
        "importée"]
    assert_ledger_balances(report, read=9, added=6, merged=1, rejected=1, blank=1)


def test_older_column_set_is_read_with_the_adherent_email_of_a_custom_field(dataset_dir: Path, settings):
    report = import_helloasso(OLD, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert report.rows[ROW_COLUMNS].values.tolist() == [
        ["901", "05/01/2022 14:20", "Validé", _pid("marie.vidal@exemple.org"), "physique", None, "43000", "12,00"],
        ["902", "05/01/2022 14:20", "Validé", _pid("tom.vidal@exemple.org"), "physique", None, "43000", "8,00"],
        ["903", "17/03/2022 09:00", "Validé", _pid("paul.bernard@exemple.org"), "physique", None, "03000", "0,00"],
    ]
    assert_ledger_balances(report, read=3, added=3)
    text = "\n".join(report.lines_fr())
    assert "Vidal" not in text and "Lilas" not in text and "07 00" not in text


def test_xlsx_export_with_a_metadata_sheet_first_is_found_and_said(dataset_dir: Path, settings, tmp_path):
    frame = pd.read_csv(OLD, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    workbook = Workbook()
    meta = workbook.active
    meta.title = "Meta_export"
    meta.append(["Export HelloAsso"])
    meta.append(["Généré le", "01/01/2023"])
    data = workbook.create_sheet("Adhésions")
    data.append(list(frame.columns))
    for record in frame.itertuples(index=False):
        data.append([value or None for value in record])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    report = import_helloasso(path, dataset_dir=dataset_dir, settings=settings, dry_run=True)
    assert report.rows["membership_id"].tolist() == ["901", "902", "903"]
    assert ("Attention : export.xlsx : le classeur a 2 feuilles ; la feuille « Adhésions » est lue (la "
            "première qui porte les colonnes attendues), pas « Meta_export ». Pour en lire une autre, "
            "nommez-la (option --feuille).") in report.lines_fr()
    assert_ledger_balances(report, read=3, added=3)


def test_the_loader_also_keys_a_member_on_the_adherent_email_not_the_payer_email():
    from relief_analytics.load.pseudonymise import person_keys

    frame = pd.DataFrame({"Email payeur": ["claire@exemple.org", "claire@exemple.org"],
                          "Email": ["claire@exemple.org", "hugo@exemple.org"]})
    assert person_keys(frame).tolist() == ["email:claire@exemple.org", "email:hugo@exemple.org"]


def test_members_per_year_after_import_match_the_treasurers_hand_count(dataset_dir: Path, settings):
    from relief_analytics.indicators.membership import membership_by_year

    import_helloasso(CARDS, dataset_dir=dataset_dir, settings=settings)
    import_helloasso(OLD, dataset_dir=dataset_dir, settings=settings)
    adhesions = _loaded(dataset_dir)
    by_year = membership_by_year(adhesions, valid_statuses=["Validé"]).set_index("year")
    # 2022: Marie and Tom Vidal (one order, two cards) and Paul Bernard: 3 members, 20 €
    # 2025: Claire, Hugo, Jean-Pierre (one order), Inès (twice), Louis for his structure: 5 members, 130 €
    assert by_year.loc[[2022, 2025], ["members_count", "payments_count", "amount_total_eur"]].values.tolist() == [
        [3, 3, 20.0], [5, 6, 130.0]]


def test_a_table_written_with_order_references_as_keys_is_re_keyed_not_doubled(dataset_dir: Path, settings):
    import_helloasso(CARDS, dataset_dir=dataset_dir, settings=settings)
    table = dataset_dir / "adhesions_helloasso.csv"
    text = table.read_text(encoding="utf-8-sig")
    earlier = {"5004": "30002", "5005": "30003"}  # one card each: an earlier version keyed them on the order
    for card, reference in earlier.items():
        text = text.replace(f"\n{card};", f"\n{reference};")
    table.write_text(text, encoding="utf-8-sig")
    report = import_helloasso(CARDS, dataset_dir=dataset_dir, settings=settings)
    assert report.added_keys == [] and sorted(report.updated_keys) == ["5004", "5005"]
    assert sorted(report.changes.values.tolist()) == [
        ["5004", "membership_id", "30002", "5004"], ["5005", "membership_id", "30003", "5005"]]
    assert_ledger_balances(report, read=9, updated=2, unchanged=5, merged=1, blank=1)
    assert len(_loaded(dataset_dir)) == 7
