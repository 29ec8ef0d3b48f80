"""HelloAsso adhésion exports (CSV or XLSX, exactly as downloaded) → the ``adhesions`` table.

Reading reuses the loaders (BOM, CRLF, ``;``, padded headers, title rows; decimal comma, ``Gratuit``,
``dd/mm/yyyy HH:MM``), and so does pseudonymisation: names, e-mails, phones are replaced by
``member_id`` as soon as the file is read and never travel further. The member's kind comes from
a « type d'adhérent » column if the form has one, else *Raison sociale* (filled → « morale »), else
the tarif through ``[importation.tarifs_adhesion]``, else « physique ». Custom questions of the form
that are not part of the contract are not imported (they may hold personal answers); their headers
are listed in the report. Orders that are not validated are imported with their status (the
reports count only ``[listes].statuts_commande_valides``) and listed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from relief_analytics.importers._rows import (
    RowReader,
    code_key,
    format_amount,
    format_datetime,
    text_or_none,
)
from relief_analytics.importers.base import (
    ImportReport,
    ImportSettings,
    apply_import,
    issue_frame,
)
from relief_analytics.indicators.membership import UNVALIDATED_COLUMNS, unvalidated_orders  # noqa: F401 - re-exported
from relief_analytics.load.headers import header_lookup, map_headers, normalize_header
from relief_analytics.load.pseudonymise import pseudonymise_frame
from relief_analytics.load.read import read_text_table
from relief_analytics.load.validate import configured_years
from relief_analytics.schemas import Adhesions, column_specs

SOURCE_LABEL = "HelloAsso"
TARIF_HEADERS = ("tarif", "formule", "nom du tarif")


def derive_member_kind(
    *, declared: str | None, organisation: str | None, tarif: str | None, tarif_kinds: dict[str, str]
) -> str:
    """Kind of member of one payment: « physique » or « morale».

    >>> derive_member_kind(declared=None, organisation="La Fabrique", tarif=None, tarif_kinds={})
    'morale'
    >>> derive_member_kind(declared=None, organisation=None, tarif="Adhésion structure",
    ...                    tarif_kinds={"adhesion structure": "morale"})
    'morale'
    """
    declared_key = code_key(declared or "")
    if "morale" in declared_key or declared_key in ("structure", "organisation"):
        return "morale"
    if "physique" in declared_key or declared_key in ("individuel", "individu"):
        return "physique"
    if organisation:
        return "morale"
    if tarif and code_key(tarif) in tarif_kinds:
        return tarif_kinds[code_key(tarif)]
    return "physique"


def read_helloasso(path: Path, *, settings: ImportSettings) -> tuple[pd.DataFrame, ImportReport]:
    """Read one HelloAsso export into ``adhesions`` rows (text, contract names).

    Grain: one row per order line of the export (a member paying twice gives two rows).

    Raises
    ------
    DataError
        Unreadable file, or a HelloAsso column the contract needs is missing (French message).
    """
    path = Path(path)
    config = settings.config
    overrides = config.column_overrides.get("adhesions")
    known = set(header_lookup(Adhesions, overrides)) | set(TARIF_HEADERS)
    raw = read_text_table(path, known_headers=known)
    frame = raw.frame
    report = ImportReport(source=path.name, source_label=SOURCE_LABEL, table="adhesions")
    report.read_count = len(frame)
    pre = map_headers(
        list(frame.columns), Adhesions, file_name=path.name, table="adhesions",
        overrides=overrides, computed=frozenset({"member_id"}),
    )
    inverse = {name: header for header, name in pre.items()}
    frame, member_ids = pseudonymise_frame(
        frame, salt=config.pseudonymisation_salt,
        organisation_col=inverse.get("organisation_name"), kind_col=inverse.get("member_kind"),
    )
    mapping = {h: n for h, n in pre.items() if h in frame.columns}
    header_of = {name: header for header, name in mapping.items()}
    tarif_header = next((h for h in frame.columns if normalize_header(h) in TARIF_HEADERS), None)
    report.ignored_columns = [
        h for h in frame.columns if h not in mapping and h != tarif_header
        and normalize_header(h) not in ("code promo", "montant code promo")
    ]
    specs = column_specs(Adhesions)
    issues: list[dict] = []
    rows: list[dict] = []
    tarif_kinds = settings.tarif_kinds
    for pos, record in enumerate(frame.to_dict("records")):
        reader = RowReader(record, table="adhesions", file_name=path.name,
                           line=raw.line_numbers[pos], header_of=header_of, years=configured_years(config))
        tarif = text_or_none(record.get(tarif_header)) if tarif_header else None
        row = _read_row(reader, member_ids.iloc[pos], tarif=tarif, tarif_kinds=tarif_kinds)
        issues.extend(reader.issues)
        if row is not None:
            rows.append(row)
    columns = [c for c in specs if c in rows[0]] if rows else list(specs)
    result = pd.DataFrame(rows, columns=columns, dtype=object)
    report.issues = issue_frame(issues)
    valid = {code_key(s) for s in config.lists.get("statuts_commande_valides", [])}
    if not result.empty:
        not_valid = ~result["order_status"].map(code_key).isin(valid)
        report.unvalidated = pd.DataFrame({
            "membership_id": result.loc[not_valid, "membership_id"],
            "order_date": result.loc[not_valid, "order_date"],
            "order_status": result.loc[not_valid, "order_status"],
            "amount_eur": result.loc[not_valid, "amount_eur"],
        }).reset_index(drop=True)
    return result, report


def _read_row(
    reader: RowReader, member_id: str | None, *, tarif: str | None, tarif_kinds: dict[str, str]
) -> dict | None:
    """One ``adhesions`` row from one export row, or ``None`` if it cannot be imported."""
    not_imported = " : ligne non importée"
    reference = reader.cell("membership_id")
    if reference is None:
        reader.issue("membership_id", None, "référence de commande manquante" + not_imported, reject=True)
    order_date = reader.parse("order_date", "datetime", reject=True, suffix=not_imported)
    if reader.cell("order_date") is None:
        reader.issue("order_date", None, "date de commande manquante" + not_imported, reject=True)
    amount = reader.parse("amount_eur", "decimal", reject=True, suffix=not_imported)
    if reader.cell("amount_eur") is None:
        amount = 0.0  # HelloAsso leaves the amount blank for a free membership
    elif amount is not None and amount < 0:
        reader.issue("amount_eur", reader.cell("amount_eur"), "montant négatif" + not_imported, reject=True)
    status = reader.cell("order_status")
    if status is None:
        reader.issue("order_status", None, "statut de commande manquant" + not_imported, reject=True)
    year = reader.parse("membership_year", "integer")
    postal = reader.parse("postal_code", "postal_code")
    if member_id is None:
        reader.issue("member_id", None, "identité du membre manquante (e-mail, ou nom et prénom)"
                     + not_imported, reject=True)
    if reader.rejected:
        return None
    organisation = reader.cell("organisation_name")
    kind = derive_member_kind(declared=reader.cell("member_kind"), organisation=organisation,
                              tarif=tarif, tarif_kinds=tarif_kinds)
    return {
        "membership_id": reference,
        "order_date": format_datetime(order_date),
        "membership_year": str(year if year is not None else order_date.year),
        "order_status": status,
        "member_id": member_id,
        "member_kind": kind,
        "organisation_name": organisation if kind == "morale" else None,
        "lieu_id": reader.cell("lieu_id"),
        "postal_code": postal,
        "commune_name": reader.cell("commune_name"),
        "amount_eur": format_amount(amount),
        "payment_method": reader.cell("payment_method"),
    }


def import_helloasso(
    path: Path, *, dataset_dir: Path, settings: ImportSettings, dry_run: bool = False
) -> ImportReport:
    """Import a HelloAsso export into the dataset's ``adhesions`` table (see :mod:`.base`)."""
    rows, report = read_helloasso(path, settings=settings)
    return apply_import(report, rows, dataset_dir=dataset_dir, settings=settings,
                        source_path=path, dry_run=dry_run)
