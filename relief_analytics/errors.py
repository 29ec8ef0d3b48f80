"""The one exception raised for input the user must fix, the exit codes, and the French sentence of
every expected failure.

``load`` (reading files), ``indicators`` (a missing hourly rate, unbalanced 86/87 lines) and
``report`` raise :class:`DataError`; the command line prints its French message and exits with
code 2. :func:`describe_failure` gives the French sentence of the other failures a user can
cause or meet (a missing or read-only file, a full disk, a damaged XLSX, malformed JSON…), so that
the command line has one handler for all of them.
"""

from __future__ import annotations

import errno
import json
import xml.etree.ElementTree
import xml.parsers.expat
import zipfile

#: Exit codes of every ``relief`` command, defined once.
EXIT_OK = 0
EXIT_REPORT_FAILED = 1
EXIT_BAD_INPUT = 2


class DataError(Exception):
    """Input that cannot be used as is: unreadable file, missing column, bad configuration.

    The message is French and says what to fix; the command line prints it and exits with code 2.
    Row-level problems never raise: they are collected as issues and the row is rejected.
    """


def _file(exc: OSError) -> str:
    return f" {exc.filename}" if getattr(exc, "filename", None) else ""


def _is_damaged_workbook(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    return isinstance(exc, (zipfile.BadZipFile, zipfile.LargeZipFile, xml.etree.ElementTree.ParseError,
                            xml.parsers.expat.ExpatError)) or module.startswith(("openpyxl", "lxml"))


def describe_failure(exc: BaseException) -> str | None:
    """The French sentence for an expected failure, saying what to do; None for a program error.

    Examples
    --------
    >>> describe_failure(OSError(errno.ENOSPC, "No space left on device", "/tmp/r/x.html"))
    "Disque plein : impossible d'écrire /tmp/r/x.html. Libérez de la place (ou choisissez un autre dossier) puis relancez ; les fichiers déjà en place n'ont pas été modifiés."
    >>> describe_failure(KeyError("x")) is None
    True
    """
    if isinstance(exc, DataError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return ("Mémoire insuffisante : un fichier est trop grand ou mal formé (par exemple une cellule "
                "XLSX placée très loin, qui déclare une feuille immense). Vérifiez le fichier, enregistrez "
                "de nouveau ses seules données utiles, puis relancez.")
    if isinstance(exc, RecursionError):
        return ("Fichier trop profondément imbriqué (JSON ou XML) : il n'est pas lu. Vérifiez qu'il s'agit "
                "bien de l'export attendu, téléchargez-le de nouveau, puis relancez.")
    if isinstance(exc, json.JSONDecodeError):
        return (f"Fichier JSON mal formé (ligne {exc.lineno}, colonne {exc.colno}) : il n'est pas lu. "
                "Téléchargez de nouveau l'export, sans l'ouvrir ni le modifier, puis relancez.")
    if isinstance(exc, UnicodeError):
        return ("Fichier illisible : ses caractères ne sont ni en UTF-8 ni dans l'encodage attendu. "
                "Enregistrez-le en UTF-8 (LibreOffice : « Enregistrer sous », jeu de caractères Unicode "
                "UTF-8), puis relancez.")
    if _is_damaged_workbook(exc):
        return ("Classeur XLSX endommagé ou illisible : il n'est pas lu. Ouvrez-le dans LibreOffice ou "
                "Excel et enregistrez-le de nouveau au format .xlsx (ou exportez-le en CSV), puis relancez.")
    if isinstance(exc, OSError):
        return _describe_os_error(exc)
    return None


def _describe_os_error(exc: OSError) -> str:
    where = _file(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"Disque plein : impossible d'écrire{where}. Libérez de la place (ou choisissez un autre "
                "dossier) puis relancez ; les fichiers déjà en place n'ont pas été modifiés.")
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return (f"Écriture ou lecture refusée{where} : le dossier est en lecture seule ou vous n'avez pas "
                "les droits nécessaires. Vérifiez ses droits (ou travaillez sur une copie du dossier), puis "
                "relancez ; rien n'a été modifié.")
    if isinstance(exc, FileNotFoundError):
        if not where and exc.args and isinstance(exc.args[0], str):  # our own French message
            return exc.args[0]
        return f"Fichier introuvable{where and ' :' + where}. Vérifiez le chemin et le nom, puis relancez."
    if isinstance(exc, IsADirectoryError):
        return f"{where.strip() or 'Ce chemin'} est un dossier, pas un fichier : indiquez le fichier lui-même."
    return (f"Erreur d'accès au fichier{where} ({exc.strerror or exc}). Vérifiez le disque et le fichier, "
            "puis relancez.")
