"""Run report notebooks with papermill's Python API, in a kernel that runs this very Python.

- :func:`ensure_kernel_name` picks a kernelspec whose interpreter is ``sys.executable`` (installing
  one into ``sys.prefix`` when the ``python3`` spec points elsewhere);
- :func:`kernel_environment` lets that kernel import this copy of ``relief_analytics`` even when
  the package is not installed, and quiets the kernel's start-up logging;
- :func:`describe_cell_failure` turns papermill's error into a French sentence naming the cell;
- :func:`kernel_arguments` quiets each kernel and keeps jsonschema's optional ``rfc3987_syntax``
  import (2-3 s of grammar building) out of it, as ``import relief_analytics`` does in the build;
- :func:`kernel_manager_class` starts each kernel on Unix sockets in a private folder rather than on
  TCP ports, so two kernels (or any other program of the machine) can never pick the same port.

Why not TCP: jupyter_client picks five free ports by binding port 0 and closing the socket, then
the kernel binds them a moment later. In between, any outgoing connection (our client connecting
to the previous kernel, another process) may get one of them as its ephemeral port, and the kernel
prints ``ZMQError: Address already in use`` (the heartbeat thread's traceback, the kernel going on
without it). An IPC endpoint is a file name that only this kernel knows.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from pathlib import Path

import nbformat

from relief_analytics import SLOW_OPTIONAL_IMPORTS
from relief_analytics.paths import PROJECT_DIR
from relief_analytics.report.pdf import SPAWN_LOCK

#: Line each report kernel runs at start-up (``IPKernelApp.exec_lines``), before any cell: makes
#: :data:`relief_analytics.SLOW_OPTIONAL_IMPORTS` unimportable, as importing ``relief_analytics``
#: does, even before the notebook imports the package. Defines no name and prints nothing.
KERNEL_EXEC_LINE = (
    "[__import__('sys').modules.setdefault(_name, None) for _name in "
    f"{SLOW_OPTIONAL_IMPORTS!r}] and None"
)

#: Modules a warm kernel imports before it is handed a notebook (:class:`KernelPool`): every
#: module of the package that a report notebook imports (a test keeps the list complete), and
#: the libraries they draw with, so that their import overlaps the build's load.
PRELOADED_MODULES = (
    "pandas", "plotly.graph_objects", "plotly.io",
    "relief_analytics.formatting", "relief_analytics.context",
    "relief_analytics.context.exploration", "relief_analytics.indicators.readiness",
    "relief_analytics.figures.charts", "relief_analytics.figures.maps",
    "relief_analytics.figures.render", "relief_analytics.figures.theme",
    "relief_analytics.display.blocks", "relief_analytics.display.cerfa",
    "relief_analytics.display.changes", "relief_analytics.display.key_figures",
    "relief_analytics.display.panorama",
)
#: Line a warm kernel runs at start-up: imports :data:`PRELOADED_MODULES` and builds the RELIEF
#: plotly template that every notebook registers. Defines no name in the notebook's namespace
#: and prints nothing.
PRELOAD_EXEC_LINE = (
    f"[__import__(_name) for _name in {PRELOADED_MODULES!r}] and "
    "__import__('relief_analytics.figures.theme').figures.theme.relief_template() and None"
)

#: Kernelspec installed into ``sys.prefix`` when ``python3`` does not run ``sys.executable``.
OWN_KERNEL_NAME = "relief-analytics"
DEFAULT_KERNEL_NAME = "python3"
KERNEL_START_TIMEOUT_S = 120
#: A cell running longer than this fails the report (a hung cell must not block the build).
CELL_TIMEOUT_S = 900


def ensure_kernel_name() -> str:
    """Return the name of a kernelspec that runs ``sys.executable``; install one if needed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    for name in (DEFAULT_KERNEL_NAME, OWN_KERNEL_NAME):
        try:
            spec = manager.get_kernel_spec(name)
        except NoSuchKernel:
            continue
        if spec.argv and _runs_this_python(spec.argv[0]):
            return name

    from ipykernel.kernelspec import install

    install(
        kernel_name=OWN_KERNEL_NAME,
        display_name="Python (relief-analytics)",
        prefix=sys.prefix,
    )
    return OWN_KERNEL_NAME


def _runs_this_python(executable: str) -> bool:
    # jupyter_client replaces a bare "python"/"python3"/"python3.X" by sys.executable.
    major, minor = sys.version_info[:2]
    if executable in {"python", f"python{major}", f"python{major}.{minor}"}:
        return True
    # Compare without resolving symlinks: a venv's python links to the base interpreter.
    return os.path.abspath(executable) == os.path.abspath(sys.executable)


@contextlib.contextmanager
def kernel_environment() -> Iterator[None]:
    """Set, for the kernels started inside the block, a ``PYTHONPATH`` reaching this package."""
    saved = {key: os.environ.get(key) for key in ("PYTHONPATH", "PYDEVD_DISABLE_FILE_VALIDATION")}
    paths = [str(PROJECT_DIR)] + [p for p in (saved["PYTHONPATH"] or "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    papermill_logger = logging.getLogger("papermill")
    saved_level = papermill_logger.level
    papermill_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        papermill_logger.setLevel(saved_level)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


_ipc_lock = threading.Lock()
_ipc_folder: tempfile.TemporaryDirectory | None = None
_ipc_counter = itertools.count(1)


def ipc_endpoint_prefix() -> str:
    """Return a fresh prefix for one kernel's IPC socket files, in a folder private to this process.

    The folder (``0700``, made by :func:`tempfile.mkdtemp`) is removed when the process ends; each
    kernel gets its own prefix, so no two kernels share a socket name. jupyter_client appends
    ``-1`` … ``-5`` (one per channel) and removes the files when the kernel shuts down.
    """
    global _ipc_folder
    with _ipc_lock:
        if _ipc_folder is None or not Path(_ipc_folder.name).is_dir():
            _ipc_folder = tempfile.TemporaryDirectory(prefix="relief-noyaux-")
        return str(Path(_ipc_folder.name) / f"k{next(_ipc_counter)}")


@functools.cache
def kernel_manager_class():
    """Return the kernel manager class of report kernels: papermill's usual one, on IPC transport."""
    from jupyter_client import AsyncKernelManager
    from traitlets import default

    class IpcKernelManager(AsyncKernelManager):
        """An ``AsyncKernelManager`` whose kernel listens on private Unix sockets, not TCP ports."""

        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):
            return ipc_endpoint_prefix()

    return IpcKernelManager


def saved_template_warning(notebook: Path, nb: nbformat.NotebookNode | None = None) -> str | None:
    """Return a French warning when a template notebook was saved after being run, else ``None``.

    Templates are committed without outputs (``make strip``). A code cell with outputs or an
    execution count means the file was saved from JupyterLab, whose edits (a filter typed in the
    parameters cell) would then be published by the build. The warning names the file and says
    how to get the template back; explorations belong in ``explorations/`` (``make lab``).
    """
    if nb is None:
        try:
            nb = nbformat.read(notebook, as_version=4)
        except Exception:  # noqa: BLE001 - an unreadable notebook fails when it is run
            return None
    run_cells = [
        cell for cell in nb.cells
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    if not run_cells:
        return None
    return (
        f"le modèle {Path(notebook).name} a été exécuté et enregistré (par exemple depuis "
        "JupyterLab) : ses paramètres ou ses cellules ont pu changer et seraient publiés. "
        "Les explorations s'enregistrent dans explorations/ (make lab) ; rétablissez le modèle "
        f"avec « git checkout notebooks/{Path(notebook).name} » ou videz ses sorties "
        "avec « make strip »."
    )


def kernel_process_environment() -> dict[str, str]:
    """The environment of a report kernel: this one, with :func:`kernel_environment`'s additions."""
    env = dict(os.environ)
    paths = [str(PROJECT_DIR)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


class KernelPool:
    """Warm kernels, started ahead of the notebooks and reused: each runs notebooks in turn.

    At most ``ahead`` kernels (and no more than ``count``, the notebooks to run) are started, one
    at a time in a background thread, while the build loads the data and computes the year, with
    the report modules already imported (:data:`PRELOAD_EXEC_LINE`). :meth:`take` hands a free
    kernel to a notebook; :meth:`release` gives it back. After a notebook that succeeded, the
    kernel's namespace is reset (:data:`RESET_CODE`: every name the notebook defined is gone and
    the execution counter is back at 1, so the executed notebook reads as from a fresh kernel)
    and the kernel runs the next notebook: its Python start and its imports are paid once per
    kernel, not once per notebook. After a failure, the kernel is stopped and a fresh one started
    for the notebooks left. :meth:`take` returns ``None`` when no warm kernel can be had (the
    notebook then starts its own, as before), or when ``count`` notebooks were handed out.
    """

    def __init__(self, *, kernel_name: str, cwd: Path, count: int, ahead: int = 2) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.kernel_name, self.cwd = kernel_name, Path(cwd)
        self._notebooks_left = max(0, count)
        self._ready = threading.Condition()
        self._free: list[Future] = []  # kernels started (or starting) and not in use
        self._taken: list = []
        self._closed = False
        self._env = kernel_process_environment()
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relief-noyau")
        for _ in range(min(max(1, ahead), self._notebooks_left)):
            self._start_one()

    def _start_one(self) -> None:
        with self._ready:
            if not self._closed:
                self._free.append(self._starter.submit(self._launch))
                self._ready.notify()

    def _launch(self):
        from jupyter_core.utils import run_sync

        manager = kernel_manager_class()(kernel_name=self.kernel_name)
        with SPAWN_LOCK:
            run_sync(manager.start_kernel)(
                cwd=str(self.cwd), env=self._env,
                extra_arguments=kernel_arguments(preload=True),
            )
        return manager

    def take(self, notebook: Path):
        """A started kernel manager for ``notebook`` (in :attr:`cwd`), or ``None``.

        Waits while every kernel is running another notebook (one is released soon).
        """
        if Path(notebook).parent.resolve() != self.cwd.resolve():
            return None
        with self._ready:
            while not self._free and self._taken and not self._closed:
                self._ready.wait()
            if self._closed or not self._free or self._notebooks_left <= 0:
                return None
            self._notebooks_left -= 1
            future = self._free.pop(0)
        try:
            manager = future.result(timeout=KERNEL_START_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - the notebook starts its own kernel instead
            return None
        with self._ready:
            self._taken.append(manager)
        return manager

    def release(self, manager, *, reuse: bool = True) -> None:
        """Give back the kernel of a notebook that is done.

        With ``reuse`` (the notebook succeeded) and notebooks left, the kernel is reset in the
        background (while the build exports this notebook) and kept for the next one; a kernel
        that cannot be reset is replaced by a fresh one. Otherwise it is stopped (its memory
        freed before the build ends), and a fresh kernel is started when notebooks are left.
        """
        with self._ready:
            if manager in self._taken:
                self._taken.remove(manager)
            if reuse and not self._closed and self._notebooks_left > 0:
                self._free.append(self._starter.submit(self._recycle, manager))
                self._ready.notify()
                return
        _stop(manager)
        with self._ready:
            replace = not self._closed and self._notebooks_left > len(self._free) + len(self._taken)
            self._ready.notify_all()
        if replace:
            self._start_one()

    def _recycle(self, manager):
        if reset_kernel(manager):
            return manager
        _stop(manager)
        return self._launch()

    def close(self) -> None:
        """Stop every kernel this pool started (taken or not); wait for those still starting."""
        with self._ready:
            self._closed = True
            free, self._free = self._free, []
            self._ready.notify_all()
        self._starter.shutdown(wait=True)
        managers = list(self._taken)
        for future in free:
            with contextlib.suppress(Exception):
                managers.append(future.result())
        for manager in managers:
            _stop(manager)


#: Code a reused kernel runs between two notebooks (silently, outside the history): IPython's
#: own reset of a new session. User names, the output cache and ``In``/``Out`` are cleared, the
#: execution counter is back at 1 and the garbage is collected (the output cache's flush does
#: it). Imported modules stay: they are why the kernel is reused.
RESET_CODE = "get_ipython().reset(new_session=True)"
#: Seconds a reset may take before the kernel is stopped instead of reused.
RESET_TIMEOUT_S = 60


def reset_kernel(manager) -> bool:
    """Run :data:`RESET_CODE` in the kernel of ``manager``; ``True`` when it succeeded.

    Only the shell channel is opened: the reply says when the reset is done, and no output
    message is awaited (a fresh subscriber may miss them).
    """
    from jupyter_core.utils import run_sync

    client = manager.client()
    try:
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        reply = run_sync(_execute_and_wait)(client, RESET_CODE)
        return reply["content"].get("status") == "ok"
    except Exception:  # noqa: BLE001 - a kernel that cannot be reset is stopped instead
        return False
    finally:
        with contextlib.suppress(Exception):
            client.stop_channels()


async def _execute_and_wait(client, code: str) -> dict:
    msg_id = client.execute(code, silent=True, store_history=False, allow_stdin=False)
    while True:
        reply = await client.get_shell_msg(timeout=RESET_TIMEOUT_S)
        if reply.get("parent_header", {}).get("msg_id") == msg_id:
            return reply


def _stop(manager) -> None:
    from jupyter_core.utils import run_sync

    with contextlib.suppress(Exception):
        if manager.has_kernel:
            run_sync(manager.shutdown_kernel)(now=True)


def run_notebook(
    notebook: Path,
    output: Path,
    *,
    parameters: Mapping[str, object],
    kernel_name: str,
    kernel_manager=None,
) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``parameters`` and save the executed copy to ``output``.

    The kernel's working directory is the notebook's folder, as in JupyterLab. ``kernel_manager``
    is a kernel already started (from :class:`KernelPool`); without it, papermill starts one.
    Raises papermill's ``PapermillExecutionError`` when a cell fails (the executed copy is saved
    first).
    """
    import papermill

    output.parent.mkdir(parents=True, exist_ok=True)
    transport = {"kernel_manager_class": kernel_manager_class()} if os.name == "posix" else {}
    if kernel_manager is not None:
        transport["km"] = kernel_manager
    return papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=dict(parameters),
        kernel_name=kernel_name,
        language="python",
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        start_timeout=KERNEL_START_TIMEOUT_S,
        execution_timeout=CELL_TIMEOUT_S,
        cwd=str(Path(notebook).parent),
        extra_arguments=kernel_arguments(),
        **transport,
    )


def kernel_arguments(*, preload: bool = False) -> list[str]:
    """Return the command-line arguments added to each report kernel.

    Kernel logging only for critical errors (a kernel interrupted at shutdown would otherwise
    print an English « KeyboardInterrupt caught in kernel » at ERROR level), no input history, and
    :data:`KERNEL_EXEC_LINE` so the kernel never builds the ``rfc3987_syntax`` grammar when
    plotly's renderer imports nbformat; with ``preload``, :data:`PRELOAD_EXEC_LINE` too.
    """
    lines = [KERNEL_EXEC_LINE, *([PRELOAD_EXEC_LINE] if preload else [])]
    return [
        "--IPKernelApp.log_level=CRITICAL",
        # No input history: a report kernel's cells are never recalled, and IPython would
        # otherwise write every cell to its SQLite file from a thread of its own.
        "--HistoryManager.enabled=False",
        f"--IPKernelApp.exec_lines={lines!r}",
    ]


def describe_cell_failure(error, executed: nbformat.NotebookNode | None = None) -> str:
    """Return the French description of a failed cell from a ``PapermillExecutionError``.

    The cell number counts the cells of the source notebook from 1 (papermill's injected
    parameters cell is not counted), so the author finds it in JupyterLab; the first non-empty line
    of its code follows, then the exception type and message.
    """
    number = error.cell_index + 1
    if executed is not None:
        injected_before = sum(
            1
            for cell in executed.cells[: error.cell_index]
            if "injected-parameters" in cell.metadata.get("tags", [])
        )
        number -= injected_before
    first_line = next((line.strip() for line in str(error.source).splitlines() if line.strip()), "")
    if len(first_line) > 100:
        first_line = first_line[:99] + "…"
    message = next((line for line in str(error.evalue).splitlines() if line.strip()), "")
    if len(message) > 300:
        message = message[:299] + "…"
    detail = f"{error.ename} : {message}" if message else error.ename
    return f"erreur dans la cellule n° {number} « {first_line} » — {detail}"
