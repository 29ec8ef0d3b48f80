"""The ``relief`` command: build the reports, check the data files, import exports, write the dictionary.

Exit codes: 0 everything went well, 1 a report failed, 2 bad input (unreadable data, wrong option).
All messages are French; code and docstrings English.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from relief_analytics import __version__
from relief_analytics.paths import (
    DATASET_ENV_VAR,
    REPORTS_DIR,
    default_dataset_dir,
)

EXIT_OK = 0
EXIT_REPORT_FAILED = 1
EXIT_BAD_INPUT = 2

_ARGPARSE_MESSAGES = (
    (r"^the following arguments are required: (.*)$", r"arguments obligatoires manquants : \1"),
    (r"^unrecognized arguments: (.*)$", r"arguments non reconnus : \1"),
    (
        r"^argument (\S+): invalid choice: (.*?) \(choose from (.*)\)$",
        r"argument \1 : choix invalide \2 (choisir parmi \3)",
    ),
    (r"^argument (\S+): invalid (\w+) value: (.*)$", r"argument \1 : valeur invalide \3"),
    (r"^argument (\S+): expected one argument$", r"argument \1 : une valeur est attendue"),
    (
        r"^argument (\S+): expected at least one argument$",
        r"argument \1 : au moins une valeur est attendue",
    ),
    (r"^argument (\S+): (.*)$", r"argument \1 : \2"),
    (r"^ambiguous option: (\S+) could match (.*)$", r"option ambiguë : \1 peut désigner \2"),
)


class _FrenchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(
            usage, actions, groups, "utilisation : " if prefix is None else prefix
        )


class _FrenchParser(argparse.ArgumentParser):
    """ArgumentParser speaking French: usage line, section titles, error messages.

    Help is ``-h``, ``--help`` or ``--aide`` at every level.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _FrenchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        # argparse appends « : » to section titles; the trailing space gives French typography
        self._positionals.title = "arguments "
        self._optionals.title = "options facultatives "
        self.add_argument(
            "-h",
            "--help",
            "--aide",
            action="help",
            default=argparse.SUPPRESS,
            help="afficher cette aide et quitter",
        )

    def error(self, message: str):
        for pattern, replacement in _ARGPARSE_MESSAGES:
            if re.match(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog} : erreur : {message}\n")


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"année invalide « {value} » (exemple : 2025)") from None
    if not 1900 <= year <= 2200:
        raise argparse.ArgumentTypeError(f"année invalide « {value} » (exemple : 2025)")
    return year


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``relief`` command."""
    parser = _FrenchParser(
        prog="relief",
        description="Outils de l'observatoire RELIEF : rapports annuels, contrôle des données.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"relief-analytics {__version__}",
        help="afficher la version et quitter",
    )
    commands = parser.add_subparsers(
        dest="commande", title="commandes ", metavar="COMMANDE", parser_class=_FrenchParser
    )
    commands.required = True

    reports = commands.add_parser(
        "rapports",
        help="produire les rapports de l'année (HTML, PDF, diaporama, XLSX)",
        description=(
            "Exécute les notebooks de rapport et écrit les fichiers dans <sortie>/<année>/.\n"
            "Le dossier de l'année n'est remplacé que si tous les rapports ont réussi."
        ),
    )
    reports.add_argument(
        "--annee",
        type=_year,
        metavar="N",
        help="année des rapports (défaut : annee_par_defaut de config.toml)",
    )
    reports.add_argument(
        "--donnees",
        type=Path,
        metavar="DOSSIER",
        help="dossier du jeu de données (défaut : $RELIEF_DONNEES, sinon data/sample)",
    )
    reports.add_argument(
        "--sortie",
        type=Path,
        metavar="DOSSIER",
        help=f"dossier des rapports (défaut : {REPORTS_DIR})",
    )
    reports.add_argument(
        "--seulement",
        nargs="+",
        metavar="NOM",
        help="ne produire que ces rapports (noms : voir « relief rapports --liste »)",
    )
    reports.add_argument("--liste", action="store_true", help="lister les rapports et quitter")
    reports.add_argument(
        "--force",
        action="store_true",
        help="tout reconstruire, même quand rien n'a changé depuis la dernière construction",
    )
    reports.add_argument(
        "--brouillon",
        action="store_true",
        help="compte rendu financier en brouillon : filigrane « BROUILLON » et liste de ce qui manque",
    )
    reports.set_defaults(handler=_run_reports)

    check = commands.add_parser(
        "valider",
        help="lire les fichiers de données et lister les lignes rejetées",
        description="Lit le jeu de données et indique, fichier par fichier, les lignes rejetées et pourquoi.",
    )
    check.add_argument(
        "--donnees",
        type=Path,
        metavar="DOSSIER",
        help="dossier du jeu de données (défaut : $RELIEF_DONNEES, sinon data/sample)",
    )
    check.add_argument("--annee", type=int, help="vérifier aussi que cette année peut être produite")
    check.set_defaults(handler=_run_check)

    dictionary = commands.add_parser(
        "dictionnaire",
        help="écrire le dictionnaire des données et la référence de config.toml (docs/)",
        description="Génère le dictionnaire des données à partir des schémas, et docs/configuration.md\n"
                    "à partir du modèle de la configuration.",
    )
    dictionary.set_defaults(handler=_run_dictionary)
    _add_import_commands(commands)
    from relief_analytics.export.cli_commands import register as register_export

    register_export(commands)
    return parser


_DATASET_HELP = "dossier du jeu de données où la table est mise à jour (défaut : $RELIEF_DONNEES, sinon data/sample)"

#: (command, source file help, table, French description) of each importer.
_IMPORTERS = (
    ("helloasso", "export des adhésions HelloAsso (.csv ou .xlsx, tel que téléchargé)", "adhésions",
     "Importe un export d'adhésions HelloAsso. Les noms, e-mails et téléphones sont remplacés par un\n"
     "identifiant pseudonyme ; les commandes non validées sont importées avec leur statut et listées."),
    ("gogocarto", "export GoGoCarto (JSON « gogofull » ou CSV du back-office)", "lieux",
     "Importe les lieux d'une carte GoGoCarto. Les catégories deviennent des typologies\n"
     "(config.toml, section [importation.typologies]) ; les valeurs « private » ne sont jamais gardées."),
    ("openagenda", "export JSON d'un agenda OpenAgenda", "événements",
     "Importe les événements d'un agenda OpenAgenda (plusieurs horaires : un seul événement, durée cumulée)."),
    ("mobilizon", "export JSON d'événements Mobilizon", "événements",
     "Importe des événements Mobilizon ; avec --participants, compte les participants confirmés\n"
     "(participant, modérateur, administrateur, créateur)."),
    ("lieux", "tableau de lieux tenu par un bénévole (.csv ou .xlsx)", "lieux",
     "Importe un tableau de lieux : seuls le nom et un indice de localisation sont obligatoires.\n"
     "L'identifiant, l'état et l'adhésion au réseau sont complétés (config.toml, section [importation.lieux])."),
    ("table", "tableau de lieux d'une autre source (.csv ou .xlsx)", "lieux",
     "Importe un tableau de lieux d'un autre réseau ou d'un recensement grâce à un fichier de\n"
     "correspondance (JSON ou TOML, voir docs/imports.md). Les lignes hors de la région sont\n"
     "comptées et listées, jamais importées."),
)


def _add_import_commands(commands) -> None:
    importer = commands.add_parser(
        "importer",
        help="importer un export (HelloAsso, GoGoCarto, OpenAgenda, Mobilizon, tableau de lieux)",
        description=(
            "Met à jour une table du jeu de données à partir d'un fichier tel qu'il arrive.\n"
            "Importer deux fois le même fichier n'ajoute rien ; les modifications sont listées ;\n"
            "la version précédente de la table est gardée (<nom>.precedent.csv) ; le fichier\n"
            "importé n'est jamais modifié. Voir docs/imports.md."
        ),
    )
    sources = importer.add_subparsers(
        dest="source", title="sources ", metavar="SOURCE", parser_class=_FrenchParser
    )
    sources.required = True
    for name, file_help, table, description in _IMPORTERS:
        sub = sources.add_parser(name, help=f"{file_help} → table des {table}", description=description)
        sub.add_argument("fichier", type=Path, metavar="FICHIER", help=file_help)
        sub.add_argument("--donnees", type=Path, metavar="DOSSIER", help=_DATASET_HELP)
        sub.add_argument(
            "--essai", action="store_true",
            help="montrer ce que l'importation ferait, sans rien écrire",
        )
        sub.add_argument(
            "--tout", action="store_true",
            help="afficher toutes les lignes des listes (sinon les 30 premières de chacune)",
        )
        if name in ("openagenda", "mobilizon"):
            sub.add_argument("--type", metavar="TYPE", help="type des événements importés "
                             "(défaut : [importation.evenements] de config.toml)")
            sub.add_argument("--commission", metavar="NOM", help="commission organisatrice "
                             "(défaut : [importation.evenements] de config.toml)")
        if name == "mobilizon":
            sub.add_argument("--participants", type=Path, nargs="+", metavar="CSV", default=[],
                             help="exports des participants (un par événement, l'uuid de "
                             "l'événement dans le nom du fichier)")
        if name == "table":
            sub.add_argument_group("option obligatoire ").add_argument(
                "--correspondance", type=Path, metavar="FICHIER", required=True,
                             help="fichier de correspondance des colonnes et des valeurs (JSON ou TOML)")
        sub.set_defaults(handler=_run_import)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``relief`` command and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("Interrompu : aucun dossier de rapports n'a été modifié.", file=sys.stderr)
        return 130


def _run_reports(args: argparse.Namespace) -> int:
    from relief_analytics.report.catalog import CATALOG

    if args.liste:
        for spec in CATALOG:
            print(f"{spec.name:<24} {spec.title} ({', '.join(spec.formats)})")
        return EXIT_OK
    dataset_dir = _dataset_dir(args)
    if dataset_dir is None:
        return EXIT_BAD_INPUT

    from relief_analytics.report.build import build_reports

    data_error = _data_error_class()
    try:
        result = build_reports(
            dataset_dir=dataset_dir,
            year=args.annee,
            reports_dir=args.sortie or REPORTS_DIR,
            only=args.seulement,
            progress=_print_flush,
            force=args.force,
            draft=args.brouillon,
        )
    except data_error as exc:
        print(f"Données invalides : {exc}", file=sys.stderr)
        hint = "" if "--brouillon" in str(exc) else " Lancez « relief valider » pour le détail."
        print(f"Aucun rapport n'a été produit.{hint}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return result.exit_code


def _run_check(args: argparse.Namespace) -> int:
    dataset_dir = _dataset_dir(args)
    if dataset_dir is None:
        return EXIT_BAD_INPUT
    data_error = _data_error_class()
    from relief_analytics.load import load_dataset

    try:
        dataset = load_dataset(dataset_dir)
    except data_error as exc:
        print(f"Données invalides : {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for line in check_lines(dataset, dataset_dir=dataset_dir):
        print(line)
    for note in getattr(dataset, "file_notes", []):
        print(f"Attention : {note}")
    for line in geography_lines(dataset):
        print(line)
    from relief_analytics.context.checks import check_year

    year = args.annee or dataset.config.default_year
    year_problems = check_year(dataset, year)
    for problem in year_problems:
        print(f"Année {year} impossible à produire : {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT if year_problems else EXIT_OK


def geography_lines(dataset) -> list[str]:
    """The geographic problems the build would list (same function as the quality report)."""
    from relief_analytics.context.populations import geographic_problems, resolve_dataset
    from relief_analytics.geo.reference import load_reference

    lieux, events = resolve_dataset(dataset, reference=load_reference(dataset.config.region_code))
    problems = geographic_problems(lieux, events)
    placed = int(lieux["is_placed"].sum())
    lines = ["", f"Communes : {_count(placed, 'lieu placé', 'lieux placés')} dans la région sur "
             f"{len(lieux)} ; {_count(len(problems), 'problème géographique', 'problèmes géographiques')}."]
    for row in problems.to_dict("records"):
        label = f" « {row['label']} »" if row["label"] else ""
        lines.append(f"  {row['table']} {row['identifier']}{label} : {row['status']} — {row['problem']}")
    return lines


def check_lines(dataset, *, dataset_dir: Path) -> list[str]:
    """Return the French report of ``relief valider``: counts per file, then each problem."""
    lines = [f"Jeu de données : {dataset_dir}"]
    summary = getattr(dataset, "summary", None)
    issues = getattr(dataset, "issues", None)
    if summary is not None:
        for row in summary.to_dict("records"):
            lines.append(
                f"{row['file_name']} : {_count(row['read_count'], 'ligne lue', 'lignes lues')}, "
                f"{_count(row['accepted_count'], 'acceptée', 'acceptées')}, "
                f"{_count(row['rejected_count'], 'rejetée', 'rejetées')}"
            )
    lines += _unvalidated_lines(dataset)
    problems = [] if issues is None else issues.to_dict("records")
    if not problems:
        lines.append("Aucun problème détecté.")
        return lines
    lines.append("")
    lines.append("Problèmes :")
    current_file = None
    for problem in problems:
        if problem.get("file_name") != current_file:
            current_file = problem.get("file_name")
            lines.append(f"{current_file} :")
        where = []
        if _present(problem.get("line_number")):
            where.append(f"ligne {problem['line_number']}")
        if _present(problem.get("column_name")):
            where.append(f"colonne « {problem['column_name']} »")
        if _present(problem.get("cell_value")):
            where.append(f"valeur « {problem['cell_value']} »")
        lines.append(f"  {', '.join(where) or 'fichier'} : {problem.get('rule', '')}")
    lines.append("")
    lines.append(
        f"{_count(len(problems), 'problème', 'problèmes')} au total : les lignes rejetées ne sont "
        "pas comptées dans les rapports. Corrigez les fichiers puis relancez « relief valider »."
    )
    return lines


def _run_import(args: argparse.Namespace) -> int:
    if args.donnees is None and not os.environ.get(DATASET_ENV_VAR, "").strip():
        print(
            "Indiquez le dossier du jeu de données à mettre à jour : --donnees DOSSIER "
            f"(ou la variable {DATASET_ENV_VAR}). Les données d'exemple ne sont jamais modifiées "
            "par défaut.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    dataset_dir = _dataset_dir(args)
    if dataset_dir is None:
        return EXIT_BAD_INPUT
    source = Path(args.fichier).expanduser()
    extra_files = [source] + list(getattr(args, "participants", []) or [])
    if getattr(args, "correspondance", None):
        extra_files.append(args.correspondance)
    for path in extra_files:
        if not Path(path).is_file():
            print(f"Fichier introuvable : {path}", file=sys.stderr)
            return EXIT_BAD_INPUT
    from relief_analytics.importers import run_import
    from relief_analytics.load import DataError

    try:
        report = run_import(
            args.source, source, dataset_dir=dataset_dir, dry_run=args.essai,
            mapping=getattr(args, "correspondance", None),
            participants=list(getattr(args, "participants", []) or []),
            event_kind=getattr(args, "type", None), commission=getattr(args, "commission", None),
        )
    except DataError as exc:
        print(f"Importation impossible : {exc}", file=sys.stderr)
        print("Aucune table n'a été modifiée.", file=sys.stderr)
        return EXIT_BAD_INPUT
    for line in report.lines_fr(limit=None if args.tout else 30):
        print(line)
    return EXIT_OK


def _unvalidated_lines(dataset) -> list[str]:
    """Orders not validated (« En attente », « Remboursé »…): counted, listed, not in the reports."""
    adhesions = getattr(dataset, "tables", {}).get("adhesions") if hasattr(dataset, "tables") else None
    config = getattr(dataset, "config", None)
    if adhesions is None or config is None or adhesions.empty:
        return []
    from relief_analytics.formatting import format_eur
    from relief_analytics.indicators.membership import unvalidated_orders

    orders = unvalidated_orders(adhesions, valid_statuses=config.lists.get("statuts_commande_valides", []))
    if orders.empty:
        return []
    by_status = orders["order_status"].value_counts(sort=False)
    lines = [
        f"Commandes non validées (non comptées dans les rapports) : {len(orders)} ("
        + ", ".join(f"{status} : {count}" for status, count in by_status.items()) + ")"
    ]
    for row in orders.itertuples(index=False):
        lines.append(f"  {row.membership_id} : {row.order_status}, {format_eur(row.amount_eur)}")
    return lines


def _run_dictionary(args: argparse.Namespace) -> int:
    from relief_analytics.dictionary import write_configuration_doc, write_dictionary

    print(f"Dictionnaire des données écrit : {write_dictionary()}")
    print(f"Référence de config.toml écrite : {write_configuration_doc()}")
    return EXIT_OK


def _dataset_dir(args: argparse.Namespace) -> Path | None:
    dataset_dir = (
        Path(args.donnees).expanduser().resolve() if args.donnees else default_dataset_dir()
    )
    if not dataset_dir.is_dir():
        print(f"Dossier de données introuvable : {dataset_dir}", file=sys.stderr)
        return None
    return dataset_dir


def _data_error_class() -> type[BaseException]:
    try:
        from relief_analytics.load import DataError
    except ImportError:
        return _NeverRaised
    return DataError


class _NeverRaised(Exception):
    """Stands for ``DataError`` while ``relief_analytics.load`` cannot be imported."""


def _count(value, singular: str, plural: str) -> str:
    number = int(value)
    return f"{number} {singular if number <= 1 else plural}"


def _present(value) -> bool:
    if value is None:
        return False
    try:
        import pandas as pd

        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True


def _print_flush(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
