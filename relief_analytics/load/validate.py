"""Turn a :class:`RawTable` into an accepted table plus a list of issues, never dropping silently.

Flow for one file: map headers → pseudonymise people → parse each cell by its kind → check
code lists from the configuration → reject duplicate keys → pandera checks (lazy: every failure
at once). A row with any problem is rejected *and listed*: one issue per problem with the file,
the line as the user sees it in the spreadsheet, the column header as written in the file, the
value and the rule in French. ``lues = acceptées + rejetées`` always.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from relief_analytics.load.coerce import DTYPES, PARSERS, CellError, code_key
from relief_analytics.load.config import DatasetConfig
from relief_analytics.load.headers import map_headers
from relief_analytics.load.pseudonymise import pseudonymise_frame
from relief_analytics.load.read import RawTable
from relief_analytics.schemas import PERSONAL_TABLES, column_specs

ISSUE_COLUMNS = ["table", "fichier", "ligne", "colonne", "valeur", "regle"]
IDENTITY_LABEL = "identité (e-mail, ou nom et prénom)"


@dataclass(frozen=True)
class TableResult:
    """Outcome of loading one file."""

    table: str
    file_name: str
    accepted: pd.DataFrame
    issues: pd.DataFrame  # ISSUE_COLUMNS
    read_count: int
    rejected_count: int
    ignored_headers: tuple[str, ...] = ()

    @property
    def accepted_count(self) -> int:
        return len(self.accepted)

    def summary_fr(self) -> str:
        """``adhesions.csv : 412 lignes lues, 410 acceptées, 2 rejetées``."""
        return (
            f"{self.file_name} : {self.read_count} lignes lues, {self.accepted_count} acceptées, "
            f"{self.rejected_count} rejetées"
        )


def _fmt_number(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def rule_fr(check: str, *, kind: str) -> str:
    """French wording of a pandera check name as found in ``failure_cases['check']``."""
    m = re.fullmatch(r"(\w+)\((.*)\)", check)
    name, arg = (m.group(1), m.group(2)) if m else (check, "")
    if name == "not_nullable":
        return "valeur obligatoire manquante"
    if name in ("greater_than_or_equal_to", "greater_than", "less_than_or_equal_to", "less_than"):
        words = {
            "greater_than_or_equal_to": "supérieure ou égale à",
            "greater_than": "strictement supérieure à",
            "less_than_or_equal_to": "inférieure ou égale à",
            "less_than": "strictement inférieure à",
        }[name]
        return f"la valeur doit être {words} {_fmt_number(float(arg))}"
    if name == "isin":
        return f"valeur hors de la liste autorisée ({arg.strip('[]')})"
    if name == "str_matches":
        return {
            "insee_code": "code INSEE attendu sur 5 caractères (ex. 01053)",
            "postal_code": "code postal attendu sur 5 chiffres (ex. 69003)",
        }.get(kind, "format non conforme (compte du plan comptable associatif attendu : 60 à 68, 70 à 78, 86 ou 87)")
    return f"règle non respectée : {check}"


def _normalize_member_kind(value: str) -> str:
    key = code_key(value)
    if "morale" in key or key in ("structure", "organisation", "pm"):
        return "morale"
    if "physique" in key or key in ("individuel", "individu", "pp"):
        return "physique"
    return value


def validate_table(
    raw: RawTable, *, table: str, model: type[pa.DataFrameModel], config: DatasetConfig
) -> TableResult:
    """Validate one raw table against its model; see module docstring.

    Returns the accepted rows (processed columns, typed) and one issue per problem.
    """
    file_name = raw.path.name
    frame = raw.frame
    specs = column_specs(model)
    personal = table in PERSONAL_TABLES
    member_ids = None
    if personal:
        # organisation / kind columns are needed to key personnes morales on their public name
        pre = map_headers(
            list(frame.columns), model, file_name=file_name, table=table,
            overrides=config.column_overrides.get(table), computed=frozenset({"member_id"}),
        )
        inverse = {v: k for k, v in pre.items()}
        frame, member_ids = pseudonymise_frame(
            frame, salt=config.pseudonymisation_salt,
            organisation_col=inverse.get("organisation_name"), kind_col=inverse.get("member_kind"),
        )
    mapping = map_headers(
        list(frame.columns), model, file_name=file_name, table=table,
        overrides=config.column_overrides.get(table),
        computed=frozenset({"member_id"}) if personal else frozenset(),
    )
    header_of = {name: header for header, name in mapping.items()}
    ignored = tuple(h for h in frame.columns if h not in mapping)
    lines = list(raw.line_numbers)
    issues: list[dict] = []
    bad_cells: set[tuple[int, str]] = set()

    def add_issue(pos: int, column: str, value: object, rule: str) -> None:
        bad_cells.add((pos, column))
        shown = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        issues.append({
            "table": table, "fichier": file_name, "ligne": lines[pos],
            "colonne": header_of.get(column, IDENTITY_LABEL if column == "member_id" else column),
            "valeur": shown, "regle": rule,
        })

    n = len(frame)
    columns: dict[str, pd.Series] = {}
    for name, spec in specs.items():
        kind = spec["kind"]
        values: list[object] = [None] * n
        if name in header_of:
            parser = PARSERS[kind]
            allowed = config.lists.get(spec["codes"]) if spec["codes"] else None
            allowed_by_key = {code_key(v): v for v in allowed} if allowed else None
            for pos, text in enumerate(frame[header_of[name]].tolist()):
                if text is None:
                    continue
                try:
                    value = parser(text)
                except CellError as exc:
                    add_issue(pos, name, text, str(exc))
                    continue
                if name == "member_kind":
                    value = _normalize_member_kind(value)
                if allowed_by_key is not None:
                    parts = value.split("|") if kind == "multi" else [value]
                    unknown = [p for p in parts if code_key(p) not in allowed_by_key]
                    if unknown:
                        add_issue(
                            pos, name, text,
                            f"valeur hors de la liste [listes].{spec['codes']} de config.toml "
                            f"(« {unknown[0]} » inconnu)",
                        )
                        continue
                    value = "|".join(allowed_by_key[code_key(p)] for p in parts)
                values[pos] = value
        elif name == "member_id" and member_ids is not None:
            values = member_ids.tolist()
        dtype = DTYPES[kind]
        columns[name] = pd.Series(values, dtype=dtype if dtype != "object" else object)
    processed = pd.DataFrame(columns)

    if table == "adhesions":
        missing_year = processed["membership_year"].isna() & processed["order_date"].notna()
        processed.loc[missing_year, "membership_year"] = processed.loc[missing_year, "order_date"].dt.year
        if "member_kind" not in header_of:  # optional column: derived (see schemas.tables.Adhesions)
            has_org = processed["organisation_name"].notna()
            processed["member_kind"] = has_org.map({True: "morale", False: "physique"}).astype(object)

    # duplicate keys: the first occurrence is kept, later ones are rejected and point to it
    unique = list(model.to_schema().unique or [])
    if unique:
        keys = processed[unique].astype(str)
        dup = keys.duplicated(keep="first")
        first_line = {}
        for pos, key in enumerate(map(tuple, keys.to_numpy())):
            if not dup.iloc[pos]:
                first_line.setdefault(key, lines[pos])
            else:
                shown = " / ".join(frame[header_of[c]].iloc[pos] or "" for c in unique if c in header_of)
                add_issue(pos, unique[0], shown, f"valeur en double (déjà présente ligne {first_line[key]})")

    schema = model.to_schema()
    try:
        schema.validate(processed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for case in cases.itertuples(index=False):
            column = case.column
            if column not in specs or case.index is None or pd.isna(case.index):
                continue
            pos = int(case.index)
            if (pos, column) in bad_cells or "uniqueness" in str(case.check):
                continue
            raw_value = frame[header_of[column]].iloc[pos] if column in header_of else None
            if column == "member_id":
                add_issue(pos, column, None, "identité du membre manquante : renseignez l'e-mail, ou le nom et le prénom")
            else:
                add_issue(pos, column, raw_value, rule_fr(str(case.check), kind=specs[column]["kind"]))

    issue_frame = pd.DataFrame(issues, columns=ISSUE_COLUMNS)
    if not issue_frame.empty:
        issue_frame = issue_frame.sort_values(["ligne"], kind="stable").reset_index(drop=True)
    rejected_positions = sorted({pos for pos, _ in bad_cells})
    accepted = processed.drop(index=rejected_positions).reset_index(drop=True)
    return TableResult(
        table=table, file_name=file_name, accepted=accepted, issues=issue_frame,
        read_count=n, rejected_count=len(rejected_positions), ignored_headers=ignored,
    )


def format_issue(issue: dict | pd.Series) -> str:
    """One problem as a French sentence for the user.

    >>> format_issue({"fichier": "lieux.csv", "ligne": 3, "colonne": "etat", "valeur": "fermee?",
    ...               "regle": "valeur hors de la liste"})
    'lieux.csv, ligne 3, colonne « etat » : valeur « fermee? » refusée (valeur hors de la liste).'
    """
    value = issue["valeur"]
    shown = f"valeur « {value} » refusée" if value != "" else "valeur vide refusée"
    return f"{issue['fichier']}, ligne {issue['ligne']}, colonne « {issue['colonne']} » : {shown} ({issue['regle']})."
