"""The report set: which notebook makes which report, under which French title and file names.

Every report notebook follows one contract (checked by :func:`notebook_problems`):

- exactly one cell tagged ``parameters``, with literal defaults for ``annee: int``,
  ``dossier_donnees: str`` and ``contexte: str`` (papermill injects the real values in the next
  cell), read with papermill's own parser (:func:`papermill.inspect_notebook`);
- no outputs saved in the committed notebook.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from relief_analytics.paths import NOTEBOOKS_DIR

#: Parameters every report notebook receives from the build (name -> expected literal type).
NOTEBOOK_PARAMETERS = {"annee": int, "dossier_donnees": str, "contexte": str}

#: Output formats a report can have. ``slides`` is a reveal.js HTML file, ``pdf`` prints ``html``
#: (or, for a deck, the slides one a page: the handout).
FORMATS = ("html", "slides", "pdf", "xlsx")
_EXTENSIONS = {"html": ".html", "slides": ".html", "pdf": ".pdf", "xlsx": ".xlsx"}


@dataclass(frozen=True)
class ReportSpec:
    """One report of the set.

    Parameters
    ----------
    name : str
        Identifier, also the notebook stem and the output file stem: ``rapport_activite``.
    title : str
        French title; the page title is ``f"{title} {annee}"``.
    formats : tuple of str
        Among :data:`FORMATS`, in production order (``pdf`` needs ``html`` or ``slides`` before it).
    notebook : Path, optional
        Notebook file; defaults to ``notebooks/<name>.ipynb``.
    tables : tuple of str
        Tables the report needs besides the lieux: when the dataset has no file for one of
        them (``Dataset.missing_tables``), the report is not built and the build says why.
    reads : tuple of str, optional
        The input tables whose figures the report shows (keys of ``config.toml [fichiers]``:
        ``lieux``, ``budget``, ``bilan_qualitatif``…). When only files feeding other tables
        change, the build keeps this report as it was. ``None`` (the default): every input.
        A file not listed in ``[fichiers]`` (``config.toml`` itself) counts for every report.
    """

    name: str
    title: str
    formats: tuple[str, ...]
    notebook: Path | None = None
    tables: tuple[str, ...] = ()
    reads: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        unknown = [fmt for fmt in self.formats if fmt not in FORMATS]
        if unknown:
            raise ValueError(f"{self.name}: unknown formats {unknown}, expected among {FORMATS}")
        printed = "html" if "html" in self.formats else "slides"
        if "pdf" in self.formats and (
            printed not in self.formats or self.formats.index("pdf") < self.formats.index(printed)
        ):
            raise ValueError(f"{self.name}: 'pdf' needs 'html' or 'slides' listed before it")
        if "html" in self.formats and "slides" in self.formats:
            raise ValueError(f"{self.name}: 'html' and 'slides' would write the same file")

    @property
    def notebook_path(self) -> Path:
        """The notebook file (absolute)."""
        return Path(self.notebook) if self.notebook else NOTEBOOKS_DIR / f"{self.name}.ipynb"

    def page_title(self, year: int) -> str:
        """Return the title shown in the browser tab and the manifest: ``"Rapport d'activité 2025"``."""
        return f"{self.title} {year}"

    def output_name(self, fmt: str, year: int) -> str:
        """Return the file name of one output: ``rapport_activite_2025.pdf``."""
        return f"{self.name}_{year}{_EXTENSIONS[fmt]}"


#: Input tables of the activity figures (tiles, series, maps): members, events, lieux, volunteering.
_ACTIVITY_TABLES = ("lieux", "adhesions", "evenements", "contributions")

#: The report set. ``reads`` is coarse and errs on the side of rebuilding (the exploration shows
#: only lieux; the quality report lists every file); a report reading a changed file whose tables
#: came out the same is kept too (:func:`relief_analytics.report.plan.content_digests`).
CATALOG: tuple[ReportSpec, ...] = (
    ReportSpec("rapport_activite", "Rapport d'activité", ("html", "pdf"),
               tables=("adhesions", "evenements", "contributions"),
               # « Ce qui a changé » gives the budget result's change
               reads=(*_ACTIVITY_TABLES, "gouvernance", "budget", "bilan_qualitatif")),
    ReportSpec("compte_rendu_financier", "Compte rendu financier", ("html", "pdf", "xlsx"),
               tables=("adhesions", "evenements", "contributions", "budget"),
               reads=(*_ACTIVITY_TABLES, "gouvernance", "budget", "explications_ecarts",
                      "bilan_qualitatif")),
    ReportSpec("exploration_lieux", "Exploration des lieux", ("html",), reads=("lieux",)),
    ReportSpec("presentation_ag", "Présentation à l'assemblée générale", ("slides", "pdf"),
               tables=("adhesions", "evenements", "contributions", "budget")),
    ReportSpec("qualite_donnees", "Qualité des données", ("html",)),
    ReportSpec("synthese_ca", "Synthèse pour le conseil d'administration", ("html", "pdf"),
               tables=("adhesions", "evenements", "contributions"),
               reads=(*_ACTIVITY_TABLES, "budget")),
)


def without_missing_tables(
    specs: Sequence[ReportSpec], missing: Iterable[str], files: dict[str, str] | None = None
) -> tuple[list[ReportSpec], list[str]]:
    """Split ``specs`` into those the dataset can feed and French lines for the others.

    Examples
    --------
    >>> specs = [ReportSpec("a", "Rapport d'activité", ("html",), tables=("adhesions", "budget")),
    ...          ReportSpec("b", "Exploration des lieux", ("html",))]
    >>> kept, said = without_missing_tables(specs, ["budget"], {"budget": "budget.csv"})
    >>> [spec.name for spec in kept], said
    (['b'], ["Rapport « Rapport d'activité » non produit : table absente du dossier de données : Budget (budget.csv)."])
    """
    from relief_analytics.schemas import TABLE_LABELS_FR

    missing = set(missing)
    files = files or {}
    kept, said = [], []
    for spec in specs:
        absent = [table for table in spec.tables if table in missing]
        if not absent:
            kept.append(spec)
            continue
        names = ", ".join(
            f"{TABLE_LABELS_FR.get(t, t)}" + (f" ({files[t]})" if files.get(t) else "") for t in absent)
        plural = "tables absentes" if len(absent) > 1 else "table absente"
        said.append(f"Rapport « {spec.title} » non produit : {plural} du dossier de données : {names}.")
    return kept, said


def select_reports(catalog: Sequence[ReportSpec], only: Iterable[str] | None) -> list[ReportSpec]:
    """Return the reports of ``catalog`` named in ``only`` (all when ``only`` is empty).

    Raises
    ------
    ValueError
        With a French message when a name is not in the catalogue.
    """
    wanted = list(dict.fromkeys(only or []))
    if not wanted:
        return list(catalog)
    known = {spec.name: spec for spec in catalog}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise ValueError(
            f"Rapport inconnu : {', '.join(unknown)}. Rapports disponibles : {', '.join(known)}."
        )
    return [spec for spec in catalog if spec.name in wanted]


def notebook_problems(path: Path) -> list[str]:
    """Return the French list of what breaks the report-notebook contract in ``path`` (empty: fine).

    A fast static check (no kernel): the notebook can be read, has exactly one ``parameters`` cell
    assigning a literal of the right type to each of :data:`NOTEBOOK_PARAMETERS`, and carries no
    saved outputs.
    """
    import nbformat

    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        return [f"{path} : notebook introuvable."]
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook is reported, not raised
        return [f"{path} : notebook illisible ({type(exc).__name__} : {exc})."]

    problems = []
    parameter_cells = [
        cell
        for cell in nb.cells
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", [])
    ]
    if len(parameter_cells) != 1:
        problems.append(
            f"{path.name} : {len(parameter_cells)} cellule(s) marquée(s) « parameters », "
            "il en faut exactement une."
        )
    if len(parameter_cells) == 1:
        defaults = parameter_defaults(path)
        for name, expected in NOTEBOOK_PARAMETERS.items():
            if name not in defaults:
                problems.append(
                    f"{path.name} : la cellule « parameters » ne définit pas {name} "
                    "par une valeur littérale."
                )
            elif not isinstance(defaults[name], expected) or isinstance(defaults[name], bool):
                problems.append(
                    f"{path.name} : {name} doit valoir un {expected.__name__} "
                    f"(valeur trouvée : {defaults[name]!r})."
                )
    with_outputs = [
        index
        for index, cell in enumerate(nb.cells, start=1)
        if cell.cell_type == "code" and cell.get("outputs")
    ]
    if with_outputs:
        problems.append(
            f"{path.name} : des sorties sont enregistrées (cellules {with_outputs[:5]}) ; "
            "videz-les avant de valider le notebook."
        )
    return problems


def parameter_defaults(path: Path) -> dict[str, object]:
    """Return the literal defaults of a notebook's parameters, as papermill reads them.

    A parameter whose default is not a literal (``x = f()``) is left out.
    """
    import papermill

    values: dict[str, object] = {}
    for name, parameter in papermill.inspect_notebook(str(path)).items():
        try:
            values[name] = ast.literal_eval(parameter["default"])
        except (ValueError, TypeError, SyntaxError):
            continue
    return values
