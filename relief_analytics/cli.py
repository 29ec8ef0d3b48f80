"""The ``relief`` command: build the reports, check the data files, import exports, write the dictionary.

Exit codes: 0 everything went well, 1 a report failed, 2 bad input (unreadable data, wrong option,
a missing or read-only file, a full disk…). All messages are French; code and docstrings English.

Sub-commands are declared in one registry (:data:`COMMANDS`: name → :class:`Command`), and
:func:`main` has one handler that turns every expected failure into one French sentence and exit
code 2 (:func:`relief_analytics.errors.describe_failure`); ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from relief_analytics import __version__
from relief_analytics.cli_common import (
    DATASET_HELP,
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_REPORT_FAILED,
    LIST_LIMIT,
    cap_lines,
    count,
    dataset_dir,
    name_the_folder,
    rerun_command,
)
from relief_analytics.errors import DataError, describe_failure
from relief_analytics.paths import DATASET_ENV_VAR, REPORTS_DIR

__all__ = ["COMMANDS", "Command", "EXIT_BAD_INPUT", "EXIT_OK", "EXIT_REPORT_FAILED", "build_parser",
           "check_lines", "main"]


@dataclass(frozen=True)
class Command:
    """One ``relief`` sub-command: how to run it and how to say that it failed.

    ``data_prefix`` starts the French sentence of bad input (« Données invalides »),
    ``error_prefix`` that of any other expected failure; ``failure_note(args, exc, message)`` is
    the line printed after it (what was left untouched, what to run next), or empty.
    """

    run: Callable[[argparse.Namespace], int]
    data_prefix: str = "Données invalides"
    error_prefix: str = "Erreur"
    failure_note: Callable[[argparse.Namespace, BaseException, str], str] | None = None


#: Every sub-command by name, filled by :func:`build_parser` (and ``export.cli_commands``).
COMMANDS: dict[str, Command] = {}

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
        # at every level; the top parser's default (False) stands unless one level sets it
        self.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                          help="en cas d'échec, afficher aussi le détail technique (traceback)")

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
    parser.set_defaults(debug=False)

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
        help=DATASET_HELP,
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
    register(reports, "rapports", Command(_run_reports, failure_note=_reports_failure_note))

    site = commands.add_parser(
        "site",
        help="construire le site public de l'observatoire (dossier statique, hors ligne)",
        description=(
            "Écrit le site public (accueil, carte des lieux, départements, données, rapports) à partir\n"
            "des rapports déjà construits dans reports/<année>/. Le dossier n'est remplacé qu'entier."
        ),
    )
    site.add_argument("--annee", type=_year, metavar="N",
                      help="année de la carte et des chiffres (défaut : la dernière année construite)")
    site.add_argument("--donnees", type=Path, metavar="DOSSIER", help=DATASET_HELP)
    site.add_argument("--sortie", type=Path, metavar="DOSSIER",
                      help=f"dossier du site (défaut : {REPORTS_DIR / 'site'})")
    site.add_argument("--rapports", type=Path, metavar="DOSSIER",
                      help=f"dossier des rapports construits (défaut : {REPORTS_DIR})")
    site.add_argument("--force", action="store_true", help="tout reconstruire, même quand rien n'a changé")
    register(site, "site", Command(_run_site, "Site public non construit", "Site public non construit",
                                   lambda args, exc, message: "Le site précédent n'a pas été modifié."))

    check = commands.add_parser(
        "valider",
        help="lire les fichiers de données et lister les lignes rejetées",
        description="Lit le jeu de données et indique, fichier par fichier, les lignes rejetées et pourquoi.",
    )
    check.add_argument(
        "--donnees",
        type=Path,
        metavar="DOSSIER",
        help=DATASET_HELP,
    )
    check.add_argument("--annee", type=int, help="vérifier aussi que cette année peut être produite")
    check.add_argument(
        "--tout", action="store_true",
        help=f"afficher toutes les lignes des listes (sinon les {LIST_LIMIT} premières de chacune)",
    )
    register(check, "valider", Command(_run_check))

    dictionary = commands.add_parser(
        "dictionnaire",
        help="écrire le dictionnaire des données et la référence de config.toml (docs/)",
        description="Génère le dictionnaire des données à partir des schémas, et docs/configuration.md\n"
                    "à partir du modèle de la configuration.",
    )
    register(dictionary, "dictionnaire", Command(_run_dictionary))
    _add_import_commands(commands)
    from relief_analytics.export.cli_commands import register as register_export

    for name, (sub, command) in register_export(commands).items():
        register(sub, name, Command(command))
    return parser


def register(parser: argparse.ArgumentParser, name: str, command: Command) -> None:
    """Declare ``command`` as the sub-command ``name`` parsed by ``parser``."""
    COMMANDS[name] = command
    parser.set_defaults(command_name=name)


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
     "Importe les événements d'un agenda OpenAgenda (fichier « Exporter » ou API v2). Plusieurs horaires :\n"
     "un seul événement et ses séances ; une exposition ou activité permanente est comptée à part."),
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
        if name in ("helloasso", "lieux", "table"):
            sub.add_argument("--feuille", metavar="NOM", help="feuille du classeur .xlsx à lire "
                             "(défaut : la première qui porte les colonnes attendues)")
        if name in ("openagenda", "mobilizon"):
            sub.add_argument("--type", metavar="TYPE", help="type des événements importés "
                             "(défaut : [importation.evenements] de config.toml)")
            sub.add_argument("--commission", metavar="NOM", help="commission organisatrice "
                             "(défaut : [importation.evenements] de config.toml)")
        if name == "gogocarto":
            sub.add_argument("--taxonomie", type=Path, metavar="JSON", help="taxonomie de la carte "
                             "(adresse de la carte + /api/taxonomy.json), pour nommer les catégories "
                             "données en identifiants (optionValues) des anciens exports")
        if name == "mobilizon":
            sub.add_argument("--participants", type=Path, nargs="+", metavar="CSV", default=[],
                             help="exports des participants (un par événement, l'uuid de "
                             "l'événement dans le nom du fichier)")
        if name == "table":
            sub.add_argument_group("option obligatoire ").add_argument(
                "--correspondance", type=Path, metavar="FICHIER", required=True,
                             help="fichier de correspondance des colonnes et des valeurs (JSON ou TOML)")
        register(sub, "importer", Command(_run_import, "Importation impossible", "Importation impossible",
                                          lambda args, exc, message: "Aucune table n'a été modifiée."))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``relief`` command and return its exit code.

    Every expected failure (bad data or configuration, a missing, unreadable or read-only file,
    a full disk, a damaged XLSX, malformed or too deep JSON, missing reference data, memory) is
    printed as one French sentence saying what to do, and gives exit code 2; ``--debug`` adds
    the traceback. An unexpected error (a bug) keeps its traceback.
    """
    args = build_parser().parse_args(argv)
    command = COMMANDS[args.command_name]
    try:
        return command.run(args)
    except KeyboardInterrupt:
        print("Interrompu : aucun dossier de rapports n'a été modifié.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - mapped to a French sentence, or raised again
        message = _failure_sentence(exc)
        if message is None:
            raise
        message = name_the_folder(message, args.command_name, args)
        prefix = command.data_prefix if isinstance(exc, DataError) else command.error_prefix
        print(f"{prefix} : {message}", file=sys.stderr)
        note = command.failure_note(args, exc, message) if command.failure_note else ""
        if note:
            print(note, file=sys.stderr)
        if args.debug:
            traceback.print_exception(exc, file=sys.stderr)
        elif not isinstance(exc, DataError):
            print("(Détail technique : relancez la même commande avec --debug.)", file=sys.stderr)
        return EXIT_BAD_INPUT


def _reports_failure_note(args: argparse.Namespace, exc: BaseException, message: str) -> str:
    if "rapports précédents" in message:  # the output folder's own message says it
        return ""
    note = "Aucun rapport n'a été produit ; les rapports précédents n'ont pas été modifiés."
    if isinstance(exc, DataError) and "--brouillon" not in message:
        note += f" Lancez « {rerun_command('valider', args)} » pour le détail."
    return note


def _failure_sentence(exc: BaseException) -> str | None:
    from relief_analytics.report.folders import OutputFolderError

    if isinstance(exc, OutputFolderError):
        return str(exc)
    return describe_failure(exc)


def _run_reports(args: argparse.Namespace) -> int:
    from relief_analytics.report.catalog import CATALOG

    if args.liste:
        for spec in CATALOG:
            print(f"{spec.name:<24} {spec.title} ({', '.join(spec.formats)})")
        return EXIT_OK
    folder = dataset_dir(args)
    if folder is None:
        return EXIT_BAD_INPUT

    from relief_analytics.report.build import build_reports

    result = build_reports(
        dataset_dir=folder,
        year=args.annee,
        reports_dir=args.sortie or REPORTS_DIR,
        only=args.seulement,
        progress=lambda line: _print_flush(name_the_folder(line, "rapports", args)),
        force=args.force,
        draft=args.brouillon,
    )
    if result.exit_code == EXIT_OK and not args.seulement:
        _refresh_site(folder, args.sortie or REPORTS_DIR)
    return result.exit_code


def _refresh_site(folder: Path, reports_dir: Path) -> None:
    """After the reports: rebuild the public site when it exists or ``[site] avec_rapports`` says so."""
    from relief_analytics.load import read_config
    from relief_analytics.report.folders import OutputFolderError
    from relief_analytics.site.build import build_site, default_site_dir

    if default_site_dir(reports_dir).is_dir() or read_config(folder).site.with_reports:
        try:  # the reports are built: a site that can't follow is said, not a failed command
            build_site(dataset_dir=folder, reports_dir=reports_dir, progress=_print_flush)
        except (DataError, OutputFolderError) as exc:
            print(f"Attention : site public non mis à jour : {exc} Le site précédent n'a pas été modifié.",
                  file=sys.stderr)


def _run_site(args: argparse.Namespace) -> int:
    folder = dataset_dir(args)
    if folder is None:
        return EXIT_BAD_INPUT
    from relief_analytics.site.build import build_site

    build_site(dataset_dir=folder, reports_dir=args.rapports or REPORTS_DIR, site_dir=args.sortie,
               year=args.annee, force=args.force,
               progress=lambda line: _print_flush(name_the_folder(line, "site", args)))
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    folder = dataset_dir(args)
    if folder is None:
        return EXIT_BAD_INPUT
    from relief_analytics.context.checks import check_year
    from relief_analytics.load import load_dataset

    dataset = load_dataset(folder)
    limit = None if args.tout else LIST_LIMIT
    for line in check_lines(dataset, dataset_dir=folder, limit=limit, rerun=rerun_command("valider", args)):
        print(line)
    for note in cap_lines(dataset.file_notes, limit=limit):
        print(note if note.startswith("  … et") else f"Attention : {note}")
    for line in geography_lines(dataset, limit=limit):
        print(line)
    year = args.annee or dataset.config.default_year
    year_problems = check_year(dataset, year)
    for problem in year_problems:
        print(f"Année {year} impossible à produire : {problem}", file=sys.stderr)
    if not year_problems:
        for line in narrative_lines(dataset, year=year, limit=limit):
            print(line)
    return EXIT_BAD_INPUT if year_problems else EXIT_OK


def narrative_lines(dataset, *, year: int, limit: int | None = None) -> list[str]:
    """The figures of the year's bilan qualitatif that the data contradict (same table as the
    compte rendu's draft: ``narrative_mismatches``), or one line saying none does.

    Nothing when the year has no bilan. At most ``limit`` mismatches are listed (``None``: all).
    """
    if not dataset.qualitative_review(year).strip():
        return []
    from relief_analytics.context.year import YearInputs
    from relief_analytics.geo.reference import load_reference

    inputs = YearInputs(dataset, year=year, reference=load_reference(dataset.config.region_code))
    messages = inputs.table("narrative_mismatches")["message"].tolist()
    if not messages:
        return ["", f"Bilan qualitatif {year} : aucun chiffre cité ne contredit les données."]
    return ["", f"Bilan qualitatif {year} : "
            f"{count(len(messages), 'chiffre cité contredit', 'chiffres cités contredisent')} les "
            "données ; corrigez le bilan ou les données (le compte rendu financier n'est pas produit en "
            "version à envoyer tant que le bilan contredit les données) :",
            *cap_lines([f"  {message}" for message in messages], limit=limit)]


def geography_lines(dataset, *, limit: int | None = None) -> list[str]:
    """The geographic problems the build would list (same function as the quality report).

    At most ``limit`` problems are listed, then how many more (``None``: all).
    """
    from relief_analytics.context.populations import (
        COUNTING_RULE_FR,
        geographic_problems,
        resolve_dataset,
    )
    from relief_analytics.geo.reference import load_reference

    lieux, events = resolve_dataset(dataset, reference=load_reference(dataset.config.region_code))
    problems = geographic_problems(lieux, events)
    placed, on_site = int(lieux["is_counted"].sum()), events["resolution_status"].notna()
    lines = ["", f"Communes : {count(placed, 'lieu placé', 'lieux placés')} dans la région sur "
             f"{len(lieux)} ; {count(len(problems), 'problème géographique', 'problèmes géographiques')}."]
    if len(events):
        lines.append(
            f"Événements sur place ou mixtes : {count(events.loc[on_site, 'is_counted'].sum(), 'placé', 'placés')}"
            f" dans la région sur {int(on_site.sum())} ; les événements en ligne n'ont pas de lieu et sont "
            "comptés.")
    if not (lieux["is_counted"].all() and events["is_counted"].all()):
        lines.append(COUNTING_RULE_FR)
    listed = []
    for row in problems.to_dict("records"):
        label = f" « {row['label']} »" if row["label"] else ""
        listed.append(f"  {row['table']} {row['identifier']}{label} : {row['status']} — {row['problem']}")
    return [*lines, *cap_lines(listed, limit=limit)]


def check_lines(dataset, *, dataset_dir: Path, limit: int | None = None,
                rerun: str = "relief valider") -> list[str]:
    """Return the French report of ``relief valider``: counts per file, then each problem.

    ``dataset`` is what :func:`~relief_analytics.load.load_dataset` returns. Each list (orders
    not validated, the problems of each file) shows at most ``limit`` lines, then how many more
    (``None``: all); ``rerun`` is the command to run again, naming the folder the user used.
    """
    lines = [f"Jeu de données : {dataset_dir}"]
    missing = set(dataset.missing_tables)
    for row in dataset.summary.to_dict("records"):
        if row["table"] in missing or str(row.get("remark", "")).startswith("fichier facultatif absent"):
            lines.append(f"{row['file_name']} : fichier absent, table vide")
            continue
        lines.append(
            f"{row['file_name']} : {count(row['read_count'], 'ligne lue', 'lignes lues')}, "
            f"{count(row['accepted_count'], 'acceptée', 'acceptées')}, "
            f"{count(row['rejected_count'], 'rejetée', 'rejetées')}"
        )
    lines += _unvalidated_lines(dataset, limit=limit)
    problems = dataset.issues.to_dict("records")
    if not problems:
        lines.append("Aucun problème détecté.")
        return lines
    lines += ["", "Problèmes :"]
    by_file: dict[str, list[str]] = {}
    for problem in problems:
        where = []
        if _present(problem.get("line_number")):
            where.append(f"ligne {problem['line_number']}")
        if _present(problem.get("column_name")):
            where.append(f"colonne « {problem['column_name']} »")
        if _present(problem.get("cell_value")):
            where.append(f"valeur « {problem['cell_value']} »")
        by_file.setdefault(problem.get("file_name"), []).append(
            f"  {', '.join(where) or 'fichier'} : {problem.get('rule', '')}")
    for file_name, file_lines in by_file.items():
        lines += [f"{file_name} :", *cap_lines(file_lines, limit=limit)]
    lines.append("")
    lines.append(
        f"{count(len(problems), 'problème', 'problèmes')} au total : les lignes rejetées ne sont "
        f"pas comptées dans les rapports. Corrigez les fichiers puis relancez « {rerun} »."
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
    folder = dataset_dir(args)
    if folder is None:
        return EXIT_BAD_INPUT
    source = Path(args.fichier).expanduser()
    participants = list(vars(args).get("participants") or [])
    mapping = vars(args).get("correspondance")
    taxonomy = vars(args).get("taxonomie")
    for path in [source, *participants, *([mapping] if mapping else []), *([taxonomy] if taxonomy else [])]:
        if not Path(path).is_file():
            print(f"Fichier introuvable : {path}", file=sys.stderr)
            return EXIT_BAD_INPUT
    from relief_analytics.importers import run_import

    report = run_import(
        args.source, source, dataset_dir=folder, dry_run=args.essai, mapping=mapping,
        participants=participants, event_kind=vars(args).get("type"),
        commission=vars(args).get("commission"), taxonomy=taxonomy, sheet=vars(args).get("feuille"),
    )
    for line in report.lines_fr(limit=None if args.tout else LIST_LIMIT):
        print(line)
    return EXIT_OK


def _unvalidated_lines(dataset, *, limit: int | None) -> list[str]:
    """Orders not validated (« En attente », « Remboursé »…): counted, listed, not in the reports."""
    adhesions, config = dataset.adhesions, dataset.config
    if adhesions.empty:
        return []
    from relief_analytics.formatting import format_eur
    from relief_analytics.indicators.membership import unvalidated_orders

    orders = unvalidated_orders(adhesions, valid_statuses=config.lists.get("statuts_commande_valides", []))
    if orders.empty:
        return []
    by_status = orders["order_status"].value_counts(sort=False)
    listed = [f"  {row.membership_id} : {row.order_status}, {format_eur(row.amount_eur)}"
              for row in orders.itertuples(index=False)]
    return [
        f"Commandes non validées (non comptées dans les rapports) : {len(orders)} ("
        + ", ".join(f"{status} : {number}" for status, number in by_status.items()) + ")",
        *cap_lines(listed, limit=limit),
    ]


def _run_dictionary(args: argparse.Namespace) -> int:
    from relief_analytics.dictionary import write_configuration_doc, write_dictionary

    print(f"Dictionnaire des données écrit : {write_dictionary()}")
    print(f"Référence de config.toml écrite : {write_configuration_doc()}")
    return EXIT_OK


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


def console_main() -> None:
    """Entry point of the ``relief`` command: :func:`main`, then a quick exit with its code.

    Once the command is done, every file is written and closed and every child process
    stopped; the interpreter's own teardown of what a build imported and started (modules,
    ZeroMQ contexts, the event loops of its threads) would still take most of a second
    (0,7 s measured after ``relief rapports``). The exit handlers run (temporary folders,
    logging), the output is flushed, and the process ends without that teardown. An
    unexpected error keeps its traceback: it leaves through the normal path.
    """
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
