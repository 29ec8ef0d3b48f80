"""Helpers shared by every ``relief`` sub-command (the main parser and ``export/cli_commands``).

Defined once: the exit codes (re-exported from :mod:`relief_analytics.errors`), the dataset
folder option and its resolution, the command to re-run naming the folder the user used, the cap
on printed lists (``--tout``), and French counts.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from relief_analytics.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_REPORT_FAILED
from relief_analytics.paths import SAMPLE_DATASET_DIR, default_dataset_dir

__all__ = ["DATASET_HELP", "EXIT_BAD_INPUT", "EXIT_OK", "EXIT_REPORT_FAILED", "LIST_LIMIT", "cap_lines",
           "count", "dataset_dir", "name_the_folder", "rerun_command"]

DATASET_HELP = "dossier du jeu de données (défaut : $RELIEF_DONNEES, sinon data/sample)"
#: Lines of each printed list without ``--tout``.
LIST_LIMIT = 30


def dataset_dir(args: argparse.Namespace) -> Path | None:
    """The dataset folder of ``--donnees`` (else the default); None, said in French, when absent."""
    directory = Path(args.donnees).expanduser().resolve() if args.donnees else default_dataset_dir()
    if not directory.is_dir():
        print(f"Dossier de données introuvable : {directory}", file=sys.stderr)
        return None
    return directory


def rerun_command(command: str, args: argparse.Namespace | None = None) -> str:
    """``relief <command>``, with ``--donnees`` naming the folder the user actually used.

    The folder is the one typed after ``--donnees`` (as typed), else the one of ``$RELIEF_DONNEES``;
    the sample folder needs no option.

    >>> rerun_command("valider", argparse.Namespace(donnees=Path("mes données")))
    "relief valider --donnees 'mes données'"
    """
    typed = getattr(args, "donnees", None) if args is not None else None
    folder = Path(typed) if typed else default_dataset_dir()
    if not typed and folder.resolve() == SAMPLE_DATASET_DIR.resolve():
        return f"relief {command}"
    return f"relief {command} --donnees {shlex.quote(str(folder))}"


def name_the_folder(text: str, command: str, args: argparse.Namespace | None) -> str:
    """``text`` with each « relief <command> » naming the folder used (see :func:`rerun_command`).

    Messages written below the command line (the build, the output folders) cannot know what the
    user typed; this is where they get it.

    >>> name_the_folder("relancez « relief rapports ».", "rapports", argparse.Namespace(donnees=Path("d")))
    'relancez « relief rapports --donnees d ».'
    """
    return text.replace(f"« relief {command} »", f"« {rerun_command(command, args)} »")


def cap_lines(items: Sequence[str], *, limit: int | None = LIST_LIMIT) -> list[str]:
    """At most ``limit`` lines, then how many more (``limit=None``: all of them, ``--tout``)."""
    if limit is None or len(items) <= limit:
        return list(items)
    more = len(items) - limit
    return list(items[:limit]) + [f"  … et {more} autre{'s' if more > 1 else ''} (option --tout pour tout afficher)"]


def count(value, singular: str, plural: str) -> str:
    """``1 ligne`` / ``2 lignes``: French counts (0 and 1 take the singular)."""
    number = int(value)
    return f"{number} {singular if number <= 1 else plural}"
