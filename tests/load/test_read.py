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


# --- Cuts by an unquoted entity, header synonyms, sheets, bounded work (every CSV/XLSX table) -----

import io  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

from relief_analytics.load import read as read_module  # noqa: E402
from relief_analytics.load.headers import header_lookup  # noqa: E402
from relief_analytics.load.read import read_text_table  # noqa: E402
from relief_analytics.schemas import Lieux  # noqa: E402

KNOWN = set(header_lookup(Lieux))


def test_a_value_cut_by_an_unquoted_entity_is_rejoined_with_a_warning(write_bytes, sample_config):
    cut = ROW.replace("La Fabrique", "La Fabrique&#8209;Sud")
    path = write_bytes("lieux.csv", lieux_csv([cut, ROW.replace("L1", "L2")]).encode())
    raw = read_text_table(path, known_headers=KNOWN)
    assert raw.frame["nom"].tolist() == ["La Fabrique‑Sud", "La Fabrique"]  # U+2011, nothing shifted
    assert raw.frame["date_mise_a_jour"].tolist() == ["14/03/2024", "14/03/2024"]
    assert raw.problems == ()
    assert [(r["line_number"], r["cell_value"], r["rule"]) for r in raw.repairs] == [(
        2, "12 valeurs au lieu de 11",
        "le « ; » de « &#8209; » (entité HTML sans guillemets) coupait une valeur : valeurs recollées, "
        "ligne gardée ; vérifiez-la")]
    result = load_table(path, table="lieux", config=sample_config)
    assert (result.read_count, result.accepted_count, result.rejected_count) == (2, 2, 0)


def test_a_cut_that_the_entities_do_not_explain_is_listed_never_shifted(write_bytes):
    cut = ROW.replace("La Fabrique", "Café &amp; Co;Sud")  # two extra values, one entity
    path = write_bytes("lieux.csv", lieux_csv([cut]).encode())
    raw = read_text_table(path, known_headers=KNOWN)
    assert raw.frame.empty and raw.repairs == ()
    assert [(p["line_number"], p["cell_value"]) for p in raw.problems] == [(2, "13 valeurs au lieu de 11")]


def test_entities_are_unescaped_and_blank_lines_counted(write_bytes):
    path = write_bytes("lieux.csv", lieux_csv([ROW.replace("La Fabrique", '"Café &amp; Co"'), ";;;;;;;;;;",
                                               ""]).encode())
    raw = read_text_table(path, known_headers=KNOWN)
    assert raw.frame["nom"].tolist() == ["Café & Co"]
    assert (raw.read_count, raw.blank_count) == (1, 2)


@pytest.mark.parametrize("typology_header", ["Typologie", " TYPOLOGIES ", "typologie(s)", "Typologies :"])
def test_header_spellings_map_to_the_contract_column(write_bytes, sample_config, typology_header):
    header = LIEUX_HEADER.replace("typologies", typology_header).replace("code_postal", "CP")
    path = write_bytes("lieux.csv", lieux_csv([ROW], header=header).encode())
    result = load_table(path, table="lieux", config=sample_config)
    assert result.accepted["typologies"].iloc[0] == "Tiers-lieu culturel"
    assert result.accepted["postal_code"].iloc[0] == "01000"


def test_an_unmapped_header_near_a_known_one_is_said_at_once(write_bytes):
    path = write_bytes("lieux.csv", lieux_csv([ROW], header=LIEUX_HEADER.replace("typologies", "typolgies")).encode())
    raw = read_text_table(path, known_headers=KNOWN)
    assert raw.notes == (
        "lieux.csv : la colonne « typolgies » ne correspond à aucune colonne connue ; la plus proche est "
        "« typologies » : renommez l'en-tête si c'est elle (sinon la colonne est ignorée).",)


def test_a_duplicated_contract_header_reads_the_first_and_says_so(write_bytes, sample_config):
    path = write_bytes("lieux.csv", lieux_csv([ROW + ";Autre nom"], header=LIEUX_HEADER + ";Nom").encode())
    raw = read_text_table(path, known_headers=KNOWN)
    assert raw.notes == (
        "lieux.csv : l'en-tête « Nom » apparaît deux fois (colonnes 2 et 12) ; la colonne 2 est lue, la "
        "colonne 12 est ignorée (nommée « Nom (2) ») : vérifiez laquelle porte la bonne valeur, et renommez "
        "l'autre.",)
    result = load_table(path, table="lieux", config=sample_config)
    assert result.accepted["lieu_name"].tolist() == ["La Fabrique"]


def test_a_duplicated_long_header_gives_one_note_only(write_bytes):
    header = LIEUX_HEADER.replace("code_postal", "Code postal") + ";Code postal"
    path = write_bytes("lieux.csv", lieux_csv([ROW + ";38000"], header=header).encode())
    raw = read_text_table(path, known_headers=KNOWN)
    assert len(raw.notes) == 1 and raw.notes[0].startswith("lieux.csv : l'en-tête « Code postal » apparaît deux fois")
    assert raw.frame["Code postal"].tolist() == ["01000"]


def test_a_duplicated_other_header_is_renamed_and_said(write_bytes):
    path = write_bytes("lieux.csv", lieux_csv([ROW + ";a;b"], header=LIEUX_HEADER + ";Remarque;Remarque").encode())
    raw = read_text_table(path, known_headers=KNOWN)
    assert raw.frame[["Remarque", "Remarque (2)"]].values.tolist() == [["a", "b"]]
    assert raw.notes == ("lieux.csv : l'en-tête « Remarque » apparaît deux fois (colonnes 12 et 13) ; la "
                         "seconde est nommée « Remarque (2) ».",)


def _workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _patch_sheet_xml(data: bytes, replace: tuple[bytes, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(*replace)
            target.writestr(info, content)
    return out.getvalue()


HUGE = ("Classeur lieux.xlsx, feuille « Lieux » : elle {what} des cellules jusqu'à XFD1048576 "
        "(1\u202f048\u202f576 lignes × 16\u202f384 colonnes), au-delà de la limite de 4\u202f194\u202f304 "
        "cellules : le classeur n'est pas lu. Supprimez les lignes et colonnes vides après vos données (ou "
        "copiez les données dans un nouveau classeur), puis réenregistrez-le.")


def test_a_small_xlsx_with_a_cell_at_xfd1048576_is_refused_in_seconds():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lieux"
    sheet["A1"], sheet["B1"] = "identifiant", "nom"
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    declared = buffer.getvalue()
    assert len(declared) < 30_000
    lying = _patch_sheet_xml(declared, (b'ref="A1:XFD1048576"', b'ref="A1:B1"'))
    for data, what in ((declared, "déclare"), (lying, "contient")):
        start = time.perf_counter()
        with pytest.raises(DataError) as error:
            read_text_table(Path("lieux.xlsx"), known_headers=KNOWN, data=data)
        assert time.perf_counter() - start < 5
        assert str(error.value) == HUGE.format(what=what)


def test_a_damaged_sheet_inside_a_valid_workbook_gives_a_french_message():
    data = _workbook_bytes({"Lieux": [["identifiant", "nom"], ["L1", "La Fabrique"]]})
    broken = _patch_sheet_xml(data, (b"</sheetData>", b"<row r=\"3\"><c r=\"A3\"><v>1</sheetData>"))
    with pytest.raises(DataError) as error:
        read_text_table(Path("lieux.xlsx"), known_headers=KNOWN, data=broken)
    assert str(error.value).startswith("Classeur lieux.xlsx : la feuille « Lieux » est endommagée (")
    assert str(error.value).endswith(") et ne peut pas être lue. Ouvrez le classeur dans votre tableur et "
                                     "réenregistrez-le au format .xlsx.")


def test_an_unknown_sheet_name_lists_the_sheets():
    data = _workbook_bytes({"Meta_source": [["Source"]], "Lieux": [["identifiant", "nom"]]})
    with pytest.raises(DataError) as error:
        read_text_table(Path("lieux.xlsx"), known_headers=KNOWN, data=data, sheet="Données")
    assert str(error.value) == ("Classeur lieux.xlsx : pas de feuille « Données ». Feuilles du classeur : "
                                "« Meta_source », « Lieux ».")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(write_bytes, monkeypatch):
    path = write_bytes("lieux.csv", lieux_csv([ROW] * 50).encode())
    monkeypatch.setattr(read_module, "MAX_FILE_BYTES", 1_000)
    with pytest.raises(DataError) as error:
        read_text_table(path, known_headers=KNOWN)
    assert str(error.value) == ("Fichier lieux.csv : 0,0 Mo, au-delà de la limite de 0,0 Mo : le fichier n'est "
                                "pas lu. Découpez-le ou retirez les colonnes et feuilles inutiles.")
    monkeypatch.setattr(read_module, "MAX_FILE_BYTES", 200_000_000)
    assert len(read_text_table(path, known_headers=KNOWN).frame) == 50


def test_a_sheet_too_big_once_uncompressed_is_refused_unread(monkeypatch):
    data = _workbook_bytes({"Lieux": [["identifiant", "nom"], ["L1", "La Fabrique"]]})
    monkeypatch.setattr(read_module, "MAX_SHEET_XML_BYTES", 100)
    with pytest.raises(DataError) as error:
        read_text_table(Path("lieux.xlsx"), known_headers=KNOWN, data=data)
    assert str(error.value).startswith("Classeur lieux.xlsx : une feuille (sheet1.xml) occupe ")
    assert str(error.value).endswith(" Mo une fois décompressée, au-delà de la limite de 0 Mo : le classeur "
                                     "n'est pas lu.")


def test_a_cell_longer_than_the_csv_modules_default_limit_is_read_whole(tmp_path):
    # found by the fuzzer: a 2 MB cell stopped the read with an untranslated « field larger than
    # field limit (131072) »; the file size (bounded) is what limits the work, not one cell
    long_name = "x" * 300_000
    path = tmp_path / "lieux.csv"
    path.write_text(f"identifiant;nom\nL1;{long_name}\nL2;La Fabrique\n", encoding="utf-8")
    raw = read_module.read_csv_text(path, known_headers={"identifiant", "nom"})
    assert raw.frame["nom"].tolist() == [long_name, "La Fabrique"]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("sep", [";", ","])
def test_a_bad_value_is_reported_on_its_spreadsheet_line_whatever_the_line_ends(write_bytes, sample_config, end, sep):
    # BOM, a blank line, a quoted cell over two lines before the bad value, and no final line end
    quoted = ROW.replace("La Fabrique", '"La Fabrique<br>du Bourg"')
    rows = [ROW.replace("L1", "L2"), "", quoted.replace("L1", "L3"), ROW.replace("L1", "L4").replace("ouvert;", "fermee?;")]
    text = lieux_csv(rows, sep=sep).rstrip("\n").replace("\n", end).replace("<br>", end)
    if sep == ",":
        text = text.replace("46,2052", '"46,2052"')
    path = write_bytes("lieux.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = load_table(path, table="lieux", config=sample_config)
    assert result.accepted["lieu_id"].tolist() == ["L2", "L3"]
    assert result.accepted["lieu_name"].tolist()[1] == "La Fabrique" + end + "du Bourg"
    issue = result.issues.iloc[0]
    assert (issue["line_number"], issue["column_name"], issue["cell_value"]) == (6, "etat", "fermee?")


def test_one_line_records_are_numbered_by_line_and_an_open_quote_at_the_end_is_listed():
    from relief_analytics.load.read import parse_csv_records

    records, problems = parse_csv_records('a;b\r\r\n1;2\r3;"4', ";")
    assert records == [(1, ["a", "b"]), (2, []), (3, ["1", "2"])]
    assert [(p["line_number"], p["cell_value"]) for p in problems] == [(4, 'guillemet « " » non fermé')]
