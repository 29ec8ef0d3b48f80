"""French description of a failed cell, numbered as in the source notebook."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from relief_analytics.report.execute import _runs_this_python, describe_cell_failure


def test_cell_number_ignores_the_injected_parameters_cell():
    injected = nbformat.v4.new_code_cell("annee = 2025")
    injected.metadata["tags"] = ["injected-parameters"]
    executed = nbformat.v4.new_notebook()
    executed.cells = [
        nbformat.v4.new_markdown_cell("# Titre"),
        nbformat.v4.new_code_cell("annee = 2024"),
        injected,
        nbformat.v4.new_code_cell("\n\nboom()"),
    ]
    error = PapermillExecutionError(
        3, 2, "\n\nboom()", "NameError", "name 'boom' is not defined", []
    )
    assert describe_cell_failure(error, executed) == (
        "erreur dans la cellule n° 3 « boom() » — NameError : name 'boom' is not defined"
    )


def test_bare_python_names_mean_this_interpreter():
    assert _runs_this_python("python3")
    assert not _runs_this_python("/opt/autre/bin/python3")


def _transport_notebook(path):
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("numero: int = 0  # numéro du noyau")
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [
        parameters,
        nbformat.v4.new_code_cell(
            "from ipykernel import get_connection_info\n"
            "info = get_connection_info(unpack=True)\n"
            "print(info['transport'], info['ip'])"
        ),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    nbformat.write(notebook, path)
    return path


@pytest.mark.slow
def test_concurrent_kernels_listen_on_private_sockets_without_port_errors(tmp_path, capfd):
    """Six kernels started at once: each on its own IPC endpoint, nothing on stderr (no ZMQError)."""
    from concurrent.futures import ThreadPoolExecutor

    from relief_analytics.report.execute import ensure_kernel_name, kernel_environment, run_notebook

    source = _transport_notebook(tmp_path / "transport.ipynb")
    kernel_name = ensure_kernel_name()
    with kernel_environment(), ThreadPoolExecutor(max_workers=6) as pool:
        executed = list(pool.map(
            lambda number: run_notebook(
                source, tmp_path / f"sortie-{number}.ipynb",
                parameters={"numero": number}, kernel_name=kernel_name,
            ),
            range(6),
        ))

    printed = [nb.cells[-1].outputs[0]["text"].split() for nb in executed]
    assert [transport for transport, _ in printed] == ["ipc"] * 6
    endpoints = [endpoint for _, endpoint in printed]
    assert len(set(endpoints)) == 6
    assert all(Path(endpoint).parent.name.startswith("relief-noyaux-") for endpoint in endpoints)
    err = capfd.readouterr().err
    assert "ZMQError" not in err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("kernel*")), "no socket file lands in the notebook's folder"


def test_each_kernel_gets_its_own_socket_prefix():
    from relief_analytics.report.execute import ipc_endpoint_prefix, kernel_manager_class

    first, second = ipc_endpoint_prefix(), ipc_endpoint_prefix()
    assert first != second
    assert Path(first).parent == Path(second).parent
    assert oct(Path(first).parent.stat().st_mode & 0o777) == "0o700"
    manager = kernel_manager_class()(kernel_name="python3")
    assert manager.transport == "ipc"
    assert Path(manager.ip).parent == Path(first).parent


@pytest.mark.slow
def test_a_warm_kernel_runs_the_notebook_with_the_report_modules_already_imported(tmp_path, capfd):
    from relief_analytics.report.execute import KernelPool, ensure_kernel_name, run_notebook

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "import os, sys\n"
        "print('relief_analytics.figures.charts' in sys.modules, os.getcwd())"
    )]
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    source = tmp_path / "chaud.ipynb"
    nbformat.write(notebook, source)
    pool = KernelPool(kernel_name=ensure_kernel_name(), cwd=tmp_path, count=2, ahead=1)
    try:
        assert pool.take(tmp_path / "ailleurs" / "x.ipynb") is None  # another folder: no kernel
        outputs = []
        for number in range(2):
            manager = pool.take(source)
            assert manager is not None
            executed = run_notebook(source, tmp_path / f"sortie-{number}.ipynb", parameters={},
                                    kernel_name=pool.kernel_name, kernel_manager=manager)
            pool.release(manager)
            outputs.append(executed.cells[-1].outputs[0]["text"].strip())
        assert pool.take(source) is None  # count reached: the notebook would start its own
    finally:
        pool.close()
    assert outputs == [f"True {tmp_path}"] * 2
    assert "Traceback" not in capfd.readouterr().err


def test_the_warm_kernels_preload_line_imports_modules_that_exist():
    # a module moved (report.display → display.blocks) would make every warm kernel fail at start
    import subprocess
    import sys

    from relief_analytics.report.execute import PRELOAD_EXEC_LINE

    run = subprocess.run([sys.executable, "-c", PRELOAD_EXEC_LINE], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_every_module_of_the_package_that_a_report_notebook_imports_is_preloaded():
    import ast
    import importlib
    import importlib.util

    from relief_analytics.report.catalog import CATALOG
    from relief_analytics.report.execute import PRELOADED_MODULES

    imported = set()
    for spec in CATALOG:
        for cell in nbformat.read(spec.notebook_path, as_version=4).cells:
            if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
                for node in ast.walk(ast.parse(cell.source)):
                    if isinstance(node, ast.ImportFrom) and node.module.startswith("relief_analytics"):
                        for alias in node.names:  # "from …figures import maps" imports a module
                            name = f"{node.module}.{alias.name}"
                            is_module = hasattr(importlib.import_module(node.module), "__path__") and \
                                importlib.util.find_spec(name) is not None
                            imported.add(name if is_module else node.module)
                    elif isinstance(node, ast.Import):
                        imported |= {a.name for a in node.names if a.name.startswith("relief_analytics")}
    assert imported and imported <= set(PRELOADED_MODULES), sorted(imported - set(PRELOADED_MODULES))


def _notebook(path: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                       "display_name": "Python 3"}
    nbformat.write(notebook, path)
    return path


@pytest.mark.slow
def test_a_kernel_runs_the_next_notebook_with_nothing_left_of_the_previous_one(tmp_path):
    from relief_analytics.report.execute import KernelPool, ensure_kernel_name, run_notebook

    first = _notebook(tmp_path / "premier.ipynb", "import os\nreste = 41\nprint(os.getpid())")
    second = _notebook(tmp_path / "second.ipynb",
                       "import os\nprint(os.getpid(), 'reste' in globals(), 'os' in dir())")
    pool = KernelPool(kernel_name=ensure_kernel_name(), cwd=tmp_path, count=2, ahead=1)
    try:
        runs = []
        for number, source in enumerate((first, second)):
            manager = pool.take(source)
            assert manager is not None
            runs.append(run_notebook(source, tmp_path / f"sortie-{number}.ipynb", parameters={},
                                     kernel_name=pool.kernel_name, kernel_manager=manager))
            pool.release(manager)
    finally:
        pool.close()
    pid = runs[0].cells[-1].outputs[0]["text"].strip()
    # the same process ran both; the second saw none of the first one's names, and its
    # cells are numbered from 1 as in a fresh kernel
    assert runs[1].cells[-1].outputs[0]["text"].strip() == f"{pid} False True"
    assert [cell.execution_count for cell in runs[1].cells] == [1]


@pytest.mark.slow
def test_the_kernel_of_a_failed_notebook_is_stopped_and_a_fresh_one_runs_the_next(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    from relief_analytics.report.execute import KernelPool, ensure_kernel_name, run_notebook

    broken = _notebook(tmp_path / "casse.ipynb", "import os\nprint(os.getpid())\nraise ValueError('x')")
    after = _notebook(tmp_path / "apres.ipynb", "import os\nprint(os.getpid())")
    pool = KernelPool(kernel_name=ensure_kernel_name(), cwd=tmp_path, count=2, ahead=1)
    try:
        manager = pool.take(broken)
        with pytest.raises(PapermillExecutionError):
            run_notebook(broken, tmp_path / "sortie-0.ipynb", parameters={},
                         kernel_name=pool.kernel_name, kernel_manager=manager)
        pool.release(manager, reuse=False)
        assert not manager.has_kernel
        replacement = pool.take(after)
        assert replacement is not None and replacement is not manager
        executed = run_notebook(after, tmp_path / "sortie-1.ipynb", parameters={},
                                kernel_name=pool.kernel_name, kernel_manager=replacement)
        pool.release(replacement)
        assert pool.take(after) is None  # both notebooks had their kernel
    finally:
        pool.close()
    failed = nbformat.read(tmp_path / "sortie-0.ipynb", as_version=4)
    failed_pid = next(cell for cell in failed.cells if cell.cell_type == "code").outputs[0]["text"]
    assert executed.cells[0].outputs[0]["text"] != failed_pid
