"""The ``relief modeles`` and ``relief exporter-lieux`` commands.

``register(commands)`` adds both to the ``relief`` parser's subparsers and returns them with their
handlers, which :mod:`relief_analytics.cli` puts in its command registry; each handler returns the
exit code (0 done, 2 bad input) and lets every other failure reach the command's one handler.
Every message is French; no personal data is ever printed (only lieux, which are public).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from relief_analytics.cli_common import (
    DATASET_HELP,
    EXIT_BAD_INPUT,
    EXIT_OK,
    count,
    dataset_dir,
    rerun_command,
)

Handler = Callable[[argparse.Namespace], int]


def register(commands: argparse._SubParsersAction) -> dict[str, tuple[argparse.ArgumentParser, Handler]]:
    """Add ``modeles`` and ``exporter-lieux`` to the ``relief`` subcommands; return them by name."""
    templates = commands.add_parser(
        "modeles",
        help="écrire un modèle XLSX à remplir par table (lieux, adhésions, événements…)",
        description=(
            "Écrit un classeur XLSX par table : en-têtes attendus, feuille « Instructions »,\n"
            "listes déroulantes tirées de config.toml [listes], lignes d'exemple sur une feuille à part.\n"
            "Un modèle rempli se lit tel quel : déclarez-le dans config.toml, section [fichiers]."
        ),
    )
    templates.add_argument("--sortie", type=Path, metavar="DOSSIER", required=True,
                           help="dossier où écrire les modèles")
    templates.add_argument("--donnees", type=Path, metavar="DOSSIER",
                           help=DATASET_HELP + " : ses listes alimentent les listes déroulantes")
    templates.add_argument("--remplacer", action="store_true",
                           help="remplacer les fichiers de même nom déjà présents")

    export = commands.add_parser(
        "exporter-lieux",
        help="exporter les lieux de la région en données ouvertes (CSV, GeoJSON, schéma)",
        description=(
            "Écrit lieux.csv, lieux.geojson, schema.json (Table Schema) et LISEZMOI.md :\n"
            "les lieux dont la commune est située dans la région, champs publics seulement."
        ),
    )
    export.add_argument("--donnees", type=Path, metavar="DOSSIER", help=DATASET_HELP)
    export.add_argument("--sortie", type=Path, metavar="DOSSIER", required=True,
                        help="dossier où écrire les fichiers")
    return {"modeles": (templates, run_templates), "exporter-lieux": (export, run_export_lieux)}


def _input_files_in_the_way(config, dataset_dir: Path, outputs: list[Path]) -> list[str]:
    """Names of the dataset's own files (config.toml and [fichiers]) that ``outputs`` would replace."""
    inputs = {(dataset_dir / "config.toml").resolve()}
    inputs |= {(dataset_dir / name).resolve() for name in config.files.values() if "{" not in name}
    return [path.name for path in outputs if path.resolve() in inputs]


def _refuse_input_overwrite(names: list[str], dataset_dir: Path) -> int:
    print(
        f"Refusé : {', '.join(names)} {'est un fichier' if len(names) == 1 else 'sont des fichiers'} "
        f"du jeu de données {dataset_dir} "
        "(config.toml, section [fichiers]) ; les fichiers d'entrée ne sont jamais remplacés. "
        "Choisissez un autre dossier de sortie.",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT


def run_templates(args: argparse.Namespace) -> int:
    """``relief modeles``: write one XLSX template per table."""
    from relief_analytics.export.templates import TEMPLATE_FILE_NAMES, write_templates
    from relief_analytics.load import read_config

    folder = dataset_dir(args)
    if folder is None:
        return EXIT_BAD_INPUT
    config = read_config(folder)
    output_dir = Path(args.sortie).expanduser().resolve()
    in_the_way = _input_files_in_the_way(
        config, folder, [output_dir / name for name in TEMPLATE_FILE_NAMES.values()]
    )
    if in_the_way:
        return _refuse_input_overwrite(in_the_way, folder)
    try:
        written = write_templates(output_dir, lists=config.lists, network=config.network_name,
                                  overwrite=args.remplacer)
    except FileExistsError as exc:
        print(
            f"Fichier(s) déjà présent(s) dans {output_dir} : {exc}. Rien n'a été écrit. "
            "Choisissez un autre dossier, ou ajoutez --remplacer pour les écraser.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    print(f"Modèles écrits dans {output_dir} (listes de {folder / 'config.toml'}) :")
    for path in written:
        print(f"  {path.name}")
    print(
        "Remplissez la feuille « Données » de chaque modèle, placez les fichiers dans le dossier de "
        "données, indiquez leurs noms dans config.toml, section [fichiers] "
        f"(ex. lieux = \"lieux.xlsx\"), puis lancez « {rerun_command('valider', args)} »."
    )
    return EXIT_OK


def run_export_lieux(args: argparse.Namespace) -> int:
    """``relief exporter-lieux``: write the open data of the region's lieux."""
    from relief_analytics.export.opendata import OUTPUT_NAMES, open_data_schema, write_open_data
    from relief_analytics.formatting import format_number
    from relief_analytics.geo.reference import load_reference
    from relief_analytics.indicators.public_lieux import (
        FROM_COMMUNE,
        excluded_lieux,
        lieux_open_data,
        place_lieux,
    )
    from relief_analytics.load import DataError, load_table, read_config

    folder = dataset_dir(args)
    if folder is None:
        return EXIT_BAD_INPUT
    config = read_config(folder)
    file_name = config.files.get("lieux")
    if not file_name:
        raise DataError("config.toml : la section [fichiers] ne nomme pas le fichier des lieux (lieux = \"…\").")
    result = load_table(folder / file_name, table="lieux", config=config)
    output_dir = Path(args.sortie).expanduser().resolve()
    in_the_way = _input_files_in_the_way(
        config, folder, [output_dir / name for name in OUTPUT_NAMES]
    )
    if in_the_way:
        return _refuse_input_overwrite(in_the_way, folder)
    reference = load_reference(config.region_code)  # the region is checked with the configuration

    placed = place_lieux(result.accepted, reference=reference)
    table = lieux_open_data(placed)
    excluded = excluded_lieux(placed)
    schema = open_data_schema(network=config.network_name, region_name=reference.region_name,
                              lists=config.lists)
    written = write_open_data(table, output_dir, schema=schema)

    print(f"Données ouvertes écrites dans {output_dir} : {', '.join(p.name for p in written)}")
    print(f"{count(len(table), 'lieu exporté', 'lieux exportés')} ({reference.region_name}).")
    exported = placed[placed["lieu_id"].isin(table["id"]) & placed["point_source"].eq(FROM_COMMUNE)]
    has_point = exported["latitude"].notna() & exported["longitude"].notna()
    if len(exported):
        print(
            f"{count(len(exported), 'lieu placé', 'lieux placés')} au point représentatif de la commune "
            f"(source_coordonnees = commune) : {int((~has_point).sum())} sans coordonnées, "
            f"{int(has_point.sum())} dont les coordonnées tombent hors de la commune indiquée."
        )
        for row in exported[has_point].sort_values("lieu_id").itertuples(index=False):
            print(
                f"  {row.lieu_id} « {row.lieu_name} » : commune {row.commune_code_resolved}, coordonnées "
                f"{format_number(row.latitude, decimals=5)} ; {format_number(row.longitude, decimals=5)}"
            )
    if result.rejected_count:
        print(
            f"{count(result.rejected_count, 'ligne rejetée', 'lignes rejetées')} à la lecture de "
            f"{result.file_name}, non exportée(s) : lancez « {rerun_command('valider', args)} » pour le détail."
        )
    if len(excluded):
        print(f"{count(len(excluded), 'lieu non exporté', 'lieux non exportés')} "
              "(commune non résolue dans la région) :")
        for row in excluded.itertuples(index=False):
            note = f" — {row.resolution_note}" if row.resolution_note else ""
            print(f"  {row.lieu_id} « {row.lieu_name} » : {row.resolution_status}{note}")
    return EXIT_OK
