"""HelloAsso exports as downloaded → exact ``adhesions`` rows, pseudonymised, idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from sample_copy import TEST_SALT

from relief_analytics.importers.helloasso import (
    import_helloasso,
    read_helloasso,
    unvalidated_orders,
)
from relief_analytics.load import load_dataset
from relief_analytics.load.pseudonymise import pseudonym

EXPORT = Path(__file__).parent / "fixtures" / "helloasso_adhesions.csv"
SALT = TEST_SALT  # the salt of the dataset copies (tests/sample_copy.py)


def _pid(email: str) -> str:
    return pseudonym("email:" + email, salt=SALT)


EXPECTED = pd.DataFrame(
    [
        ["20001", "15/01/2025 09:05", "2025", "Validé", _pid("lucie.martin@exemple.fr"), "physique",
         None, None, "69003", "Lyon", "15,00", "Carte bancaire"],
        ["20002", "16/01/2025 18:30", "2025", "Validé", _pid("paul.durand@exemple.fr"), "morale",
         "La Fabrique du Coin", None, "38000", "Grenoble", "50,00", "Virement"],
        ["20003", "20/01/2025 12:00", "2025", "En attente", _pid("anne.petit@exemple.fr"), "physique",
         None, None, "42000", "Saint-Étienne", "10,00", "Chèque"],
        ["20004", "01/02/2025 10:10", "2025", "Validé", _pid("marc.roux@exemple.fr"), "physique",
         None, None, "63000", "Clermont-Ferrand", "0,00", "Carte bancaire"],
        ["20005", "03/03/2025 21:45", "2025", "Validé", _pid("lucie.martin@exemple.fr"), "physique",
         None, None, "69003", "Lyon", "1234,50", "Carte bancaire"],
        ["20006", "05/03/2025 08:00", "2025", "Remboursé", _pid("lea.blanc@exemple.fr"), "physique",
         None, None, "01000", "Bourg-en-Bresse", "20,00", "Carte bancaire"],
        ["20007", "06/03/2025 08:15", "2025", "Validé", _pid("jean.noir@exemple.fr"), "morale",
         None, None, "73000", "Chambéry", "30,00", "Carte bancaire"],
    ],
    columns=["membership_id", "order_date", "membership_year", "order_status", "member_id",
             "member_kind", "organisation_name", "lieu_id", "postal_code", "commune_name",
             "amount_eur", "payment_method"],
    dtype=object,
)


def test_csv_export_gives_exact_rows_without_personal_data(settings):
    rows, report = read_helloasso(EXPORT, settings=settings)
    pd.testing.assert_frame_equal(rows, EXPECTED)
    assert report.read_count == 8
    assert report.issues[["line_number", "column_name", "cell_value"]].values.tolist() == [
        [9, "Date de la commande", "32/03/2025 08:00"]
    ]
    assert report.ignored_columns == ["Votre tiers-lieu préféré ?"]
    assert report.unvalidated[["membership_id", "order_status"]].values.tolist() == [
        ["20003", "En attente"], ["20006", "Remboursé"]
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
    rows, report = read_helloasso(path, settings=settings)
    pd.testing.assert_frame_equal(rows, EXPECTED)
    assert report.issues["line_number"].tolist() == [9]


def test_import_writes_a_table_the_loader_accepts_and_is_idempotent(dataset_dir: Path, settings):
    source_bytes = EXPORT.read_bytes()
    first = import_helloasso(EXPORT, dataset_dir=dataset_dir, settings=settings)
    assert first.added_keys == [f"2000{i}" for i in range(1, 8)] and first.written
    table = dataset_dir / "adhesions_helloasso.csv"
    written = table.read_text(encoding="utf-8-sig")
    assert "lucie" not in written.lower() and "@" not in written
    again = import_helloasso(EXPORT, dataset_dir=dataset_dir, settings=settings)
    assert (again.added_keys, again.updated_keys, again.unchanged_count) == ([], [], 7)
    assert not again.written and table.read_text(encoding="utf-8-sig") == written
    assert EXPORT.read_bytes() == source_bytes

    adhesions = _loaded(dataset_dir)
    assert len(adhesions) == 7
    assert adhesions.groupby("member_id")["membership_id"].count().max() == 2  # Lucie paid twice
    assert unvalidated_orders(adhesions, valid_statuses=["Validé"])[
        ["membership_id", "order_status", "amount_eur"]].values.tolist() == [
        ["20003", "En attente", 10.0], ["20006", "Remboursé", 20.0]]


def test_changed_status_is_updated_and_listed(dataset_dir: Path, settings, tmp_path: Path):
    import_helloasso(EXPORT, dataset_dir=dataset_dir, settings=settings)
    later = tmp_path / "export_mars.csv"
    later.write_bytes(EXPORT.read_bytes().replace(b";En attente;", ";Validé;".encode()))
    report = import_helloasso(later, dataset_dir=dataset_dir, settings=settings)
    assert report.updated_keys == ["20003"] and report.added_keys == []
    assert report.changes.values.tolist() == [["20003", "order_status", "En attente", "Validé"]]
    assert "  20003, order_status : « En attente » → « Validé »" in report.lines_fr()
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
