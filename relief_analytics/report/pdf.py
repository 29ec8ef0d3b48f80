"""Print report pages to PDF through one headless Chromium/Chrome driven over the DevTools protocol.

One browser prints every PDF of a build (:class:`PdfPrinter`, :func:`print_pdfs`): for each page it
opens a tab, waits until the page says its figures are drawn (``<html data-relief-drawn="1">``,
set by the plotly.js block of :mod:`relief_analytics.figures.render`; pages without a figure are
printed once loaded), then ``Page.printToPDF``: A4 from the page's CSS ``@page``, backgrounds, and
« Page x / y » centred at the bottom of every page. The protocol runs over
``--remote-debugging-pipe`` (file descriptors 3 and 4): no port, nothing downloaded.

Nothing leaves the machine while printing: every tab intercepts its requests (DevTools ``Fetch``
domain) and only ``file:``, ``data:``, ``blob:`` and ``about:`` URLs go through; any other request
(an ``http(s)`` image typed into a bilan's Markdown, a font, a frame, a ``fetch()``) is failed before
it is sent. As a second wall, host names resolve to nothing and every other request goes to a
proxy that does not exist (:data:`NO_NETWORK_FLAGS`).

The browser is looked up in this order: the ``[rapports] navigateur`` setting of ``config.toml``,
the ``RELIEF_NAVIGATEUR`` environment variable, then ``chromium``, ``chromium-browser``,
``google-chrome`` and ``google-chrome-stable`` on the ``PATH``.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

BROWSER_ENV_VAR = "RELIEF_NAVIGATEUR"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

NO_BROWSER_MESSAGE = (
    "Aucun navigateur Chromium/Chrome trouvé : les PDF ne sont pas produits. "
    "Installez chromium ou indiquez son chemin dans config.toml [rapports] navigateur."
)

#: Seconds a page may take to load and draw its figures before its PDF is given up.
DRAW_TIMEOUT_S = 60.0
#: Seconds the browser may take to start and answer, and to print one page.
START_TIMEOUT_S = 60.0
PRINT_TIMEOUT_S = 120.0

#: Attribute the page sets on ``<html>`` once its figures are drawn (see figures/render.py).
DRAWN_ATTRIBUTE = "data-relief-drawn"

#: Footer of every PDF page: « Page x / y » (Chromium fills the ``pageNumber``/``totalPages``
#: spans). Header and footer templates have no default font size: it must be set.
FOOTER_TEMPLATE = (
    '<div style="width:100%;font-size:8pt;font-family:sans-serif;color:#444;'
    'text-align:center;margin:0 12mm;">'
    'Page <span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
HEADER_TEMPLATE = "<div></div>"

#: ``Page.printToPDF`` options: A4 portrait (the page's CSS ``@page`` wins when it sets a size),
#: backgrounds printed, a bottom margin tall enough for the footer.
PRINT_OPTIONS = {
    "paperWidth": 8.27,
    "paperHeight": 11.69,
    "marginTop": 0.47,
    "marginBottom": 0.6,
    "marginLeft": 0.47,
    "marginRight": 0.47,
    "printBackground": True,
    "preferCSSPageSize": True,
    "displayHeaderFooter": True,
    "headerTemplate": HEADER_TEMPLATE,
    "footerTemplate": FOOTER_TEMPLATE,
}

#: Options of a slide deck's handout: reveal.js lays one slide per page (``?print-pdf``) and sets
#: the page size in CSS; no page header or footer over the slides.
HANDOUT_OPTIONS = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False}
#: The query that switches a reveal.js deck to its print layout, and what says it is laid out.
HANDOUT_QUERY = "?print-pdf"
HANDOUT_READY_JS = "window.Reveal && Reveal.isReady() && document.querySelector('.pdf-page') !== null"

_WAIT_READY_JS = """new Promise(function (resolve) {
  var deadline = Date.now() + %(timeout_ms)d;
  (function check() {
    var ready = false;
    try { ready = Boolean(%(expression)s); } catch (error) { ready = false; }
    if (ready) { resolve("ready"); }
    else if (Date.now() > deadline) { resolve("timeout"); }
    else { setTimeout(check, 25); }
  })();
})"""

#: Resolves to "drawn" when the page has loaded and either has no plotly figure or has set
#: :data:`DRAWN_ATTRIBUTE`, to "timeout" after ``timeoutMs``.
_WAIT_DRAWN_JS = """new Promise(function (resolve) {
  var deadline = Date.now() + %(timeout_ms)d;
  function drawn() {
    if (document.readyState !== "complete") { return false; }
    if (document.documentElement.getAttribute("%(attribute)s") === "1") { return true; }
    return !document.querySelector(".plotly-graph-div");
  }
  (function check() {
    if (drawn()) { resolve("drawn"); }
    else if (Date.now() > deadline) { resolve("timeout"); }
    else { setTimeout(check, 25); }
  })();
})"""


#: URL schemes a printed page may load: the page itself, its inline data, nothing remote.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
#: Flags that stop any request that would get past the interception: no name resolves, and
#: every request (loopback included) goes through a proxy on a port where nothing listens.
NO_NETWORK_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)


def is_local_url(url: str) -> bool:
    """True for the URLs a printed page may load (:data:`LOCAL_SCHEMES`), else False."""
    return url.lower().startswith(LOCAL_SCHEMES)


class PdfError(RuntimeError):
    """The browser failed to print a page; the message is in French."""


@dataclass
class PdfJob:
    """One page to print and what became of it (``error`` is ``None`` when the PDF was written)."""

    html_path: Path
    pdf_path: Path
    error: PdfError | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def find_browser(configured: str | None = None) -> Path | None:
    """Return the Chromium/Chrome executable to print with, or ``None`` when there is none.

    Parameters
    ----------
    configured : str, optional
        ``[rapports] navigateur`` from ``config.toml``: a path or a command name; empty means
        automatic search. A configured browser that cannot be found is skipped (see
        :func:`configured_browser_problem`) and the search goes on.
    """
    for candidate in (configured, os.environ.get(BROWSER_ENV_VAR)):
        found = _resolve(candidate)
        if found is not None:
            return found
    for name in BROWSER_NAMES:
        found = _resolve(name)
        if found is not None:
            return found
    return None


def configured_browser_problem(configured: str | None) -> str | None:
    """Return a French warning when a browser is configured but cannot be run, else ``None``."""
    candidates = [
        (value, origin)
        for value, origin in (
            (configured, "config.toml [rapports] navigateur"),
            (os.environ.get(BROWSER_ENV_VAR), f"la variable d'environnement {BROWSER_ENV_VAR}"),
        )
        if value and value.strip()
    ]
    for value, origin in candidates:
        if _resolve(value) is None:
            return (
                f"Le navigateur indiqué dans {origin} (« {value} ») est introuvable ou non "
                "exécutable : recherche automatique d'un autre navigateur."
            )
    return None


def print_pdfs(
    jobs: Iterable[tuple[Path, Path]],
    *,
    browser: Path,
    draw_timeout_s: float = DRAW_TIMEOUT_S,
) -> list[PdfJob]:
    """Print each ``(html_path, pdf_path)`` of ``jobs`` through one headless browser.

    A page that fails does not stop the others: its :class:`PdfJob` carries the French
    :class:`PdfError` and no PDF is left at its path. When the browser cannot start, every job
    carries that error. The next page loads while one is printed (two renderer processes).

    Returns
    -------
    list of PdfJob
        One per job, in order, with the seconds each took.
    """
    results = [PdfJob(Path(html), Path(pdf)) for html, pdf in jobs]
    if not results:
        return results
    try:
        printer = PdfPrinter(browser, draw_timeout_s=draw_timeout_s)
        printer.start()
    except PdfError as exc:
        for job in results:
            job.error = exc
        return results
    with printer:
        printer.print_jobs(results)
    return results


def html_to_pdf(
    html_path: Path, pdf_path: Path, *, browser: Path, draw_timeout_s: float = DRAW_TIMEOUT_S
) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless ``browser`` and return ``pdf_path``.

    A thin wrapper of :func:`print_pdfs` for one page (it starts and stops a browser).

    Raises
    ------
    PdfError
        When the browser cannot start, stops, cannot open the page, the figures are not drawn in
        time or no PDF comes out.
    """
    (job,) = print_pdfs([(html_path, pdf_path)], browser=browser, draw_timeout_s=draw_timeout_s)
    if job.error is not None:
        raise job.error
    return job.pdf_path


@dataclass
class _Tab:
    """A page open in the browser, on its way to a PDF."""

    html_path: Path
    pdf_path: Path
    target: str
    session: str
    ready_js: str | None = None
    options: dict | None = None


class PdfPrinter:
    """One headless browser printing pages to PDF, started on first use.

    Use it as a context manager so the browser stops (and its throw-away profile goes)::

        with PdfPrinter(browser) as printer:
            printer.print_pdf(page_html, page_pdf)

    Thread-safe: several threads may print at once, each page in its own tab (its own renderer
    process), over the one DevTools pipe. Whichever thread waits reads the pipe and files the
    answers meant for the others; requests paused by the interception are settled by whoever
    reads them.
    """

    def __init__(self, browser: Path, *, draw_timeout_s: float = DRAW_TIMEOUT_S):
        self.browser = Path(browser)
        self.draw_timeout_s = draw_timeout_s
        self._process: subprocess.Popen | None = None
        self._profile: tempfile.TemporaryDirectory | None = None
        self._stderr = None
        self._to_browser: int | None = None
        self._from_browser: int | None = None
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        #: Requests refused since the browser started (their count only: URLs may be personal).
        self.blocked_count = 0
        self._start_lock = threading.RLock()
        self._send_lock = threading.Lock()
        self._io = threading.Condition()
        self._answers: dict[int, dict] = {}
        self._reading = False

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- browser process -------------------------------------------------------------------
    def start(self) -> None:
        """Start the browser if it is not running. Raises :class:`PdfError` (French)."""
        with self._start_lock:
            self._start()

    def _start(self) -> None:
        if self._process is not None:
            return
        self._profile = tempfile.TemporaryDirectory(prefix="relief-chromium-")
        self._stderr = tempfile.TemporaryFile()
        command = [
            str(self.browser),
            *chromium_flags(self._profile.name),
            *NO_NETWORK_FLAGS,
            "--remote-debugging-pipe",
            "--no-default-browser-check",
            # Tabs opened over the protocol count as background tabs: keep their timers and
            # animation frames at full speed, or the "figures drawn" wait is throttled.
            "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows",
            "--disable-renderer-backgrounding",
            "about:blank",
        ]
        try:
            self._process, self._to_browser, self._from_browser = _spawn_with_pipe(
                command, stderr=self._stderr
            )
        except OSError as exc:
            self._cleanup()
            raise PdfError(f"Le navigateur {self.browser} n'a pas pu être lancé : {exc}.") from exc
        try:
            self._call("Browser.getVersion", timeout_s=START_TIMEOUT_S, doing=None)
        except PdfError:
            self.close()
            raise

    def close(self) -> None:
        """Stop the browser and remove its profile (no error if it is not running)."""
        process = self._process
        if process is not None and process.poll() is None:
            try:
                self._send("Browser.close")
                process.wait(timeout=10)
            except (PdfError, OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait(timeout=10)
        self._cleanup()

    def _cleanup(self) -> None:
        for fd in (self._to_browser, self._from_browser):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._to_browser = self._from_browser = None
        self._process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    # -- printing ----------------------------------------------------------------------------
    def print_pdf(
        self, html_path: Path, pdf_path: Path, *, query: str = "", ready_js: str | None = None,
        options: dict | None = None,
    ) -> Path:
        """Print ``html_path`` to ``pdf_path`` once its figures are drawn; return ``pdf_path``.

        ``query`` is appended to the page's URL, ``ready_js`` is a JavaScript expression that
        must become true before printing (after the figures are drawn), ``options`` replace the
        A4 report options (:data:`PRINT_OPTIONS`): :data:`HANDOUT_QUERY`,
        :data:`HANDOUT_READY_JS` and :data:`HANDOUT_OPTIONS` print a reveal.js deck one slide a page.

        Raises
        ------
        PdfError
            French message naming the PDF: browser stopped, page not opened, figures not drawn
            within ``draw_timeout_s``, printing refused.
        """
        tab = self._open(html_path, pdf_path, query=query)
        tab.ready_js, tab.options = ready_js, options
        return self._finish(tab)

    def print_jobs(self, jobs: Iterable[PdfJob], *, ahead: int = 1) -> None:
        """Print ``jobs`` in order, the next ``ahead`` pages loading while one is printed.

        Each page draws in its own renderer process, so loading the next page while waiting
        for the current one uses a second core. Errors go into each job's ``error``.
        """
        waiting = iter(jobs)
        opened: deque[tuple[PdfJob, float, _Tab | None]] = deque()

        def open_next() -> None:
            job = next(waiting, None)
            if job is None:
                return
            started = time.perf_counter()
            try:
                tab = self._open(job.html_path, job.pdf_path)
            except PdfError as exc:
                job.error, tab = exc, None
            opened.append((job, started, tab))

        for _ in range(max(0, ahead) + 1):
            open_next()
        while opened:
            job, started, tab = opened.popleft()
            if tab is not None:
                try:
                    self._finish(tab)
                except PdfError as exc:
                    job.error = exc
            job.seconds = time.perf_counter() - started
            open_next()

    def _open(self, html_path: Path, pdf_path: Path, *, query: str = "") -> _Tab:
        """Open ``html_path`` in a new tab (it starts loading and drawing) and return the tab."""
        html_path = Path(html_path).resolve()
        pdf_path = Path(pdf_path).resolve()
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        pdf_path.unlink(missing_ok=True)
        name = pdf_path.name
        if not html_path.is_file():
            raise PdfError(f"{name} : la page {html_path.name} est introuvable.")
        self.start()
        target = self._call("Target.createTarget", {"url": "about:blank"}, doing=name)["targetId"]
        tab = _Tab(html_path=html_path, pdf_path=pdf_path, target=target, session="")
        try:
            tab.session = self._call(
                "Target.attachToTarget", {"targetId": target, "flatten": True}, doing=name
            )["sessionId"]
            # Every request of the tab pauses until _handle_event lets it through or fails it.
            self._call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]},
                       session=tab.session, doing=name)
            navigated = self._call(
                "Page.navigate", {"url": html_path.as_uri() + query}, session=tab.session, doing=name
            )
            if navigated.get("errorText"):
                raise PdfError(
                    f"Le navigateur n'a pas pu ouvrir {html_path.name} pour produire {name} "
                    f"({navigated['errorText']})."
                )
        except PdfError:
            self._close_tab(tab)
            raise
        return tab

    def _finish(self, tab: _Tab) -> Path:
        """Wait until the tab's figures are drawn, print it, close it; return the PDF path."""
        name = tab.pdf_path.name
        try:
            drawn = _WAIT_DRAWN_JS % {"timeout_ms": int(self.draw_timeout_s * 1000),
                                      "attribute": DRAWN_ATTRIBUTE}
            if self._wait(tab, drawn) != "drawn":
                raise PdfError(
                    f"Les figures de {tab.html_path.name} ne sont pas dessinées après "
                    f"{self.draw_timeout_s:g} s : {name} n'est pas produit."
                )
            ready = tab.ready_js and _WAIT_READY_JS % {
                "timeout_ms": int(self.draw_timeout_s * 1000), "expression": tab.ready_js}
            if ready and self._wait(tab, ready) != "ready":
                raise PdfError(
                    f"La page {tab.html_path.name} n'est pas prête à imprimer après "
                    f"{self.draw_timeout_s:g} s : {name} n'est pas produit."
                )
            printed = self._call(
                "Page.printToPDF",
                dict(tab.options if tab.options is not None else PRINT_OPTIONS),
                session=tab.session,
                timeout_s=PRINT_TIMEOUT_S,
                doing=name,
            )
            partial = tab.pdf_path.with_name(name + ".partiel")
            partial.write_bytes(base64.b64decode(printed["data"]))
            partial.replace(tab.pdf_path)
        finally:
            self._close_tab(tab)
        return tab.pdf_path

    def _wait(self, tab: _Tab, promise_js: str) -> object:
        """Evaluate a promise in the tab and return the value it resolves to."""
        state = self._call(
            "Runtime.evaluate",
            {"expression": promise_js, "awaitPromise": True, "returnByValue": True},
            session=tab.session,
            timeout_s=self.draw_timeout_s + START_TIMEOUT_S,
            doing=tab.pdf_path.name,
        )
        return state.get("result", {}).get("value")

    def _close_tab(self, tab: _Tab) -> None:
        if self._process is not None and self._process.poll() is None:
            try:
                self._call("Target.closeTarget", {"targetId": tab.target}, doing=tab.pdf_path.name)
            except PdfError:
                pass

    # -- DevTools protocol over the pipe -----------------------------------------------------
    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        with self._send_lock:  # one message at a time on the pipe, ids unique across threads
            if self._to_browser is None:
                raise PdfError("Le navigateur n'est pas démarré.")
            self._next_id += 1
            message_id = self._next_id
            message = {"id": message_id, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            data = json.dumps(message).encode("utf-8") + b"\0"
            try:
                while data:
                    written = os.write(self._to_browser, data)
                    data = data[written:]
            except OSError as exc:  # the browser is gone
                raise self._stopped_error(None) from exc
        return message_id

    def _call(
        self,
        method: str,
        params: dict | None = None,
        *,
        session: str | None = None,
        timeout_s: float = START_TIMEOUT_S,
        doing: str | None,
    ) -> dict:
        """Send one command and return its result; French :class:`PdfError` on failure."""
        message_id = self._send(method, params, session)
        deadline = time.monotonic() + timeout_s
        while True:
            message = self._next_message(message_id, deadline, doing)
            if message is None:
                continue
            if "error" in message:
                detail = message["error"].get("message", "")
                what = f"d'imprimer {doing}" if doing else "de démarrer"
                raise PdfError(f"Le navigateur a refusé {what} ({method} : {detail}).")
            return message.get("result", {})

    def _next_message(self, message_id: int, deadline: float, doing: str | None) -> dict | None:
        """The answer to ``message_id`` once read (by this thread or another), else ``None``.

        Only one thread reads the pipe at a time; it files the answers to other threads' commands
        and settles events. Raises :class:`PdfError` past ``deadline`` or when the browser stops.
        """
        with self._io:
            if message_id in self._answers:
                return self._answers.pop(message_id)
            if self._reading:
                if time.monotonic() > deadline:
                    what = f"{doing} n'est pas produit" if doing else "il ne répond pas"
                    raise PdfError(f"Le navigateur ne répond plus : {what}.")
                self._io.wait(timeout=0.2)
                return None
            self._reading = True
        try:
            message = self._read_message(min(deadline, time.monotonic() + 0.2), doing,
                                         give_up_at=deadline)
        finally:
            with self._io:
                self._reading = False
                self._io.notify_all()
        if message is None:
            return None
        if message.get("id") == message_id:
            return message
        if "id" in message:
            with self._io:
                self._answers[message["id"]] = message
                self._io.notify_all()
        else:
            self._handle_event(message)
        return None

    def _handle_event(self, message: dict) -> None:
        """Let a paused local request through, fail any other one (no answer is awaited)."""
        if message.get("method") != "Fetch.requestPaused":
            return
        params = message.get("params") or {}
        request_id = params.get("requestId")
        if is_local_url(str((params.get("request") or {}).get("url", ""))):
            self._send("Fetch.continueRequest", {"requestId": request_id}, message.get("sessionId"))
        else:
            self.blocked_count += 1
            self._send("Fetch.failRequest", {"requestId": request_id, "errorReason": "BlockedByClient"},
                       message.get("sessionId"))

    def _read_message(self, deadline: float, doing: str | None, *,
                      give_up_at: float | None = None) -> dict | None:
        """Read one message; ``None`` at ``deadline`` unless it is ``give_up_at`` (then an error)."""
        give_up_at = deadline if give_up_at is None else give_up_at
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if time.monotonic() < give_up_at:
                    return None
                what = f"{doing} n'est pas produit" if doing else "il ne répond pas"
                raise PdfError(f"Le navigateur ne répond plus : {what}.")
            # poll, not select: select() refuses a descriptor above 1023, which a long-lived
            # process (JupyterLab, a test session) can reach
            poller = select.poll()
            poller.register(self._from_browser, select.POLLIN)
            if not poller.poll(min(remaining, 1.0) * 1000):
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise self._stopped_error(doing)
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _stopped_error(self, doing: str | None) -> PdfError:
        process = self._process
        code = None
        if process is not None:
            try:
                code = process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
        detail = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            detail = _last_lines(self._stderr.read().decode("utf-8", "replace"))
        what = doing or "de PDF"
        code_text = f" (code de sortie {code})" if code is not None else ""
        return PdfError(
            f"Le navigateur s'est arrêté et n'a pas produit {what}{code_text}."
            f"{(' ' + detail) if detail else ''}"
        )


#: One lock around every child process the build spawns while other threads run (kernels, the
#: browser): the browser's DevTools pipe must sit on descriptors 3 and 4 when it starts, and no
#: other thread may open or close a descriptor in the middle.
SPAWN_LOCK = threading.Lock()


def _spawn_with_pipe(command: list[str], *, stderr) -> tuple[subprocess.Popen, int, int]:
    """Start ``command`` with a DevTools pipe: it reads commands on fd 3 and answers on fd 4.

    Returns the process, the fd to write commands to and the fd to read answers from. Our pipe
    ends are first moved above fd 9 and fds 3 and 4 held open in this process during the spawn,
    so that neither our pipes nor subprocess's own error pipe sit on 3 or 4 when the child
    plugs them there (``preexec_fn``). The child keeps them across ``exec`` because ``dup2``
    makes them inheritable and ``close_fds=False`` leaves them open; every other descriptor of
    this process is close-on-exec (PEP 446). ``pass_fds=(3, 4)`` would instead need 3 and 4
    open in this process at the instant of the fork, which another thread of the build
    (a notebook's client closing a socket) may undo: the spawn then failed with EBADF.
    """
    import fcntl

    def high(fd: int) -> int:
        moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return moved

    with SPAWN_LOCK:
        return _spawn_with_pipe_locked(command, stderr=stderr, high=high)


def _spawn_with_pipe_locked(command: list[str], *, stderr, high) -> tuple[subprocess.Popen, int, int]:
    commands_read, commands_write = (high(fd) for fd in os.pipe())
    answers_read, answers_write = (high(fd) for fd in os.pipe())
    placeholders = []
    try:
        for _ in range(5):
            if _fd_is_open(3) and _fd_is_open(4):
                break
            placeholders.append(os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC))

        def plug_pipes() -> None:  # in the child, before exec
            os.dup2(commands_read, 3)
            os.dup2(answers_write, 4)

        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            close_fds=False,
            preexec_fn=plug_pipes,
        )
    except BaseException:
        for fd in (commands_write, answers_read):
            os.close(fd)
        raise
    finally:
        for fd in (*placeholders, commands_read, answers_write):
            os.close(fd)
    return process, commands_write, answers_read


def _fd_is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def chromium_flags(profile_dir: str | Path) -> list[str]:
    """Return the flags for a quiet, throw-away headless Chromium (``--no-sandbox`` as root)."""
    flags = [
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--mute-audio",
        f"--user-data-dir={profile_dir}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.insert(1, "--no-sandbox")
    return flags


def browser_version(browser: Path) -> str | None:
    """Return the browser's ``--version`` line, or ``None`` when it does not answer."""
    try:
        completed = subprocess.run(
            [str(browser), "--version"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = completed.stdout.strip().splitlines()
    return lines[0] if lines else None


def _resolve(candidate: str | None) -> Path | None:
    if not candidate or not candidate.strip():
        return None
    value = os.path.expanduser(candidate.strip())
    if os.sep in value or (os.altsep and os.altsep in value):
        path = Path(value)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which(value)
    return Path(found) if found else None


def _last_lines(text: str | None, count: int = 3) -> str:
    lines = [
        line
        for line in (text or "").strip().splitlines()
        if line.strip() and "dbus" not in line.lower()
    ]
    return " | ".join(lines[-count:])
