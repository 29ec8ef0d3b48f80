"""Geo maps draw inside a running JupyterLab with the network off (issue #10, section 6).

The exploration notebook is executed with papermill (as the report build does, outside any
Jupyter server), saved into a temporary root, and opened in a real JupyterLab served on 127.0.0.1
under a non-default ``base_url``, in headless Chromium whose only reachable host is the loopback
(every other request goes to a closed proxy port and no other host name resolves). The page is
driven through the DevTools protocol:

- the real notebook: every geo figure has drawn paths in its plot layer (choropleth polygons,
  scattergeo points) and the console has no failed topojson fetch;
- a control copy whose outputs lack ``config.topojsonURL``: the same figures stay empty and the
  console shows plotly.js's ``error while fetching topojson file``. This proves that the browser
  really had no network and that the config is what makes the maps draw;
- the notebook as versioned (no outputs) run in JupyterLab itself (*Run All* on a kernel started by
  the server), as a user does after ``make lab``: its maps draw too.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from relief_analytics.paths import PROJECT_DIR
from relief_analytics.report.pdf import chromium_flags, find_browser

BROWSER = find_browser(None)
MISSING = [name for name in ("jupyterlab", "websocket") if importlib.util.find_spec(name) is None]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(BROWSER is None, reason="no Chromium/Chrome on this machine"),
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"missing Python package(s): {', '.join(MISSING)} (jupyterlab, websocket-client)",
    ),
]

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
GEO_TRACE_TYPES = {"scattergeo", "choropleth"}
#: A non-default base_url: the maps must not depend on where the server is mounted.
BASE_URL = "/relief-lab-test/"
NOTEBOOK = "exploration_lieux.ipynb"
#: The versioned notebook, under ``notebooks/`` beside a ``data`` link so its default
#: ``../data/sample`` resolves as in the repository.
LIVE_NOTEBOOK = f"notebooks/{NOTEBOOK}"
CONTROL_NOTEBOOK = "exploration_lieux_sans_topojsonurl.ipynb"
SERVER_START_TIMEOUT_S = 120
DRAW_TIMEOUT_S = 120
#: How long the control page is watched once its figures are in the DOM.
CONTROL_SETTLE_S = 15

#: Per plotly figure in the notebook: has it a geo subplot, and how many paths does its plot layer
#: hold (choropleth polygons, scattergeo markers; base layers are hidden on our maps).
PAGE_STATE_JS = """
(() => {
  // An output whose rendering failed loses its plotly class: look at every output area child.
  const outputs = [...document.querySelectorAll('.jp-OutputArea-child')];
  const plots = outputs.filter((output) => output.querySelector('.plot-container'));
  const geo = plots.filter((plot) => plot.querySelector('.geolayer .geo'));
  const paths = geo.map((plot) => plot.querySelectorAll('.geolayer .geo path').length);
  return JSON.stringify({plots: plots.length, geo: geo.length, paths: paths});
})()
"""


# ---------------------------------------------------------------------------------------------
# Notebooks


def _geo_outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    """The plotly mimetype payloads of ``notebook`` that draw a geo subplot."""
    payloads = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(PLOTLY_MIMETYPE)
            if payload and any(t.get("type") in GEO_TRACE_TYPES for t in payload["data"]):
                payloads.append(payload)
    return payloads


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory) -> Path:
    """A JupyterLab root holding the executed exploration notebook and its control copy."""
    from relief_analytics.report.execute import (
        ensure_kernel_name,
        kernel_environment,
        run_notebook,
    )

    root = tmp_path_factory.mktemp("lab-root")
    with kernel_environment():
        executed = run_notebook(
            PROJECT_DIR / "notebooks" / NOTEBOOK,
            root / NOTEBOOK,
            parameters={},
            kernel_name=ensure_kernel_name(),
        )
    control = copy.deepcopy(executed)
    for payload in _geo_outputs(control):
        payload["config"].pop("topojsonURL", None)
    nbformat.write(control, root / CONTROL_NOTEBOOK)
    (root / "notebooks").mkdir()
    shutil.copyfile(PROJECT_DIR / "notebooks" / NOTEBOOK, root / LIVE_NOTEBOOK)
    (root / "data").symlink_to(PROJECT_DIR / "data", target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def geo_figure_count(lab_root: Path) -> int:
    """How many geo maps the exploration notebook draws (4 when this test was written)."""
    count = len(_geo_outputs(nbformat.read(lab_root / NOTEBOOK, as_version=4)))
    assert count >= 1, "the exploration notebook draws no geo map: nothing to check in JupyterLab"
    return count


def test_executed_notebook_carries_the_basemap_in_every_geo_output(lab_root: Path):
    notebook = nbformat.read(lab_root / NOTEBOOK, as_version=4)
    payloads = _geo_outputs(notebook)
    assert len(payloads) >= 1
    for payload in payloads:
        url = payload["config"]["topojsonURL"]
        assert url.startswith('data:application/json,{"type":"Topology"')
        assert url.endswith("#")
    # Exported HTML keeps its own base map (window.PlotlyGeoAssets), not a copy per figure.
    html = "".join(
        "".join(output.get("data", {}).get("text/html", ""))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )
    assert 'data:application/json,{"type":"Topology"' not in html


# ---------------------------------------------------------------------------------------------
# JupyterLab server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def _stop(process: subprocess.Popen, *, grace_s: float = 15) -> None:
    """Stop ``process`` and its process group: SIGTERM, then SIGKILL after ``grace_s``."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=grace_s)


class LabServer:
    def __init__(self, process: subprocess.Popen, port: int, token: str, log: Path):
        self.process, self.port, self.token, self.log = process, port, token, log
        self.url = f"http://127.0.0.1:{port}{BASE_URL}"

    def request(self, path: str, *, method: str = "GET", body: dict | None = None) -> bytes:
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def page_url(self, workspace: str, notebook: str) -> str:
        return f"{self.url}lab/workspaces/{workspace}/tree/{notebook}?reset&token={self.token}"

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])


@pytest.fixture(scope="module")
def lab_server(lab_root: Path, tmp_path_factory):
    """JupyterLab on 127.0.0.1 (random free port, token, no browser), always stopped."""
    home = tmp_path_factory.mktemp("jupyter-home")
    settings = home / "lab-settings"
    # Render every cell (no windowing), so every figure of the notebook is in the DOM.
    _write_json(
        settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
        {"windowingMode": "none"},
    )
    _write_json(
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False},
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "PYTHONPATH": os.pathsep.join(
            [str(PROJECT_DIR), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        ),
    }
    port, token = _free_port(), secrets.token_hex(16)
    log = home / "jupyterlab.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--ServerApp.base_url={BASE_URL}",
                f"--ServerApp.root_dir={lab_root}",
                f"--IdentityProvider.token={token}",
                "--LabApp.notebook_starts_kernel=False",
                "--LabApp.extension_manager=readonly",
                "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to run the cells
                *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            cwd=lab_root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LabServer(process, port, token, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited ({process.returncode}):\n{server.log_tail()}")
            with contextlib.suppress(OSError):
                if json.loads(server.request("api/status")).get("started"):
                    break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"JupyterLab not up after {SERVER_START_TIMEOUT_S} s:\n{server.log_tail()}"
                )
            time.sleep(0.5)
        yield server
    finally:
        with contextlib.suppress(OSError):
            server.request("api/shutdown", method="POST")
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
        _stop(process)


# ---------------------------------------------------------------------------------------------
# Headless Chromium, driven through the DevTools protocol


class DevTools:
    """A minimal DevTools-protocol client for one page: commands, events, console problems."""

    def __init__(self, websocket_url: str):
        import websocket

        self._ws = websocket.create_connection(websocket_url, timeout=30, suppress_origin=True)
        self._next_id = 0
        self.events: list[dict] = []

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._ws.close()

    def send(self, method: str, params: dict | None = None, *, timeout_s: float = 30) -> dict:
        self._next_id += 1
        message_id = self._next_id
        self._ws.send(json.dumps({"id": message_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            message = self._receive(deadline - time.monotonic())
            if message is None:
                continue
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
        raise TimeoutError(f"no answer to {method} within {timeout_s} s")

    def _receive(self, timeout_s: float) -> dict | None:
        import websocket

        self._ws.settimeout(max(timeout_s, 0.05))
        try:
            message = json.loads(self._ws.recv())
        except websocket.WebSocketTimeoutException:
            return None
        if "method" in message:
            self.events.append(message)
        return message

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def messages(self) -> list[str]:
        """Console messages, uncaught exceptions, browser log entries and failed requests."""
        texts, urls = [], {}
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled":
                args = params.get("args", [])
                texts.append(
                    f"console.{params.get('type')}: "
                    + " ".join(str(a.get("value", a.get("description", ""))) for a in args)
                )
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                texts.append(
                    f"exception: {details.get('text', '')} "
                    f"{details.get('exception', {}).get('description', '')}"
                )
            elif method == "Log.entryAdded":
                entry = params.get("entry", {})
                texts.append(
                    f"log.{entry.get('level')}: {entry.get('text')} {entry.get('url', '')}"
                )
            elif method == "Network.requestWillBeSent":
                urls[params.get("requestId")] = params.get("request", {}).get("url", "")
            elif method == "Network.loadingFailed":
                url = urls.get(params.get("requestId"), "?")
                texts.append(f"request failed: {url[:200]} ({params.get('errorText')})")
        return texts


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """Headless Chromium reaching only 127.0.0.1, with DevTools on a random port; always stopped."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [
            str(BROWSER),
            *chromium_flags(profile),
            "--remote-debugging-port=0",
            # Network off: requests go to a closed local proxy port (loopback is never proxied),
            # and no host name but the loopback address resolves.
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--window-size=1280,4000",
            "about:blank",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        port_file = profile / "DevToolsActivePort"  # written by Chromium once it listens
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("headless Chromium did not open its DevTools port")
            time.sleep(0.2)
        port = int(port_file.read_text().splitlines()[0])
        yield port
    finally:
        _stop(process, grace_s=10)


@pytest.fixture
def devtools(chromium: int):
    """A fresh page (its own JavaScript context) with console, log and network events on."""
    base = f"http://127.0.0.1:{chromium}/json"
    request = urllib.request.Request(f"{base}/new?about:blank", method="PUT")
    with urllib.request.urlopen(request, timeout=10) as response:
        target = json.loads(response.read())
    client = DevTools(target["webSocketDebuggerUrl"])
    try:
        for domain in ("Runtime", "Log", "Network", "Page"):
            client.send(f"{domain}.enable")
        yield client
    finally:
        client.close()
        with contextlib.suppress(OSError, urllib.error.URLError):
            urllib.request.urlopen(f"{base}/close/{target['id']}", timeout=10).close()


def _watch(client: DevTools, url: str, *, done, timeout_s: float, state_js: str = PAGE_STATE_JS):
    """Open ``url`` and poll the page state until ``done(state)`` or ``timeout_s``."""
    client.send("Page.navigate", {"url": url})
    return _poll(client, done=done, timeout_s=timeout_s, state_js=state_js)


def _poll(client: DevTools, *, done, timeout_s: float, state_js: str = PAGE_STATE_JS):
    """Evaluate ``state_js`` every half second until ``done(state)`` or ``timeout_s``.

    ``PAGE_STATE_JS`` answers JSON (decoded here); other expressions answer a plain value.
    """
    deadline = time.monotonic() + timeout_s
    state = None
    while time.monotonic() < deadline:
        with contextlib.suppress(TimeoutError, RuntimeError, ValueError):
            value = client.evaluate(state_js)
            state = json.loads(value or "{}") if state_js is PAGE_STATE_JS else value
        if state and done(state):
            break
        time.sleep(0.5)
    return state if state is not None else ({} if state_js is PAGE_STATE_JS else None)


def _topojson_problems(messages: list[str]) -> list[str]:
    return [m for m in messages if "topojson" in m.lower() or "cdn.plot.ly" in m.lower()]


def test_control_without_topojsonurl_stays_blank_offline(lab_server, devtools, geo_figure_count):
    """Without the config the maps are empty frames: the browser really is offline."""
    seen = {}

    def done(state):
        if state.get("geo") == geo_figure_count:
            seen.setdefault("at", time.monotonic())
            return bool(_topojson_problems(devtools.messages())) or (
                time.monotonic() - seen["at"] > CONTROL_SETTLE_S
            )
        return False

    state = _watch(
        devtools,
        lab_server.page_url("control", CONTROL_NOTEBOOK),
        done=done,
        timeout_s=DRAW_TIMEOUT_S,
    )
    messages = devtools.messages()
    assert state.get("geo") == geo_figure_count, (state, messages[-20:], lab_server.log_tail())
    assert state["paths"] == [0] * geo_figure_count, state
    problems = _topojson_problems(messages)
    assert any(
        "error while fetching topojson file at https://cdn.plot.ly/" in m for m in problems
    ), messages[-20:]


def test_maps_draw_offline_in_jupyterlab(lab_server, devtools, geo_figure_count, tmp_path):
    """The executed exploration notebook, opened in JupyterLab offline: every map is drawn."""
    state = _watch(
        devtools,
        lab_server.page_url("relief", NOTEBOOK),
        done=lambda s: s.get("geo") == geo_figure_count and all(count > 0 for count in s["paths"]),
        timeout_s=DRAW_TIMEOUT_S,
    )
    messages = devtools.messages()
    screenshot = tmp_path / "jupyterlab.png"
    with contextlib.suppress(Exception):
        import base64

        data = devtools.send("Page.captureScreenshot", {"format": "png"})["data"]
        screenshot.write_bytes(base64.b64decode(data))
    assert state.get("geo") == geo_figure_count, (
        state,
        messages[-20:],
        lab_server.log_tail(),
        screenshot,
    )
    # Département and EPCI polygons, lieux markers: every map is drawn.
    assert all(count > 0 for count in state["paths"]), (state, messages[-20:], screenshot)
    assert _topojson_problems(messages) == []


#: The notebook panel of ``LIVE_NOTEBOOK`` in JupyterLab's main area.
FIND_PANEL_JS = f"""
[...window.jupyterapp.shell.widgets('main')].find(
  (widget) => widget.context && widget.context.path === '{LIVE_NOTEBOOK}')
"""
#: The state of that notebook's kernel ("idle" once it can run cells).
KERNEL_STATE_JS = f"""
(() => {{
  const panel = window.jupyterapp && {FIND_PANEL_JS};
  const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return kernel ? kernel.status : 'no kernel';
}})()
"""
#: Menu *Run → Run All Cells* on that notebook.
RUN_ALL_JS = f"""
(() => {{
  const app = window.jupyterapp;
  app.shell.activateById(({FIND_PANEL_JS}).id);
  void app.commands.execute('notebook:run-all-cells');
  return app.commands.isEnabled('notebook:run-all-cells');
}})()
"""


def test_maps_draw_when_the_notebook_runs_in_jupyterlab(lab_server, devtools, geo_figure_count):
    """The versioned notebook, run in JupyterLab on a kernel of the server: every map is drawn."""
    from relief_analytics.report.execute import ensure_kernel_name

    lab_server.request(
        "api/sessions",
        method="POST",
        body={
            "path": LIVE_NOTEBOOK,
            "name": NOTEBOOK,
            "type": "notebook",
            "kernel": {"name": ensure_kernel_name()},
        },
    )
    # A headless page never has the focus, which JupyterLab needs to know the current notebook.
    devtools.send("Emulation.setFocusEmulationEnabled", {"enabled": True})
    status = _watch(
        devtools,
        lab_server.page_url("live", LIVE_NOTEBOOK),
        state_js=KERNEL_STATE_JS,
        done=lambda status: status == "idle",
        timeout_s=DRAW_TIMEOUT_S,
    )
    assert status == "idle", (status, devtools.messages()[-20:], lab_server.log_tail())
    assert devtools.evaluate(RUN_ALL_JS) is True
    state = _poll(
        devtools,
        done=lambda s: s.get("geo") == geo_figure_count and all(count > 0 for count in s["paths"]),
        timeout_s=DRAW_TIMEOUT_S,
    )
    messages = devtools.messages()
    errors = devtools.evaluate(
        "[...document.querySelectorAll('[data-mime-type=\"application/vnd.jupyter.stderr\"]')]"
        ".map((e) => e.textContent.slice(0, 800))"
    )
    assert state.get("geo") == geo_figure_count, (
        state,
        errors,
        messages[-20:],
        lab_server.log_tail(),
    )
    assert all(count > 0 for count in state["paths"]), (state, messages[-20:])
    assert _topojson_problems(messages) == []
