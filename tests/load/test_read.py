"""Each quirk of real volunteer files, with the exact values parsed."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from relief_analytics.load import DataError, load_table

LIEUX_HEADER = "identifiant;nom;code_postal;commune;code_insee;typologies;etat;membre_reseau;latitude;annee_ouverture;date_mise_a_jour"


def lieux_csv(rows: list[str], *, sep: str = ";", header: str = LIEUX_HEADER) -> str:
    return "\n".join([header.replace(";", sep), *[r.replace(";", sep) for r in rows]]) + "\n"


ROW = "L1;La Fabrique;01000;Bourg-en-Bresse;1053;Tiers-lieu culturel;ouvert;oui;46,2052;2019;14/03/2024"


def test_semicolon_utf8_bom_crlf(write_bytes, sample_config):
    text = lieux_csv([ROW]).replace("\n", "\r\n")
    path = write_bytes("lieux.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = load_table(path, table="lieux", config=sample_config)
    row = result.accepted.iloc[0]
    assert row["lieu_id"] == "L1"  # the BOM did not stick to the first header
    assert row["latitude"] == pytest.approx(46.2052)  # decimal comma
    assert row["updated_date"] == pd.Timestamp(2024, 3, 14)  # dd/mm/yyyy
    assert row["opening_year"] == 2019


def test_comma_separated_with_quoted_decimal_comma(write_bytes, sample_config):
    header = LIEUX_HEADER.replace(";", ",")
    row = 'L1,"La Fabrique, atelier",01000,Bourg-en-Bresse,01053,Tiers-lieu culturel,ouvert,non,"46,5",2019,2024-03-14'
    path = write_bytes("lieux.csv", (header + "\n" + row + "\n").encode("utf-8"))
    result = load_table(path, table="lieux", config=sample_config)
    row = result.accepted.iloc[0]
    assert row["lieu_name"] == "La Fabrique, atelier"
    assert row["latitude"] == 46.5
    assert row["updated_date"] == pd.Timestamp(2024, 3, 14)  # ISO date
    assert not row["is_member"]


def test_windows_1252(write_bytes, sample_config):
    row = "L1;Café Épicé;07000;Privas;07186;Tiers-lieu nourricier;ouvert;oui;;;"
    path = write_bytes("lieux.csv", lieux_csv([row]).encode("cp1252"))
    result = load_table(path, table="lieux", config=sample_config)
    assert result.accepted.iloc[0]["lieu_name"] == "Café Épicé"


def test_insee_code_lost_leading_zero(write_bytes, sample_config):
    path = write_bytes("lieux.csv", lieux_csv([ROW]).encode())
    assert load_table(path, table="lieux", config=sample_config).accepted.iloc[0]["commune_code"] == "01053"


def test_padded_headers_and_blank_trailing_rows(write_bytes, sample_config):
    header = " identifiant ; Nom ;code_postal;commune;Code_INSEE ;typologies;état;membre_reseau;latitude;annee_ouverture;date_mise_a_jour"
    text = lieux_csv([ROW], header=header) + ";;;;;;;;;;\n;;;;;;;;;;\n\n"
    path = write_bytes("lieux.csv", text.encode())
    result = load_table(path, table="lieux", config=sample_config)
    assert (result.read_count, result.accepted_count, result.rejected_count) == (1, 1, 0)
    assert result.accepted.iloc[0]["lieu_name"] == "La Fabrique"


def test_xlsx_with_title_row_above_header(tmp_path, sample_config):
    wb = Workbook()
    ws = wb.active
    ws.append(["Recensement des lieux 2024"])  # merged title row, as volunteers do
    ws.merge_cells("A1:E1")
    ws.append([])
    ws.append(["identifiant", "nom", "code_insee", "typologies", "etat", "membre_reseau", "latitude", "date_mise_a_jour"])
    import datetime as dt

    ws.append(["L7", "Le Local", 1053, "Tiers-lieu culturel", "ouvert", "oui", 46.2, dt.datetime(2024, 3, 14)])
    ws.append([None] * 8)
    path = tmp_path / "lieux.xlsx"
    wb.save(path)
    result = load_table(path, table="lieux", config=sample_config)
    row = result.accepted.iloc[0]
    assert (row["lieu_id"], row["commune_code"], row["latitude"]) == ("L7", "01053", 46.2)
    assert row["updated_date"] == pd.Timestamp(2024, 3, 14)
    assert result.issues.empty
    assert result.read_count == 1


def test_xlsx_error_points_to_spreadsheet_row(tmp_path, sample_config):
    wb = Workbook()
    ws = wb.active
    ws.append(["Titre"])
    ws.append(["identifiant", "nom", "typologies", "etat", "membre_reseau"])
    ws.append(["L1", "A", "Tiers-lieu culturel", "ouvert", "oui"])
    ws.append(["L2", "B", "Tiers-lieu culturel", "ouvert", "bof"])
    path = tmp_path / "lieux.xlsx"
    wb.save(path)
    issue = load_table(path, table="lieux", config=sample_config).issues.iloc[0]
    assert (issue["line_number"], issue["column_name"], issue["cell_value"]) == (4, "membre_reseau", "bof")


def test_missing_required_column_stops_with_french_message(write_bytes, sample_config):
    path = write_bytes("lieux.csv", b"identifiant;nom;typologies;membre_reseau\nL1;A;Tiers-lieu culturel;oui\n")
    with pytest.raises(DataError) as exc:
        load_table(path, table="lieux", config=sample_config)
    message = str(exc.value)
    assert message.startswith("Fichier lieux.csv : colonne(s) obligatoire(s) absente(s) : « etat ».")
    assert "[colonnes.lieux]" in message


def test_column_renamed_by_configuration(write_bytes, sample_config):
    from dataclasses import replace

    config = replace(sample_config, column_overrides={"lieux": {"Statut du lieu": "state"}})
    path = write_bytes("lieux.csv", b"identifiant;nom;typologies;membre_reseau;Statut du lieu\nL1;A;Tiers-lieu culturel;oui;ouvert\n")
    assert load_table(path, table="lieux", config=config).accepted.iloc[0]["state"] == "ouvert"


def test_unsupported_extension(write_bytes, sample_config):
    path = write_bytes("lieux.ods", b"")
    with pytest.raises(DataError, match="format « .ods » non pris en charge"):
        load_table(path, table="lieux", config=sample_config)


def test_records_are_checked_against_physical_lines():
    from relief_analytics.load.read import parse_csv_records

    text = 'a;b;c\n1;"deux\nlignes";3\n4;"cinq;6\n7;8;9\n10;11;12\n'
    records, problems = parse_csv_records(text, ";")
    # a quoted line break is a value; an unclosed quote is one listed line, the rows after it are read
    assert records == [(1, ["a", "b", "c"]), (2, ["1", "deux\nlignes", "3"]), (5, ["7", "8", "9"]), (6, ["10", "11", "12"])]
    assert [(p["line_number"], p["cell_value"]) for p in problems] == [(4, 'guillemet « " » non fermé')]
    assert "les lignes 4 à 6 auraient été lues comme une seule valeur" in problems[0]["rule"]


def test_utf16_file_stops_with_a_french_message(write_bytes, sample_config):
    path = write_bytes("lieux.csv", lieux_csv([ROW]).encode("utf-16"))
    with pytest.raises(DataError) as exc:
        load_table(path, table="lieux", config=sample_config)
    assert str(exc.value) == (
        "Fichier lieux.csv : il est enregistré en UTF-16 (« Texte Unicode »), que l'outil ne lit pas. "
        "Ouvrez-le dans votre tableur et enregistrez le fichier en UTF-8 (« CSV UTF-8 (délimité par des "
        "points-virgules) » dans Excel, jeu de caractères « Unicode (UTF-8) » dans LibreOffice)."
    )


def test_wrong_width_row_is_listed_and_counted(write_bytes, sample_config):
    path = write_bytes("lieux.csv", lieux_csv([ROW, ROW.replace("L1", "L2") + ";en trop"]).encode())
    result = load_table(path, table="lieux", config=sample_config)
    assert (result.read_count, result.accepted_count, result.rejected_count) == (2, 1, 1)
    issue = result.issues.iloc[0]
    assert (issue["file_name"], issue["line_number"], issue["column_name"], issue["cell_value"]) == (
        "lieux.csv", 3, "(ligne entière)", "12 valeurs au lieu de 11")
