"""XLSX templates a volunteer fills in, one per table, that the loaders read back as they are.

Each workbook has, in this order:

``Données``
    The sheet the loader reads (always the first one): the French headers of the table on
    row 1, exactly as :mod:`relief_analytics.load` expects them, and nothing else. Coded
    columns carry a drop-down list (openpyxl ``DataValidation``) fed by the dataset's
    configuration lists; code columns (INSEE, postal code) are formatted as text so a
    leading zero survives, date columns as ``jj/mm/aaaa``.
``Instructions``
    What each column means, whether it is required, its format, its allowed values and an
    example, plus how to declare the file in ``config.toml``. The workbook opens on it.
``Exemples``
    Two or three example rows with the same headers. They sit on their own sheet so the
    loader never reads them: a filled template loads with no manual change.
``Listes`` (hidden)
    The allowed values behind the drop-down lists (one column per configuration list).

No cell of a template is a formula: a configuration list value, an example or a header that
starts with ``=``, ``+``, ``-`` or ``@`` is written as text (:func:`relief_analytics.safety.make_workbook_inert`).
Everything a user reads in the workbook is French. Columns come from the schemas
(:func:`relief_analytics.schemas.column_specs`), so a new column appears in the templates
without code change here. Personal tables get the identity columns the loader pseudonymises
(e-mail, nom, prénom): they are read only to compute ``member_id`` and never kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from relief_analytics.safety import make_workbook_inert
from relief_analytics.schemas import (
    KIND_LABELS_FR,
    OPTIONAL_TABLES,
    PERSONAL_TABLES,
    TABLE_GRAINS_FR,
    TABLE_LABELS_FR,
    TABLES,
    column_specs,
)

DATA_SHEET = "Données"
INSTRUCTIONS_SHEET = "Instructions"
EXAMPLES_SHEET = "Exemples"
LISTS_SHEET = "Listes"

#: Rows of the data sheet covered by the drop-down lists (row 1 is the header).
VALIDATED_ROWS = 5000

#: Column computed at load time from the identity columns: never in a template.
COMPUTED_COLUMN = "member_id"

REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="EDEDED")
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")

_NUMBER_FORMATS = {
    "date": "DD/MM/YYYY",
    "datetime": "DD/MM/YYYY HH:MM",
    "insee_code": "@",
    "postal_code": "@",
}

#: Columns with no code list in the schema that still get a drop-down from a configuration
#: list; other values stay allowed after a warning (e.g. HelloAsso's « En attente »).
SOFT_CODE_LISTS = {("adhesions", "order_status"): "statuts_commande_valides"}


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template, as the volunteer sees it.

    ``name`` is the processed column it feeds (``None`` for an identity column).
    """

    header: str
    name: str | None
    kind: str
    requirement: str
    description: str
    allowed: tuple[str, ...] = ()
    list_name: str | None = None
    multi: bool = False
    strict: bool = True


#: Identity columns of personal tables, as the loader's pseudonymisation recognises them.
IDENTITY_COLUMNS = {
    "adhesions": (
        ("Email adhérent", "E-mail de la personne adhérente."),
        ("Nom adhérent", "Nom de famille de la personne adhérente."),
        ("Prénom adhérent", "Prénom de la personne adhérente."),
    ),
    "contributions": (
        ("email", "E-mail de la personne qui a contribué."),
        ("nom", "Nom de famille de la personne qui a contribué."),
        ("prenom", "Prénom de la personne qui a contribué."),
    ),
    "gouvernance": (
        ("email", "E-mail de la personne qui tient le rôle."),
        ("nom", "Nom de famille de la personne qui tient le rôle."),
        ("prenom", "Prénom de la personne qui tient le rôle."),
    ),
}
IDENTITY_REQUIREMENT = "e-mail, ou nom et prénom"
IDENTITY_NOTE = (
    "Donnée personnelle : sert seulement à calculer un identifiant pseudonyme au chargement ; "
    "elle n'est jamais conservée ni affichée dans les rapports."
)

#: File name of each template.
TEMPLATE_FILE_NAMES = {table: f"{table}.xlsx" for table in TABLES}


def _requirement(spec: dict) -> str:
    if spec["required"] and not spec["nullable"]:
        return "obligatoire"
    if spec["required"]:
        return "colonne obligatoire, valeur facultative"
    return "facultative"


def _isin_values(spec: dict) -> tuple[str, ...]:
    for check in spec["checks"]:
        if getattr(check, "name", "") == "isin":
            return tuple(str(v) for v in check.statistics["allowed_values"])
    return ()


def template_columns(table: str, *, lists: Mapping[str, Sequence[str]]) -> list[TemplateColumn]:
    """Return the columns of the template of ``table``, in the order of the schema.

    Grain: one item per column of the template. ``member_id`` is replaced by the identity
    columns of personal tables; allowed values come from ``lists`` (the configuration's
    ``[listes]``) for coded columns, from the schema for fixed lists, ``oui``/``non`` for
    booleans.
    """
    columns: list[TemplateColumn] = []
    for name, spec in column_specs(TABLES[table]).items():
        if name == COMPUTED_COLUMN:
            if table in PERSONAL_TABLES:
                columns += [
                    TemplateColumn(header, None, "text", IDENTITY_REQUIREMENT, f"{text} {IDENTITY_NOTE}")
                    for header, text in IDENTITY_COLUMNS[table]
                ]
            continue
        list_name = spec["codes"] or SOFT_CODE_LISTS.get((table, name))
        strict = bool(spec["codes"])
        if list_name:
            allowed = tuple(lists.get(list_name, ()))
        elif spec["kind"] == "boolean":
            allowed = ("oui", "non")
        else:
            allowed = _isin_values(spec)
        columns.append(
            TemplateColumn(
                header=spec["header"],
                name=name,
                kind=spec["kind"],
                requirement=_requirement(spec),
                description=spec["description"],
                allowed=allowed,
                list_name=list_name,
                multi=spec["kind"] == "multi",
                strict=strict,
            )
        )
    return columns


def _first(lists: Mapping[str, Sequence[str]], name: str, index: int = 0) -> str | None:
    values = list(lists.get(name, ()))
    return values[index % len(values)] if values else None


def example_rows(table: str, *, lists: Mapping[str, Sequence[str]]) -> list[dict[str, object]]:
    """Example rows of ``table``, keyed by template header, valid against the schema.

    Grain: one item per example row (two or three per table). Coded values are taken from
    ``lists`` so the examples pass the dataset's own code lists. People are fictitious.
    """
    commission = _first(lists, "commissions")
    commission_2 = _first(lists, "commissions", 1)
    rows_by_name: dict[str, list[dict[str, object]]] = {
        "lieux": [
            {
                "lieu_id": "L0001", "lieu_name": "La Fabrique des Communs",
                "street_address": "12 rue de la République", "postal_code": "69003",
                "commune_name": "Lyon", "commune_code": "69123", "latitude": 45.7597,
                "longitude": 4.8422,
                "typologies": "|".join(v for v in (_first(lists, "typologies"), _first(lists, "typologies", 2)) if v),
                "legal_status": _first(lists, "statuts_juridiques"), "opening_year": 2019,
                "state": _first(lists, "etats_lieu", 1), "is_member": "oui",
                "website": "https://fabrique-des-communs.example.org", "updated_date": dt.date(2025, 3, 14),
            },
            {
                "lieu_id": "L0002", "lieu_name": "Le Champ Commun", "postal_code": "26400",
                "commune_name": "Crest", "commune_code": "26108",
                "typologies": _first(lists, "typologies", 5), "legal_status": _first(lists, "statuts_juridiques", 1),
                "state": _first(lists, "etats_lieu"), "is_member": "non",
            },
        ],
        "adhesions": [
            {
                "membership_id": "A-2025-0001", "order_date": dt.datetime(2025, 1, 15, 18, 30),
                "membership_year": 2025, "order_status": _first(lists, "statuts_commande_valides"),
                "Email adhérent": "camille.exemple@example.org", "Nom adhérent": "Exemple",
                "Prénom adhérent": "Camille", "member_kind": "physique", "postal_code": "38000",
                "commune_name": "Grenoble", "amount_eur": 20.0, "payment_method": "Carte bancaire",
            },
            {
                "membership_id": "A-2025-0002", "order_date": dt.datetime(2025, 2, 3, 9, 5),
                "membership_year": 2025, "order_status": _first(lists, "statuts_commande_valides"),
                "member_kind": "morale", "organisation_name": "Association La Fabrique des Communs",
                "lieu_id": "L0001", "postal_code": "69003", "commune_name": "Lyon", "amount_eur": 50.0,
                "payment_method": "Virement",
            },
        ],
        "evenements": [
            {
                "event_id": "EV2025-001", "title": "Rencontre départementale de la Drôme",
                "start_date": dt.datetime(2025, 4, 10, 14, 0), "end_date": dt.datetime(2025, 4, 10, 17, 30),
                "event_kind": _first(lists, "types_evenements"), "commission": commission,
                "attendance_mode": _first(lists, "modes_participation"), "lieu_id": "L0002",
                "commune_name": "Crest", "commune_code": "26108", "participants_count": 24,
                "duration_hours": 3.5,
            },
            {
                "event_id": "EV2025-002", "title": "Webinaire : documenter son lieu",
                "start_date": dt.datetime(2025, 5, 6, 12, 30), "end_date": dt.datetime(2025, 5, 6, 13, 30),
                "event_kind": _first(lists, "types_evenements", 2), "commission": commission_2,
                "attendance_mode": _first(lists, "modes_participation", 1), "participants_count": 31,
                "duration_hours": 1.0,
            },
        ],
        "contributions": [
            {
                "contribution_id": "C0001", "email": "camille.exemple@example.org", "nom": "Exemple",
                "prenom": "Camille", "contribution_date": dt.date(2025, 4, 10), "commission": commission,
                "activity": "Animation de la rencontre départementale", "hours": 3.5, "retribution_eur": 0.0,
            },
            {
                "contribution_id": "C0002", "email": "dominique.exemple@example.org", "nom": "Exemple",
                "prenom": "Dominique", "contribution_date": dt.date(2025, 5, 2), "commission": commission_2,
                "activity": "Préparation du webinaire", "hours": 2.0,
            },
        ],
        "budget": [
            {"year": 2025, "account_code": "606", "account_label": "Achats non stockés de matières et fournitures",
             "planned_eur": 800.0, "realised_eur": 745.5},
            {"year": 2025, "account_code": "741", "account_label": "Subvention Région",
             "planned_eur": 15000.0, "realised_eur": 15000.0, "funder": "Région Auvergne-Rhône-Alpes",
             "action": "Animation du réseau"},
            {"year": 2025, "account_code": "864", "account_label": "Personnel bénévole",
             "planned_eur": 20000.0, "realised_eur": 23760.0},
        ],
        "gouvernance": [
            {"year": 2025, "email": "camille.exemple@example.org", "nom": "Exemple", "prenom": "Camille",
             "role": _first(lists, "roles_gouvernance")},
            {"year": 2025, "email": "dominique.exemple@example.org", "nom": "Exemple", "prenom": "Dominique",
             "role": _first(lists, "roles_gouvernance", 1), "commission": commission},
        ],
        "explications_ecarts": [
            {"year": 2025, "account_code": "606",
             "explanation": "Du matériel a été prêté par des lieux membres : les achats ont été moindres que prévu."},
            {"year": 2025, "account_code": "864",
             "explanation": "Les rencontres départementales ont mobilisé plus de bénévoles que prévu."},
        ],
    }
    header_of = {c.name: c.header for c in template_columns(table, lists=lists) if c.name}
    return [
        {header_of.get(key, key): value for key, value in row.items() if value is not None}
        for row in rows_by_name[table]
    ]


def _list_ranges(workbook: Workbook, columns: list[TemplateColumn]) -> dict[str, str]:
    """Write the hidden ``Listes`` sheet; return ``{list name: absolute range formula}``."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    for column in columns:
        if not column.list_name or column.list_name in ranges or not column.allowed:
            continue
        index = len(ranges) + 1
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=column.list_name).font = Font(bold=True)
        for row, value in enumerate(column.allowed, start=2):
            sheet.cell(row=row, column=index, value=value)
        sheet.column_dimensions[letter].width = max(len(v) for v in column.allowed) + 2
        last = len(column.allowed) + 1
        ranges[column.list_name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
    sheet.sheet_state = "hidden"
    return ranges


def _validation(column: TemplateColumn, ranges: dict[str, str]) -> DataValidation | None:
    if not column.allowed:
        return None
    if column.list_name and column.list_name in ranges:
        formula = ranges[column.list_name]
    else:
        formula = '"' + ",".join(column.allowed) + '"'
    soft = column.multi or not column.strict
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, showDropDown=False,
        showErrorMessage=True, errorStyle="warning" if soft else "stop",
        errorTitle="Valeur hors de la liste",
        error=(
            "Plusieurs valeurs sont possibles : séparez-les par « | ». Chacune doit être dans la liste."
            if column.multi else
            "Cette valeur n'est pas dans la liste : vérifiez-la avant de continuer."
            if soft else
            "Choisissez une valeur de la liste (config.toml, section [listes])."
        ),
        showInputMessage=True, promptTitle=column.header[:32],
        prompt=(
            "Choisissez dans la liste ; pour plusieurs valeurs, tapez-les séparées par « | »."
            if column.multi else "Choisissez une valeur dans la liste."
        ),
    )
    return validation


def _write_header(sheet, columns: list[TemplateColumn], *, with_comments: bool) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.requirement == "obligatoire" else OPTIONAL_FILL
        cell.alignment = Alignment(vertical="top")
        if with_comments:
            cell.comment = Comment(f"{column.description}\n({column.requirement})", "RELIEF")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(len(column.header) + 4, 14), 45)
        number_format = _NUMBER_FORMATS.get(column.kind)
        if number_format:
            sheet.column_dimensions[letter].number_format = number_format
    sheet.freeze_panes = "A2"


def _format_text(column: TemplateColumn) -> str:
    text = KIND_LABELS_FR[column.kind]
    if column.kind in ("insee_code", "postal_code"):
        text += " ; la colonne est au format texte pour garder le zéro initial"
    return text


def _example_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return "" if value is None else str(value)


def _write_instructions(
    sheet, table: str, columns: list[TemplateColumn], examples: list[dict[str, object]], network: str
) -> None:
    label = TABLE_LABELS_FR[table]
    file_name = TEMPLATE_FILE_NAMES[table]
    sheet["A1"] = f"Modèle de saisie « {label} » — {network}"
    sheet["A1"].font = Font(bold=True, size=14)
    lines = [
        f"{TABLE_GRAINS_FR[table][0].upper()}{TABLE_GRAINS_FR[table][1:]}.",
        f"Saisissez les données dans la feuille « {DATA_SHEET} », à partir de la ligne 2. "
        "Ne modifiez pas la ligne d'en-tête et n'ajoutez pas de ligne au-dessus.",
        "En-têtes sur fond orange : valeur obligatoire. Sur fond gris : facultative.",
        "Les listes déroulantes proposent les valeurs de config.toml, section [listes] ; pour une "
        "valeur nouvelle, ajoutez-la d'abord à la liste dans config.toml.",
        f"Des lignes d'exemple se trouvent dans la feuille « {EXAMPLES_SHEET} » : elles ne sont jamais lues.",
        f"Enregistrez ce classeur au format .xlsx dans le dossier de données et déclarez-le dans "
        f"config.toml, section [fichiers] : {table} = \"{file_name}\". Lancez ensuite « relief valider ».",
    ]
    if table in OPTIONAL_TABLES:
        lines.append("Cette table est facultative : sans fichier, les rapports s'en passent.")
    if table in PERSONAL_TABLES:
        lines.append(
            "Les colonnes e-mail, nom et prénom servent seulement à reconnaître une même personne : "
            "elles sont remplacées par un identifiant pseudonyme dès la lecture et ne sont jamais "
            "conservées ni affichées. Renseignez l'e-mail, ou à défaut le nom et le prénom."
        )
    for row, line in enumerate(lines, start=3):
        sheet.cell(row=row, column=1, value=line)
    start = len(lines) + 4
    headers = ["Colonne", "Obligatoire", "Format", "Valeurs autorisées", "Description", "Exemple"]
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=start, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = OPTIONAL_FILL
    for offset, column in enumerate(columns, start=1):
        example = next((row[column.header] for row in examples if column.header in row), None)
        allowed = "\n".join(column.allowed)
        if column.list_name:
            allowed = f"{allowed}\n(liste [listes].{column.list_name} de config.toml)"
        values = [
            column.header, column.requirement, _format_text(column), allowed,
            column.description, _example_text(example),
        ]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=start + offset, column=index, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (24, 20, 34, 40, 60, 30), strict=True):
        sheet.column_dimensions[letter].width = width


def _write_examples(sheet, columns: list[TemplateColumn], examples: list[dict[str, object]]) -> None:
    _write_header(sheet, columns, with_comments=False)
    for row, example in enumerate(examples, start=2):
        for index, column in enumerate(columns, start=1):
            value = example.get(column.header)
            if value is None:
                continue
            cell = sheet.cell(row=row, column=index, value=value)
            cell.fill = EXAMPLE_FILL
            if column.kind in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[column.kind]


def build_template(table: str, *, lists: Mapping[str, Sequence[str]], network: str = "RELIEF") -> Workbook:
    """Return the XLSX template of ``table`` as an openpyxl workbook (no file written).

    Parameters
    ----------
    table : str
        A key of :data:`relief_analytics.schemas.TABLES` (``lieux``, ``adhesions``…).
    lists : mapping
        The dataset's code lists (``DatasetConfig.lists``), for the drop-down lists.
    network : str
        Network name shown in the instructions' title.
    """
    if table not in TABLES:
        raise ValueError(f"table inconnue « {table} » ; tables possibles : {', '.join(TABLES)}")
    columns = template_columns(table, lists=lists)
    examples = example_rows(table, lists=lists)
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    _write_header(data, columns, with_comments=True)
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    _write_instructions(instructions, table, columns, examples, network)
    _write_examples(workbook.create_sheet(EXAMPLES_SHEET), columns, examples)
    ranges = _list_ranges(workbook, columns)
    for index, column in enumerate(columns, start=1):
        validation = _validation(column, ranges)
        if validation is None:
            continue
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
        data.add_data_validation(validation)
    workbook.active = workbook.index(instructions)
    data.sheet_view.tabSelected = False
    make_workbook_inert(workbook)  # a list value or example starting with = stays text
    return workbook


def write_templates(
    output_dir: Path,
    *,
    lists: Mapping[str, Sequence[str]],
    network: str = "RELIEF",
    tables: Sequence[str] | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write one template per table into ``output_dir``; return the paths written.

    An existing file is never replaced unless ``overwrite`` (it may hold a volunteer's data):
    :class:`FileExistsError` names the files in the way, before anything is written.
    """
    output_dir = Path(output_dir)
    tables = list(tables or TABLES)
    paths = [output_dir / TEMPLATE_FILE_NAMES[table] for table in tables]
    existing = [path for path in paths if path.exists()]
    if existing and not overwrite:
        raise FileExistsError(", ".join(path.name for path in existing))
    output_dir.mkdir(parents=True, exist_ok=True)
    for table, path in zip(tables, paths, strict=True):
        workbook = build_template(table, lists=lists, network=network)
        partial = path.with_name(path.name + ".partiel")
        workbook.save(partial)
        partial.replace(path)
    return paths
