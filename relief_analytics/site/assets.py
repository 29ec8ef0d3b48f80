"""Files the site carries as they are: the vendored Leaflet and the site's own CSS and JavaScript.

Leaflet (npm ``leaflet``, BSD-2-Clause) is vendored in ``assets/js/leaflet/`` with its licence
(see ``assets/js/README.md``); the site's ``site.css`` and ``carte.js`` live in ``assets/site/``.
Data reach the map as scripts assigning a global (:func:`script_assigning`), never fetched, so the
pages work from ``file://``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from relief_analytics.paths import ASSETS_DIR

LEAFLET_DIR = ASSETS_DIR / "js" / "leaflet"
LEAFLET_VERSION = "1.9.4"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "LICENSE")
SITE_ASSETS_DIR = ASSETS_DIR / "site"
SITE_FILES = ("site.css", "carte.js")
#: Folder of the copied assets inside the site.
STATIC_DIRNAME = "static"


def copy_assets(site_dir: Path) -> list[Path]:
    """Copy Leaflet and the site's CSS/JS into ``site_dir/static/``; return the files written."""
    static = Path(site_dir) / STATIC_DIRNAME
    (static / "leaflet").mkdir(parents=True, exist_ok=True)
    written = []
    for name in SITE_FILES:
        written.append(Path(shutil.copyfile(SITE_ASSETS_DIR / name, static / name)))
    for name in LEAFLET_FILES:
        written.append(Path(shutil.copyfile(LEAFLET_DIR / name, static / "leaflet" / name)))
    return written


def assets_digest() -> str:
    """sha256 of every asset the site copies (part of the site's rebuild key)."""
    digest = hashlib.sha256()
    for path in [SITE_ASSETS_DIR / n for n in SITE_FILES] + [LEAFLET_DIR / n for n in LEAFLET_FILES]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def script_assigning(name: str, value: object) -> str:
    """A JavaScript file assigning ``value`` (JSON) to ``window.<name>``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``… so the text can never close a ``<script>``
    even if the file is inlined one day; U+2028/U+2029 are escaped too.

    >>> script_assigning("X", {"nom": "</script><b>"})
    'window.X = {"nom":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"};\\n'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return f"window.{name} = {text};\n"
