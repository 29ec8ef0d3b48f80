"""Write the year context once per build, read it in each notebook kernel.

The build pickles the :class:`~relief_analytics.context.year.YearContext` into its private work
folder, under a name keyed by :func:`~relief_analytics.fingerprints.context_key` (the inputs'
sha256, the year and the code version), and passes the path to each notebook as the ``contexte`` parameter. The file is the
build's own, read back by the build's own kernels, and deleted with the work folder.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from relief_analytics.fingerprints import context_key


@dataclass(frozen=True)
class NotebookDataset:
    """What a report notebook reads of the loaded dataset: its folder, its configuration and its
    bilans. The written context carries this instead of the :class:`~relief_analytics.load.Dataset`:
    the raw tables, their rejects and their validation models stay in the ``relief`` process,
    and a kernel neither unpickles them nor imports the loader's validation library."""

    directory: Path
    config: Any
    qualitative_reviews: dict[int, str] = field(default_factory=dict)
    missing_tables: tuple[str, ...] = ()
    input_checksums: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, dataset) -> NotebookDataset:
        return cls(directory=dataset.directory, config=dataset.config,
                   qualitative_reviews=dict(dataset.qualitative_reviews),
                   missing_tables=tuple(dataset.missing_tables),
                   input_checksums=dict(dataset.input_checksums))

    def qualitative_review(self, year: int) -> str:
        """Text of the users' qualitative review for ``year`` (empty string if absent)."""
        return self.qualitative_reviews.get(int(year), "")


def write_context(context, folder: Path) -> Path:
    """Pickle what the notebooks read of ``context`` into ``folder`` (named after its key) and
    return the file's path: the context, its dataset replaced by a :class:`NotebookDataset`.

    The key uses the checksums the loader computed from the bytes it read: no input is read again.
    """
    checksums = context.dataset.input_checksums
    key = context_key([], year=context.year,
                      extra=[f"{name}:{digest}" for name, digest in sorted(checksums.items())])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"contexte-{context.year}-{key[:16]}.pickle"
    for_notebooks = replace(context, dataset=NotebookDataset.of(context.dataset))
    with open(path, "wb") as handle:
        pickle.dump(for_notebooks, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def read_context(path: Path, *, year: int):
    """Read a context written by :func:`write_context`; check it is the one of ``year``.

    Raises
    ------
    ValueError
        When the file holds the context of another year (French message).
    """
    with open(path, "rb") as handle:
        context = pickle.load(handle)  # noqa: S301 - the build's own file, in its work folder
    if context.year != year:
        raise ValueError(
            f"Le contexte {path.name} est celui de {context.year}, pas de {year} : relancez "
            "« relief rapports »."
        )
    return context
