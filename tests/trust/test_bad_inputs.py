"""The bad-input matrix: what a careless or hostile user may save, and the exact outcome of each.

Outcomes are of three kinds, each asserted exactly:

- ``Accepted``: the rows are accepted (with the parsed value a reader will see), possibly with a
  French statement about the file (``notes``);
- ``Rejected``: each bad row is listed with file, spreadsheet line, column, value and rule, the
  other rows are accepted, and ``lues = acceptées + rejetées``;
- ``Stopped``: loading stops with a French ``DataError`` (the command line exits with code 2).

The loader API is used directly on tiny files: fast, no report build.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import Workbook
from trust_helpers import TEST_SALT

from relief_analytics.load import DataError, load_dataset
from relief_analytics.load.dataset import load_table_with_notes

LIEUX_HEADER = "identifiant;nom;code_postal;commune;code_insee;typologies;etat;membre_reseau;latitude;annee_ouverture;date_mise_a_jour"
LIEU = "L1;La Fabrique;01000;Bourg-en-Bresse;01053;Tiers-lieu culturel;ouvert;oui;46,2052;2019;14/03/2024"
LIEU2 = "L2;Le Local;69003;Lyon;69383;Fablab / Makerspace / Hackerspace;ouvert;non;45,75;2020;01/02/2025"
BUDGET_HEADER = "annee;compte;intitule;prevu_eur;realise_eur;financeur;action"
EVENTS_HEADER = "identifiant;titre;debut;fin;type;commission;mode;participants;duree_heures"
EVENT = "E1;Rencontre de printemps;14/03/2025 18:00;14/03/2025 20:00;Rencontre;Formation;sur place;12;2"
HELLOASSO_HEADER = (
    "Référence commande;Date de la commande;Statut de la commande;Nom adhérent;Prénom adhérent;"
    "Email payeur;Raison sociale;Moyen de paiement; Montant tarif ;Type d'adhérent;Année d'adhésion;"
    "Téléphone;Votre adresse postale"
)
ADHESION = (
    "A1;02/06/2025 17:26;Validé;Boyer;Olivier;olivier.boyer@exemple.fr;;Carte bancaire;10,00;"
    "Personne physique;2025;+33 4 65 71 01 70;3 rue des Lilas"
)


def budget_rows(n: int) -> list[str]:
    return [f"2025;60{i:02d};Achats {i};{100 + i},00;{90 + i},00;;" for i in range(n)]


def text_file(header: str, rows: list[str], *, sep: str = ";", newline: str = "\n") -> bytes:
    return newline.join([header.replace(";", sep), *[r.replace(";", sep) for r in rows]]).encode() + newline.encode()


@dataclass
class Accepted:
    count: int
    value: tuple[str, object] | None = None  # (processed column, value of the first row)
    notes: tuple[str, ...] = ()


@dataclass
class Rejected:
    issues: list[tuple]  # (ligne, colonne, valeur, regle)
    accepted: int = 0


@dataclass
class Stopped:
    message: str  # beginning of the French message


@dataclass
class Case:
    table: str
    file_name: str
    content: object  # bytes, or a callable writing the file at the given path
    outcome: object
    extra: dict = field(default_factory=dict)


def workbook(sheets: dict[str, list[list]], *, merge: str | None = None, hidden_rows: tuple[int, ...] = ()):
    def write(path: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for name, rows in sheets.items():
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        first = wb.worksheets[0]
        if merge:
            first.merge_cells(merge)
        for row in hidden_rows:
            first.row_dimensions[row].hidden = True
        wb.save(path)

    return write


XLSX_HEADER = ["identifiant", "nom", "code_insee", "typologies", "etat", "membre_reseau", "date_mise_a_jour"]
XLSX_ROW = ["L7", "Le Local", 1053, "Tiers-lieu culturel", "ouvert", "oui", dt.datetime(2024, 3, 14)]

CASES: dict[str, Case] = {}
W = "(ligne entière)"
DATE_RULE = "date attendue au format jj/mm/aaaa (ex. 14/03/2024)"
DATETIME_RULE = "date attendue au format jj/mm/aaaa (ex. 14/03/2024), éventuellement suivie de HH:MM"
NUMBER_RULE = "nombre attendu (ex. 12,50)"


def quote_rule(start: int, end: int) -> str:
    span = f"les lignes {start} à {end}" if end > start else f"la ligne {start}"
    return (
        f"guillemet ouvert et jamais fermé : {span} auraient été lues comme une seule valeur ; "
        f"fermez le guillemet ou supprimez-le (la ligne est écartée, les suivantes sont lues)"
    )


def width_rule(count: int, width: int, *, more: bool) -> str:
    return (
        f"{'trop' if more else 'pas assez'} de valeurs sur la ligne ({count} pour {width} colonnes "
        f"d'en-tête) : vérifiez le séparateur et les guillemets de cette ligne"
    )


def add(name: str, table: str, file_name: str, content, outcome) -> None:
    CASES[name] = Case(table, file_name, content, outcome)


# --- the defects of issue #9: structure -------------------------------------------------------
rows = budget_rows(81)
rows[3] = '2025;606;"Fournitures;100,00;90,00;;'
add("unclosed-quote-mid-file", "budget", "budget.csv", text_file(BUDGET_HEADER, rows),
    Rejected([(5, W, 'guillemet « " » non fermé', quote_rule(5, 82))], accepted=80))
rows = budget_rows(3) + ['2025;606;Fournitures;"100,00;90,00;;']
add("unclosed-quote-last-line", "budget", "budget.csv", text_file(BUDGET_HEADER, rows),
    Rejected([(5, W, 'guillemet « " » non fermé', quote_rule(5, 5))], accepted=3))
add("unclosed-quote-last-line-without-newline", "budget", "budget.csv", text_file(BUDGET_HEADER, rows)[:-1],
    Rejected([(5, W, 'guillemet « " » non fermé', quote_rule(5, 5))], accepted=3))
rows = budget_rows(4)
rows[1] = '2025;606;"Fournitures ; papeterie";100,00;90,00;;'
add("quoted-separator-is-one-value", "budget", "budget.csv", text_file(BUDGET_HEADER, rows),
    Accepted(4))
add("quoted-line-break-in-a-name", "lieux", "lieux.csv",
    text_file(LIEUX_HEADER, ['L1;"La Fabrique\ndes Communs";01000;Bourg-en-Bresse;01053;Tiers-lieu culturel;ouvert;oui;;;']),
    Accepted(1, ("lieu_name", "La Fabrique\ndes Communs")))
add("too-many-values", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU + ";en trop", LIEU2]),
    Rejected([(2, W, "12 valeurs au lieu de 11", width_rule(12, 11, more=True))], accepted=1))
add("too-few-values", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU, "L2;Le Local;69003"]),
    Rejected([(3, W, "3 valeurs au lieu de 11", width_rule(3, 11, more=False))], accepted=1))
add("extra-empty-separators-are-fine", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU + ";;"]), Accepted(1))
add("header-only", "evenements", "evenements.csv", text_file(EVENTS_HEADER, []), Accepted(0))
add("header-and-blank-lines-only", "evenements", "evenements.csv", text_file(EVENTS_HEADER, ["", ";;;;;;;;", ""]), Accepted(0))
add("empty-file", "lieux", "lieux.csv", b"", Stopped("Fichier lieux.csv : le fichier est vide."))
add("missing-required-column", "lieux", "lieux.csv", b"identifiant;nom\nL1;A\n",
    Stopped("Fichier lieux.csv : colonne(s) obligatoire(s) absente(s) :"))
add("unsupported-format", "lieux", "lieux.ods", b"PK", Stopped("Fichier lieux.ods : format « .ods » non pris en charge."))
add("wrong-separator-guessed-row", "lieux", "lieux.csv",
    text_file(LIEUX_HEADER, [LIEU, LIEU2.replace(";", ",")]),
    Rejected([(3, W, "1 valeur au lieu de 11", width_rule(1, 11, more=False))], accepted=1))

# --- encodings and separators -----------------------------------------------------------------
UTF16 = "Fichier lieux.csv : il est enregistré en UTF-16"
add("utf16-with-bom", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU]).decode().encode("utf-16"), Stopped(UTF16))
add("utf16-without-bom", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU]).decode().encode("utf-16-le"), Stopped(UTF16))
add("utf16-big-endian", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU]).decode().encode("utf-16-be"), Stopped(UTF16))
add("cp1252", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("La Fabrique", "Café Épicé")]).decode().encode("cp1252"),
    Accepted(1, ("lieu_name", "Café Épicé")))
add("utf8-bom-crlf", "lieux", "lieux.csv", b"\xef\xbb\xbf" + text_file(LIEUX_HEADER, [LIEU], newline="\r\n"),
    Accepted(1, ("lieu_id", "L1")))
add("comma-separated", "lieux", "lieux.csv",
    text_file(LIEUX_HEADER, [LIEU.replace("46,2052", '"46,2052"')], sep=","),
    Accepted(1, ("latitude", 46.2052)))
add("tab-separated", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU], sep="\t"), Accepted(1, ("commune_code", "01053")))
add("old-mac-line-endings", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU, LIEU2], newline="\r"), Accepted(2))

# --- dates -------------------------------------------------------------------------------------
add("date-31-february", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("14/03/2024", "31/02/2024")]),
    Rejected([(2, "date_mise_a_jour", "31/02/2024", DATE_RULE)]))
add("date-excel-serial-in-csv", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("14/03/2024", "45365")]),
    Rejected([(2, "date_mise_a_jour", "45365", DATE_RULE)]))
add("date-iso", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("14/03/2024", "2024-03-14")]),
    Accepted(1, ("updated_date", dt.datetime(2024, 3, 14))))
add("date-future", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("14/03/2024", "14/03/2099")]),
    Accepted(1, ("updated_date", dt.datetime(2099, 3, 14))))
add("date-american", "evenements", "evenements.csv", text_file(EVENTS_HEADER, [EVENT.replace("14/03/2025 18:00", "03/14/2025 18:00")]),
    Rejected([(2, "debut", "03/14/2025 18:00", DATETIME_RULE)]))
add("date-two-digit-year", "evenements", "evenements.csv", text_file(EVENTS_HEADER, [EVENT.replace("14/03/2025 18:00", "14/03/25 18:00")]),
    Accepted(1, ("start_date", dt.datetime(2025, 3, 14, 18, 0))))

# --- amounts and percentages -------------------------------------------------------------------
def budget_with(value: str) -> bytes:
    return text_file(BUDGET_HEADER, [f"2025;606;Fournitures;{value};90,00;;"])


add("amount-nbsp-thousands", "budget", "budget.csv", budget_with("1\u00a0234,50"), Accepted(1, ("planned_eur", 1234.5)))
add("amount-narrow-nbsp-thousands", "budget", "budget.csv", budget_with("1\u202f234,50"), Accepted(1, ("planned_eur", 1234.5)))
add("amount-with-euro-sign", "budget", "budget.csv", budget_with("1 234,50 €"), Accepted(1, ("planned_eur", 1234.5)))
add("amount-dot-thousands", "budget", "budget.csv", budget_with("1.234,50"), Accepted(1, ("planned_eur", 1234.5)))
add("amount-text", "budget", "budget.csv", budget_with("environ mille"), Rejected([(2, "prevu_eur", "environ mille", NUMBER_RULE)]))
add("amount-percentage", "budget", "budget.csv", budget_with("15 %"), Rejected([(2, "prevu_eur", "15 %", NUMBER_RULE)]))
add("amount-negative", "budget", "budget.csv", budget_with("-50,00"),
    Rejected([(2, "prevu_eur", "-50,00", "la valeur doit être supérieure ou égale à 0")]))
add("hours-over-24", "contributions", "contributions.csv",
    b"identifiant;email;date;commission;activite;heures\nC1;a@exemple.fr;02/01/2025;Formation;Atelier;30\n",
    Rejected([(2, "heures", "30", "la valeur doit être inférieure ou égale à 24")]))
add("participants-negative", "evenements", "evenements.csv", text_file(EVENTS_HEADER, [EVENT.replace(";12;", ";-3;")]),
    Rejected([(2, "participants", "-3", "la valeur doit être supérieure ou égale à 0")]))
add("helloasso-gratuit", "adhesions", "adhesions.csv", text_file(HELLOASSO_HEADER, [ADHESION.replace(";10,00;", ";Gratuit;")]),
    Accepted(1, ("amount_eur", 0.0)))

# --- codes and keys ----------------------------------------------------------------------------
add("insee-lost-leading-zero", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace(";01053;", ";1053;")]),
    Accepted(1, ("commune_code", "01053")))
add("unknown-typology", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("Tiers-lieu culturel", "Garage")]),
    Rejected([(2, "typologies", "Garage", "valeur hors de la liste [listes].typologies de config.toml (« Garage » inconnu)")]))
add("duplicate-id", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU, LIEU.replace("La Fabrique", "Autre")]),
    Rejected([(3, "identifiant", "L1", "valeur en double (déjà présente ligne 2)")], accepted=1))
add("helloasso-no-identity", "adhesions", "adhesions.csv",
    text_file(HELLOASSO_HEADER, [ADHESION.replace("Boyer;Olivier;olivier.boyer@exemple.fr", ";;")]),
    Rejected([(2, "identité (e-mail, ou nom et prénom)", "",
               "identité du membre manquante : renseignez l'e-mail, ou le nom et le prénom")]))
add("helloasso-custom-personal-columns-dropped", "adhesions", "adhesions.csv", text_file(HELLOASSO_HEADER, [ADHESION]),
    Accepted(1, ("payment_method", "Carte bancaire")))

# --- spreadsheets ------------------------------------------------------------------------------
add("xlsx-several-sheets", "lieux", "lieux.xlsx",
    workbook({"Lieux": [XLSX_HEADER, XLSX_ROW], "Brouillon": [["x"]], "Archives": [["y"]]}),
    Accepted(1, ("lieu_id", "L7"), notes=(
        "lieux.xlsx : le classeur a 3 feuilles ; seule la première (« Lieux ») est lue, "
        "pas « Brouillon », « Archives ».",)))
add("xlsx-merged-title-above-header", "lieux", "lieux.xlsx",
    workbook({"Lieux": [["Recensement 2024"], [], XLSX_HEADER, XLSX_ROW]}, merge="A1:E1"),
    Accepted(1, ("commune_code", "01053")))
add("xlsx-merged-header-cells", "lieux", "lieux.xlsx",
    workbook({"Lieux": [[*XLSX_HEADER, "Contact", None], [*XLSX_ROW, "x", "y"]]}, merge="H1:I1"),
    Accepted(1, notes=("lieux.xlsx : valeurs ignorées dans la colonne 9, qui n'a pas d'en-tête (ligne 2) : "
                       "donnez un en-tête à la colonne ou videz-la.",)))
add("xlsx-formula-without-cached-value", "lieux", "lieux.xlsx",
    workbook({"Lieux": [XLSX_HEADER, [*XLSX_ROW[:1], '=CONCAT("Le ","Local")', *XLSX_ROW[2:]]]}),
    Rejected([(2, "nom", "", "valeur obligatoire manquante")]))
add("xlsx-hidden-rows-are-read", "lieux", "lieux.xlsx",
    workbook({"Lieux": [XLSX_HEADER, XLSX_ROW, ["L8", *XLSX_ROW[1:]]]}, hidden_rows=(3,)),
    Accepted(2))
add("xlsx-values-beyond-header", "lieux", "lieux.xlsx",
    workbook({"Lieux": [XLSX_HEADER, [*XLSX_ROW, "oubli"], ["L8", *XLSX_ROW[1:]]]}),
    Accepted(2, notes=("lieux.xlsx : valeurs ignorées dans la colonne 8, qui n'a pas d'en-tête (ligne 2) : "
                       "donnez un en-tête à la colonne ou videz-la.",)))
add("csv-values-under-a-blank-header", "lieux", "lieux.csv", text_file(LIEUX_HEADER + ";", [LIEU + ";oubli", LIEU2 + ";"]),
    Accepted(2, notes=("lieux.csv : valeurs ignorées dans la colonne 12, qui n'a pas d'en-tête (ligne 2) : "
                       "donnez un en-tête à la colonne ou videz-la.",)))
add("xlsx-damaged", "lieux", "lieux.xlsx", b"PK\x03\x04 pas un classeur",
    Stopped("Classeur lieux.xlsx illisible (BadZipFile). Ouvrez-le et réenregistrez-le au format .xlsx."))
add("xlsx-real-date-cell", "lieux", "lieux.xlsx", workbook({"Lieux": [XLSX_HEADER, XLSX_ROW]}),
    Accepted(1, ("updated_date", dt.datetime(2024, 3, 14))))

# --- Unicode oddities --------------------------------------------------------------------------
add("nbsp-around-values", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("L1;", "\u00a0L1\u00a0;")]),
    Accepted(1, ("lieu_id", "L1")))
add("nbsp-in-header", "lieux", "lieux.csv", text_file(LIEUX_HEADER.replace("identifiant", "identifiant\u00a0"), [LIEU]),
    Accepted(1, ("lieu_id", "L1")))
add("ligature-in-name-kept", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("La Fabrique", "La Coﬁnance")]),
    Accepted(1, ("lieu_name", "La Coﬁnance")))
add("emoji-in-name-kept", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("La Fabrique", "La Fabrique 🌱🧑\u200d🌾")]),
    Accepted(1, ("lieu_name", "La Fabrique 🌱🧑\u200d🌾")))  # the zero-width joiner of the emoji stays
add("rtl-mark-in-code-list-value", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace(";ouvert;", ";ouvert\u200f;")]),
    Accepted(1, ("state", "ouvert")))
add("rtl-override-in-name-removed", "lieux", "lieux.csv",
    text_file(LIEUX_HEADER, [LIEU.replace("La Fabrique", "La Fabrique \u202egnp.exe\u202c")]),
    Accepted(1, ("lieu_name", "La Fabrique gnp.exe")))
add("zero-width-space-in-id", "lieux", "lieux.csv", text_file(LIEUX_HEADER, [LIEU.replace("L1;", "L\u200b1;")]),
    Accepted(1, ("lieu_id", "L1")))
add("hostile-text-kept-as-text", "lieux", "lieux.csv",
    text_file(LIEUX_HEADER, [LIEU.replace("La Fabrique", "=1+1 <script>document.title='PWNED'</script>")]),
    Accepted(1, ("lieu_name", "=1+1 <script>document.title='PWNED'</script>")))


def probe(case: Case, tmp_path: Path) -> Path:
    """Write the case's file in ``tmp_path`` and return its path."""
    path = tmp_path / case.file_name
    if callable(case.content):
        case.content(path)
    else:
        path.write_bytes(case.content)
    return path


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name, tmp_path, sample_config):
    case = CASES[name]
    path = probe(case, tmp_path)
    before = path.read_bytes()
    outcome = case.outcome
    if isinstance(outcome, Stopped):
        with pytest.raises(DataError) as exc:
            load_table_with_notes(path, table=case.table, config=sample_config)
        assert str(exc.value).startswith(outcome.message)
        return
    result, notes = load_table_with_notes(path, table=case.table, config=sample_config)
    assert path.read_bytes() == before  # the input file is never modified
    assert result.read_count == result.accepted_count + result.rejected_count
    issues = [tuple(row) for row in result.issues[["line_number", "column_name", "cell_value", "rule"]].itertuples(index=False)]
    if isinstance(outcome, Accepted):
        assert issues == []
        assert (result.accepted_count, notes) == (outcome.count, outcome.notes)
        if outcome.value:
            column, value = outcome.value
            assert result.accepted[column].iloc[0] == value
    else:
        assert isinstance(outcome, Rejected)
        assert issues == outcome.issues
        assert set(result.issues["file_name"]) == {case.file_name}
        assert result.accepted_count == outcome.accepted
        assert result.rejected_count == len({line for line, *_ in outcome.issues})


def test_unclosed_quote_in_an_82_line_budget_keeps_the_other_80_rows(tmp_path, sample_config):
    """The defect of issue #9: « 5 lignes lues » out of 82, the rest swallowed by one quote."""
    rows = budget_rows(81)
    rows[3] = '2025;606;"Fournitures;100,00;90,00;;'
    path = tmp_path / "budget.csv"
    path.write_bytes(text_file(BUDGET_HEADER, rows))
    result, _ = load_table_with_notes(path, table="budget", config=sample_config)
    assert result.summary_fr() == "budget.csv : 81 lignes lues, 80 acceptées, 1 rejetées"
    assert list(result.accepted["account_code"])[-1] == "6080"


def test_helloasso_personal_columns_never_reach_the_accepted_table(tmp_path, sample_config):
    path = tmp_path / "adhesions.csv"
    path.write_bytes(text_file(HELLOASSO_HEADER, [ADHESION]))
    result, _ = load_table_with_notes(path, table="adhesions", config=sample_config)
    cells = {str(v) for v in result.accepted.to_numpy().ravel()}
    assert not cells & {"Boyer", "Olivier", "olivier.boyer@exemple.fr", "+33 4 65 71 01 70", "3 rue des Lilas"}
    assert result.accepted["member_id"].iloc[0].startswith("P-")


# --- dataset-level cases: files of a folder, config.toml, the year ------------------------------
def tiny_dataset(folder: Path, *, salt: str = TEST_SALT, files: dict | None = None) -> Path:
    """A dataset with one row per required table (2025) and the sample's code lists."""
    from relief_analytics import paths
    from relief_analytics.load.config import SAMPLE_SALT

    folder.mkdir()
    config = (paths.SAMPLE_DATASET_DIR / "config.toml").read_text(encoding="utf-8")
    config = config.replace(f'sel_pseudonymisation = "{SAMPLE_SALT}"', f'sel_pseudonymisation = "{salt}"')
    for table, name in (files or {}).items():
        config = re.sub(rf'^{table} = ".*"$', f'{table} = "{name}"', config, flags=re.M)
    (folder / "config.toml").write_text(config, encoding="utf-8")
    (folder / "lieux.csv").write_bytes(text_file(LIEUX_HEADER, [LIEU]))
    (folder / "adhesions_helloasso.csv").write_bytes(text_file(HELLOASSO_HEADER, [ADHESION]))
    (folder / "evenements.csv").write_bytes(text_file(EVENTS_HEADER, [EVENT]))
    (folder / "contributions.csv").write_bytes(
        b"identifiant;email;date;commission;activite;heures\nC1;a@exemple.fr;02/01/2025;Formation;Atelier;3\n")
    (folder / "budget.csv").write_bytes(text_file(BUDGET_HEADER, budget_rows(2)))
    (folder / "explications_ecarts.csv").write_bytes(b"annee;compte;explication\n2025;6000;Moins cher\n")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_absent_optional_file_with_a_near_name_is_stated(tmp_path):
    folder = tiny_dataset(tmp_path / "d")
    (folder / "gouvernance .csv").write_bytes(b"annee;email;role;commission\n2025;a@exemple.fr;CA;\n")
    ds = load_dataset(folder)
    expected = ("fichier facultatif absent (gouvernance.csv) ; fichier(s) au nom proche trouvé(s) : "
                "« gouvernance .csv » : renommez-le ou corrigez config.toml [fichiers]")
    assert ds.file_notes == [f"Table « gouvernance » : {expected}."]
    row = ds.summary.set_index("table").loc["gouvernance"]
    assert (row["file_name"], row["read_count"], row["remark"]) == ("gouvernance.csv", 0, expected)
    assert ds.gouvernance.empty and "member_id" in ds.gouvernance.columns


def test_absent_optional_file_without_near_name_is_stated(tmp_path):
    ds = load_dataset(tiny_dataset(tmp_path / "d"))
    assert ds.file_notes == ["Table « gouvernance » : fichier facultatif absent (gouvernance.csv)."]


def test_misspelled_required_file_stops_and_names_the_near_file(tmp_path):
    folder = tiny_dataset(tmp_path / "d")
    (folder / "budget.csv").rename(folder / "Budget .CSV")
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    assert str(exc.value).startswith(
        f"Fichier obligatoire manquant pour la table « budget » : {folder / 'budget.csv'} ; "
        "fichier(s) au nom proche trouvé(s) : « Budget .CSV » : renommez-le"
    )


def test_header_only_file_is_stated_in_summary_and_notes(tmp_path):
    folder = tiny_dataset(tmp_path / "d")
    (folder / "evenements.csv").write_bytes(text_file(EVENTS_HEADER, []))
    ds = load_dataset(folder)
    row = ds.summary.set_index("table").loc["evenements"]
    assert (row["read_count"], row["accepted_count"], row["rejected_count"], row["remark"]) == (
        0, 0, 0, "fichier sans aucune ligne de données (en-tête seul)")
    assert "evenements.csv : fichier sans aucune ligne de données (en-tête seul) : la table « evenements » est vide." in ds.file_notes


@pytest.mark.parametrize(
    ("name", "shown"),
    [("../lieux.csv", "../lieux.csv"), ("/etc/passwd", "/etc/passwd"), ("sous/../../x.csv", "sous/../../x.csv"),
     ("~/lieux.csv", "~/lieux.csv")],
)
def test_file_names_leaving_the_data_folder_are_refused(tmp_path, name, shown):
    folder = tiny_dataset(tmp_path / "d", files={"lieux": name})
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    assert str(exc.value) == (
        f"Configuration {folder / 'config.toml'}, [fichiers] lieux = \"{shown}\" : le fichier doit être dans le "
        "dossier de données lui-même (ou un de ses sous-dossiers) ; les chemins absolus et « .. » sont refusés. "
        "Copiez le fichier dans le dossier de données et indiquez son seul nom."
    )


def test_file_in_a_subfolder_is_allowed(tmp_path):
    folder = tiny_dataset(tmp_path / "d", files={"lieux": "exports/lieux.csv"})
    (folder / "exports").mkdir()
    (folder / "lieux.csv").rename(folder / "exports" / "lieux.csv")
    assert len(load_dataset(folder).lieux) == 1


@pytest.mark.parametrize(
    ("salt", "start"),
    [
        ("", "le sel est vide, les identifiants des membres seraient réversibles."),
        ("   ", "le sel est vide, les identifiants des membres seraient réversibles."),
        ("court-mais-pas-vide", "le sel est trop court (19 caractères, il en faut au moins 32)."),
        ("exemple-synthetique-relief", "c'est le sel public des données d'exemple (data/sample)"),
        ("exemple-synthetique-relief-2b8e1f0c9a7d4e63b5f2a8c1d0e9f7a6",
         "c'est le sel public des données d'exemple (data/sample)"),
    ],
)
def test_weak_or_public_salt_is_refused_with_a_generated_suggestion(tmp_path, salt, start):
    folder = tiny_dataset(tmp_path / "d", salt=salt)
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    message = str(exc.value)
    assert message.startswith(f"Configuration {folder / 'config.toml'}, [reseau] sel_pseudonymisation : {start}")
    suggestion = re.search(r'sel_pseudonymisation = "([0-9a-f]+)"', message)
    assert suggestion and len(suggestion.group(1)) == 32  # 128 bits, fresh
    assert "secrets.token_hex(16)" in message


def test_inputs_are_byte_identical_after_loading(tmp_path):
    folder = tiny_dataset(tmp_path / "d")
    before = snapshot(folder)
    load_dataset(folder)
    assert snapshot(folder) == before


def test_year_without_data_is_said_before_the_missing_hourly_rate(tmp_path):
    from relief_analytics.context.checks import check_year

    ds = load_dataset(tiny_dataset(tmp_path / "d"))
    assert check_year(ds, 2025) == []
    assert check_year(ds, 2030) == [
        "Aucune donnée pour 2030 : aucune adhésion, aucun événement, aucune contribution bénévole, "
        "aucune ligne de budget de cette année dans les fichiers. Années présentes dans les données : 2025. "
        "Vérifiez l'année demandée (--annee) ; la première année du réseau est 2021.",
        "Taux horaire du bénévolat manquant pour l'année 2030 : ajoutez une ligne « 2030 = … » "
        "(en euros par heure) dans la section [taux_horaire_benevolat] du fichier config.toml.",
    ]


def test_valider_states_problems_notes_and_refuses_an_empty_year(tmp_path, capsys):
    from relief_analytics import cli

    folder = tiny_dataset(tmp_path / "d")
    rows = budget_rows(5)
    rows[1] = '2025;606;"Fournitures;100,00;90,00;;'
    (folder / "budget.csv").write_bytes(text_file(BUDGET_HEADER, rows))
    (folder / "evenements.csv").write_bytes(text_file(EVENTS_HEADER, []))
    assert cli.main(["valider", "--donnees", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "budget.csv : 5 lignes lues, 4 acceptées, 1 rejetée" in out
    assert "evenements.csv : 0 ligne lue, 0 acceptée, 0 rejetée" in out
    assert f"  ligne 3, colonne « (ligne entière) », valeur « guillemet « \" » non fermé » : {quote_rule(3, 6)}" in out
    assert ("Attention : evenements.csv : fichier sans aucune ligne de données (en-tête seul) : "
            "la table « evenements » est vide.") in out
    assert cli.main(["valider", "--donnees", str(folder), "--annee", "2019"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Année 2019 impossible à produire : Aucune donnée pour 2019 :")
