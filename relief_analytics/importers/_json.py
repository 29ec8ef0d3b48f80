"""Reading a JSON export with bounded work: size and nesting depth are checked before parsing.

Agenda and map exports (OpenAgenda, Mobilizon, GoGoCarto, a GoGoCarto taxonomy) are JSON files
downloaded from the web. A file too large, too deeply nested (Python's parser would die of
``RecursionError``), badly encoded or malformed is refused with one French sentence that names
the file, says what is wrong and what to do; never a traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from relief_analytics.formatting import format_number
from relief_analytics.load.errors import DataError

#: Largest JSON file read (bytes). Real agenda and map exports of a region are a few MB.
MAX_JSON_BYTES = 64 * 1024 * 1024
#: Deepest nesting of objects/arrays accepted. Real exports nest 4 to 6 levels.
MAX_JSON_DEPTH = 64

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _size(n: int) -> str:
    """« 12,5 Mo » / « 800 Ko » (decimal units, as file managers show them)."""
    if n >= 1_000_000:
        return f"{format_number(n / 1_000_000, decimals=1)} Mo"
    return f"{format_number(max(n // 1000, 1))} Ko"


def json_depth(data: bytes) -> int:
    """Deepest nesting of ``[``/``{`` in a JSON text (strings skipped); linear, no recursion.

    >>> json_depth(b'{"a": [1, {"b": "[[["}]}'), json_depth(b"[]" * 3), json_depth(b"1")
    (3, 1, 0)
    """
    bare = np.frombuffer(_STRING.sub(b'""', data), dtype=np.uint8)
    step = np.zeros(len(bare), dtype=np.int64)
    step[(bare == ord("[")) | (bare == ord("{"))] = 1
    step[(bare == ord("]")) | (bare == ord("}"))] = -1
    return int(np.cumsum(step).max(initial=0))


def read_json(path: Path, *, what: str, max_bytes: int | None = None,
              max_depth: int | None = None) -> object:
    """The parsed content of the JSON file ``path`` (``what`` names the export in messages).

    ``max_bytes`` and ``max_depth`` default to :data:`MAX_JSON_BYTES` and :data:`MAX_JSON_DEPTH`.

    Raises
    ------
    DataError
        File too large (checked before reading), not UTF-8, nested deeper than ``max_depth``
        (checked before parsing), or malformed (line and column given).
    """
    path = Path(path)
    max_bytes = MAX_JSON_BYTES if max_bytes is None else max_bytes
    max_depth = MAX_JSON_DEPTH if max_depth is None else max_depth
    size = path.stat().st_size
    if size > max_bytes:
        raise DataError(
            f"Fichier {path.name} : trop volumineux pour un {what} ({_size(size)}, au plus "
            f"{_size(max_bytes)}). Vérifiez qu'il s'agit du bon fichier, ou exportez-le en plusieurs "
            f"parties.")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"Fichier {path.name} : pas encodé en UTF-8 (octet illisible à la position "
            f"{format_number(exc.start + 1)}). Téléchargez à nouveau le fichier, sans l'ouvrir ni "
            f"l'enregistrer dans un autre logiciel.") from exc
    depth = json_depth(data)
    if depth > max_depth:
        raise DataError(
            f"Fichier {path.name} : JSON imbriqué sur {format_number(depth)} niveaux (au plus "
            f"{max_depth}) : ce n'est pas un {what}. Téléchargez à nouveau l'export.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"Fichier {path.name} : JSON mal formé à la ligne {format_number(exc.lineno)}, colonne "
            f"{format_number(exc.colno)} (fichier tronqué ou modifié à la main ?). Téléchargez à "
            f"nouveau le fichier.") from exc
    except RecursionError as exc:  # depth is checked above; kept as a last guard
        raise DataError(
            f"Fichier {path.name} : JSON trop profondément imbriqué : ce n'est pas un {what}.") from exc
