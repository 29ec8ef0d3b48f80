"""The ``relief`` command: build the reports, check the data files, write the data dictionary.

Exit codes: 0 everything went well, 1 a report failed, 2 bad input (unreadable data, wrong option).
All messages are French; code and docstrings English.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from relief_analytics import __version__
from relief_analytics.paths import DICTIONARY_PATH, REPORTS_DIR, default_dataset_dir

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
    """ArgumentParser speaking French: usage line, section titles, error messages, ``-h/--aide``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _FrenchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument(
            "-h",
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
        dest="commande", title="commandes", metavar="COMMANDE", parser_class=_FrenchParser
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
    check.set_defaults(handler=_run_check)

    dictionary = commands.add_parser(
        "dictionnaire",
        help="écrire le dictionnaire des données (docs/dictionnaire_des_donnees.md)",
        description="Génère le dictionnaire des données à partir des schémas.",
    )
    dictionary.set_defaults(handler=_run_dictionary)
    return parser


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
            draft=args.brouillon,
        )
    except data_error as exc:
        print(f"Données invalides : {exc}", file=sys.stderr)
        print(
            "Aucun rapport n'a été produit. Lancez « relief valider » pour le détail.",
            file=sys.stderr,
        )
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
    return EXIT_OK


def check_lines(dataset, *, dataset_dir: Path) -> list[str]:
    """Return the French report of ``relief valider``: counts per file, then each problem."""
    lines = [f"Jeu de données : {dataset_dir}"]
    summary = getattr(dataset, "summary", None)
    issues = getattr(dataset, "issues", None)
    if summary is not None:
        for row in summary.to_dict("records"):
            lines.append(
                f"{row['fichier']} : {_count(row['lues'], 'ligne lue', 'lignes lues')}, "
                f"{_count(row['acceptees'], 'acceptée', 'acceptées')}, "
                f"{_count(row['rejetees'], 'rejetée', 'rejetées')}"
            )
    problems = [] if issues is None else issues.to_dict("records")
    if not problems:
        lines.append("Aucun problème détecté.")
        return lines
    lines.append("")
    lines.append("Problèmes :")
    current_file = None
    for problem in problems:
        if problem.get("fichier") != current_file:
            current_file = problem.get("fichier")
            lines.append(f"{current_file} :")
        where = []
        if _present(problem.get("ligne")):
            where.append(f"ligne {problem['ligne']}")
        if _present(problem.get("colonne")):
            where.append(f"colonne « {problem['colonne']} »")
        if _present(problem.get("valeur")):
            where.append(f"valeur « {problem['valeur']} »")
        lines.append(f"  {', '.join(where) or 'fichier'} : {problem.get('regle', '')}")
    lines.append("")
    lines.append(
        f"{_count(len(problems), 'problème', 'problèmes')} au total : les lignes rejetées ne sont "
        "pas comptées dans les rapports. Corrigez les fichiers puis relancez « relief valider »."
    )
    return lines


def _run_dictionary(args: argparse.Namespace) -> int:
    try:
        from relief_analytics.dictionary import write_dictionary
    except ImportError:
        print("Le générateur du dictionnaire des données n'est pas disponible.", file=sys.stderr)
        return EXIT_REPORT_FAILED
    written = write_dictionary()
    path = written if isinstance(written, (str, Path)) else DICTIONARY_PATH
    print(f"Dictionnaire des données écrit : {path}")
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
