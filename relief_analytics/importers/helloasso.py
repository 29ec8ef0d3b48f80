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

import re
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
from relief_analytics.load.adherents import (  # noqa: F401 - card_id, CARD_HEADERS re-exported
    CARD_HEADERS,
    CARD_SHOWN,
    adhesion_keys,
    card_id,
    find_card_header,
)
from relief_analytics.load.coerce import PARSERS, CellError
from relief_analytics.load.headers import header_lookup, map_headers, normalize_header
from relief_analytics.load.pseudonymise import pseudonymise_frame
from relief_analytics.load.read import read_text_table
from relief_analytics.load.validate import configured_years
from relief_analytics.schemas import Adhesions, column_specs

SOURCE_LABEL = "HelloAsso"
TARIF_HEADERS = ("tarif", "formule", "nom du tarif")
#: Column names of older exports (« Status », « Montant (€) », « Email acheteur »).
HELLOASSO_HEADERS = {
    "status": "order_status", "montant (€)": "amount_eur", "montant (eur)": "amount_eur",
    "date de paiement": "order_date",
}
_CUSTOM_PREFIX = re.compile(r"^champ compl[ée]mentaire \d+\s*[\n:]\s*", re.IGNORECASE)


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


def read_helloasso(
    path: Path, *, settings: ImportSettings, sheet: str | None = None
) -> tuple[pd.DataFrame, ImportReport, list[int]]:
    """Read one HelloAsso export into ``adhesions`` rows (text, contract names).

    Grain: **one row per adherent card** (one line of the export). An order holding several
    adherents gives one row each; an adherent paying several orders gives one row per order.
    The natural key ``membership_id`` is the card id (end of « Carte d'adhérent » / « Url carte
    d'adhérent »); without one it is the order reference, followed by the adherent's pseudonym
    when the order holds several adherents (:func:`relief_analytics.load.adherents.adhesion_keys`,
    the loader's rule too). ``member_id`` is the pseudonym of the adherent
    (:func:`relief_analytics.load.pseudonymise.person_keys`: their e-mail, else the payer's
    e-mail on a row where the payer is the adherent, else name, first name [and birth date]);
    the payer is only who paid.

    Returns ``(rows, report, source line of each row)``.

    Raises
    ------
    DataError
        Unreadable file, or a HelloAsso column the contract needs is missing (French message).
    """
    path = Path(path)
    config = settings.config
    overrides = {**HELLOASSO_HEADERS, **(config.column_overrides.get("adhesions") or {})}
    known = set(header_lookup(Adhesions, overrides)) | set(TARIF_HEADERS) | set(CARD_HEADERS)
    raw = read_text_table(path, known_headers=known, sheet=sheet)
    frame = raw.frame.rename(columns=lambda h: _CUSTOM_PREFIX.sub("", h))
    report = ImportReport(source=path.name, source_label=SOURCE_LABEL, table="adhesions")
    report.read_count = raw.read_count + raw.blank_count
    report.blank_count = raw.blank_count
    report.notes = list(raw.notes)
    card_header = find_card_header(list(frame.columns))
    report.key_label = (f"identifiant de la carte d'adhérent (« {card_header} »)" if card_header
                        else "référence de commande et adhérent")
    pre = map_headers(
        list(frame.columns), Adhesions, file_name=path.name, table="adhesions",
        overrides=overrides,
        computed=frozenset({"member_id", "membership_id"} if card_header else {"member_id"}),
    )
    inverse = {name: header for header, name in pre.items()}
    # the member is the adherent, keyed as the loader keys it (one rule for both)
    frame, member_ids = pseudonymise_frame(
        frame, salt=config.pseudonymisation_salt,
        organisation_col=inverse.get("organisation_name"), kind_col=inverse.get("member_kind"),
    )
    reference_header = inverse.get("membership_id")
    keys, key_rules, _ = adhesion_keys(
        frame[reference_header].map(text_or_none) if reference_header else None, member_ids,
        cards=frame[card_header].map(text_or_none) if card_header else None)
    mapping = {h: n for h, n in pre.items() if h in frame.columns}
    header_of = {name: header for header, name in mapping.items()}
    tarif_header = next((h for h in frame.columns if normalize_header(h) in TARIF_HEADERS), None)
    promo_header = next((h for h in frame.columns if normalize_header(h) == "montant code promo"), None)
    report.ignored_columns = [
        h for h in frame.columns if h not in mapping and h not in (tarif_header, card_header)
        and normalize_header(h) not in ("code promo", "montant code promo")
    ]
    specs = column_specs(Adhesions)
    issues: list[dict] = [{"table": "adhesions", "file_name": path.name, **p} for p in raw.problems]
    issues += [{"table": "adhesions", "file_name": path.name, **p} for p in raw.repairs]
    report.rejected_lines = [p["line_number"] for p in raw.problems]
    rows: list[dict] = []
    lines: list[int] = []
    references: list[str | None] = []  # order reference of each row: the key before cards
    tarif_kinds = settings.tarif_kinds
    for pos, record in enumerate(frame.to_dict("records")):
        line = raw.line_numbers[pos]
        reader = RowReader(record, table="adhesions", file_name=path.name, line=line, header_of=header_of,
                           years=configured_years(config))
        tarif = text_or_none(record.get(tarif_header)) if tarif_header else None
        card = text_or_none(record.get(card_header)) if card_header else None
        if promo_header:
            _check_promo(reader, text_or_none(record.get(promo_header)), promo_header)
        row = _read_row(reader, member_ids.iloc[pos], tarif=tarif, tarif_kinds=tarif_kinds,
                        key=keys.iloc[pos], key_rule=key_rules.iloc[pos], card=card, card_header=card_header)
        issues.extend(reader.issues)
        if row is None:
            report.rejected_lines.append(line)
        else:
            rows.append(row)
            lines.append(line)
            references.append(reader.cell("membership_id"))
    columns = [c for c in specs if c in rows[0]] if rows else list(specs)
    result = pd.DataFrame(rows, columns=columns, dtype=object)
    report.issues = issue_frame(issues).sort_values("line_number", kind="stable").reset_index(drop=True)
    report.order_references = references
    valid = {code_key(s) for s in config.lists.get("statuts_commande_valides", [])}
    if not result.empty:
        not_valid = ~result["order_status"].map(code_key).isin(valid)
        report.unvalidated = pd.DataFrame({
            "membership_id": result.loc[not_valid, "membership_id"],
            "order_date": result.loc[not_valid, "order_date"],
            "order_status": result.loc[not_valid, "order_status"],
            "amount_eur": result.loc[not_valid, "amount_eur"],
        }).reset_index(drop=True)
    return result, report, lines


def _check_promo(reader: RowReader, text: str | None, header: str) -> None:
    """A promo code's amount is listed (the amount kept is « Montant tarif », never guessed).

    Public code reading these exports disagrees on whether « Montant tarif » is before or after
    the promo code; the importer keeps « Montant tarif » as written and lists each row whose
    « Montant code promo » is not zero, so that the treasurer checks it against HelloAsso.
    """
    if text is None or code_key(text) in ("0", "0,00", "0.00", "gratuit"):
        return
    reader.labels = {**reader.labels, "promo": header}
    try:
        amount = PARSERS["decimal"](text)
    except CellError:
        reader.issue("promo", text, "montant de code promo illisible ; montant retenu : « Montant tarif »")
        return
    if amount:
        reader.issue("promo", text, "code promo : le montant retenu est « Montant tarif » tel qu'écrit, "
                     "sans en déduire « Montant code promo » ; vérifiez-le dans HelloAsso")


def _read_row(
    reader: RowReader, member_id: str | None, *, tarif: str | None, tarif_kinds: dict[str, str],
    key: str | None, key_rule: str | None, card: str | None = None, card_header: str | None = None,
) -> dict | None:
    """One ``adhesions`` row from one export row, or ``None`` if it cannot be imported.

    ``key`` and ``key_rule`` come from :func:`relief_analytics.load.adherents.adhesion_keys`
    (the rule the loader follows too): a rule with a key is a warning, a rule without one
    rejects the row.
    """
    not_imported = " : ligne non importée"
    if key_rule is not None:
        if card_header is not None:
            reader.labels = {**reader.labels, "card": card_header}
        column = "card" if card_header is not None else "membership_id"
        shown = CARD_SHOWN if card is not None else None
        reader.issue(column, shown, key_rule + ("" if key is not None else not_imported), reject=key is None)
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
        "membership_id": key,
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
    path: Path, *, dataset_dir: Path, settings: ImportSettings, dry_run: bool = False,
    sheet: str | None = None,
) -> ImportReport:
    """Import a HelloAsso export into the dataset's ``adhesions`` table (see :mod:`.base`)."""
    rows, report, lines = read_helloasso(path, settings=settings, sheet=sheet)
    return apply_import(report, rows, dataset_dir=dataset_dir, settings=settings,
                        source_path=path, dry_run=dry_run, lines=lines,
                        renamed_keys=dict(zip(report.order_references, rows.get("membership_id", []),
                                              strict=False)) if len(rows) else None)
