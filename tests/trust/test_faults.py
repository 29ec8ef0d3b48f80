"""Faults of a build: a concurrent build, a SIGKILL, a read-only or full output disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest

from relief_analytics import cli
from relief_analytics.report import folders

ROOT = Path(__file__).resolve().parents[2]

LOCK_HOLDER = textwrap.dedent("""
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, str(os.getpid()).encode())
    print("verrou pris", flush=True)
    time.sleep(120)
""")

# A build of a one-report catalog whose notebook sleeps: killed while it runs.
SLOW_BUILD = textwrap.dedent("""
    import sys
    from pathlib import Path

    import nbformat
    from factories import write_dataset

    from relief_analytics.report.build import build_reports
    from relief_analytics.report.catalog import ReportSpec

    root = Path(sys.argv[1])
    seconds = float(sys.argv[2])
    write_dataset(root / "donnees")

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("annee: int = 2024\\ndossier_donnees: str = 'x'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Rapport"), params,
                nbformat.v4.new_code_cell(f"import time\\ntime.sleep({seconds})\\nprint('nouveau')")]
    notebook = root / f"lent-{seconds}.ipynb"
    nbformat.write(nb, notebook)
    spec = ReportSpec("rapport_activite", "Rapport d'activité", ("html",), notebook=notebook)
    result = build_reports(dataset_dir=root / "donnees", year=2025, reports_dir=root / "reports",
                           catalog=[spec], browser=None, progress=print)
    sys.exit(result.exit_code)
""")


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}


def test_a_second_concurrent_build_stops_with_a_french_message(tmp_path, capsys):
    reports = tmp_path / "reports"
    reports.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(reports / ".2025.lock")],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        assert holder.stdout.readline().strip() == "verrou pris"
        code = cli.main(["rapports", "--annee", "2025", "--sortie", str(reports)])
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    err = capsys.readouterr().err
    assert code == 2
    assert (
        f"Erreur : Une autre production des rapports 2025 est déjà en cours dans {reports} "
        f"(processus {holder.pid}). Attendez qu'elle se termine, puis relancez « relief rapports ». "
        f"Aucun fichier n'a été modifié."
    ) in err
    assert sorted(p.name for p in reports.iterdir()) == [".2025.lock"]  # nothing else written


def test_lock_is_released_after_a_build_and_taken_again(tmp_path):
    year_dir = tmp_path / "reports" / "2025"
    work = folders.make_work_dir(year_dir)
    assert folders.lock_path(year_dir).is_file()
    folders.release_lock(year_dir)
    assert not folders.lock_path(year_dir).exists()
    work2 = folders.make_work_dir(year_dir)  # a new build takes the lock and cleans the old work folder
    assert not work.exists() and work2.exists()
    folders.release_lock(year_dir)


def test_a_swap_cut_between_its_renames_is_undone_by_the_next_build(tmp_path):
    reports = tmp_path / "reports"
    backup = reports / ".2025.ancien-20261130-101010-123"
    backup.mkdir(parents=True)
    (backup / "rapport_activite_2025.html").write_text("précédent", encoding="utf-8")
    (reports / ".2025.tmp-abcd").mkdir()
    work = folders.make_work_dir(reports / "2025")
    try:
        assert (reports / "2025" / "rapport_activite_2025.html").read_text(encoding="utf-8") == "précédent"
        assert sorted(p.name for p in reports.iterdir()) == sorted(["2025", ".2025.lock", work.name])
    finally:
        folders.release_lock(reports / "2025")


@pytest.mark.slow
def test_sigkill_mid_build_keeps_previous_reports_and_the_next_build_cleans_up(tmp_path):
    reports = tmp_path / "reports"
    previous = reports / "2025"
    previous.mkdir(parents=True)
    (previous / "rapport_activite_2025.html").write_text("rapport précédent", encoding="utf-8")
    script = tmp_path / "build.py"
    script.write_text(SLOW_BUILD, encoding="utf-8")
    build = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path), "60"], env=_env(), cwd=tmp_path,
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        for line in build.stdout:  # wait until the notebook runs inside the work folder
            if "exécution du notebook" in line:
                break
        work_dirs = list(reports.glob(".2025.tmp-*"))
        assert len(work_dirs) == 1
    finally:
        os.killpg(build.pid, signal.SIGKILL)  # the build and its kernel
        build.wait()
    assert build.returncode == -signal.SIGKILL
    assert (previous / "rapport_activite_2025.html").read_text(encoding="utf-8") == "rapport précédent"
    assert work_dirs[0].exists()  # the killed build's leftover

    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path), "0"], env=_env(), cwd=tmp_path,
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "nouveau" in (previous / "rapport_activite_2025.html").read_text(encoding="utf-8")
    # no work folder, no lock left; the successful build kept its snapshot of the lieux
    assert sorted(p.name for p in reports.iterdir()) == ["2025", "instantanes"]


@contextmanager
def tmpfs(path: Path, options: str):
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


def test_read_only_output_disk_gives_a_french_message(tmp_path, capsys):
    with tmpfs(tmp_path / "ro", "ro,size=1m") as reports:
        code = cli.main(["rapports", "--annee", "2025", "--sortie", str(reports)])
    err = capsys.readouterr().err
    assert code == 2
    assert (
        f"Erreur : Rapports non produits : le dossier de sortie {reports} est en lecture seule "
        "(disque ou clé protégé en écriture). Les rapports précédents n'ont pas été modifiés."
    ) in err


def test_full_output_disk_gives_a_french_message_and_keeps_previous_reports(tmp_path, capsys):
    with tmpfs(tmp_path / "plein", "size=2m") as reports:
        (reports / "2025").mkdir()
        (reports / "2025" / "rapport_activite_2025.html").write_text("précédent", encoding="utf-8")
        code = cli.main(["rapports", "--annee", "2025", "--sortie", str(reports)])
        assert (reports / "2025" / "rapport_activite_2025.html").read_text(encoding="utf-8") == "précédent"
        assert sorted(p.name for p in reports.iterdir()) == ["2025"]
    err = capsys.readouterr().err
    assert code == 2
    assert f"Erreur : Rapports non produits : le disque du dossier de sortie {reports} est plein." in err


def test_forbidden_output_folder_for_a_user_without_write_permission(tmp_path):
    """A folder the user may not write to gives the French message.

    As root, permission checks are bypassed by the CAP_DAC_OVERRIDE capability, so the command runs
    with every capability dropped (``setpriv --bounding-set=-all``) but the same uid: it still
    reads the clone and its venv wherever they sit (a parent folder readable only by root
    included), and it is refused writing in a ``0555`` folder, as any other user would be.
    """
    reports = tmp_path / "interdit"
    reports.mkdir(mode=0o555)
    code = (
        "from pathlib import Path\n"
        "from relief_analytics.report import folders\n"
        "try:\n"
        f"    folders.make_work_dir(Path({str(reports / '2025')!r}))\n"
        "except folders.OutputFolderError as exc:\n"
        "    print(exc)\n"
    )
    command = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        command = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", *command]
    run = subprocess.run(command, env=_env(), capture_output=True, text=True, cwd="/")
    assert run.stdout.strip().startswith(
        f"Rapports non produits : vous n'avez pas le droit d'écrire dans le dossier de sortie {reports}."
    ), run.stderr
