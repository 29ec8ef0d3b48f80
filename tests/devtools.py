"""Drive an offline headless Chromium through the DevTools protocol (CDP over a websocket).

Used by the tests that measure what a reader sees: slide overflow, font sizes, screenshots.
Every network request goes to a closed local port (``--proxy-server=127.0.0.1:9``).
"""

from __future__ import annotations

import base64
import itertools
import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

from relief_analytics.report.pdf import chromium_flags


class DevTools:
    """One headless Chromium with one page; ``evaluate`` runs JavaScript and returns its value."""

    def __init__(self, browser: Path, *, width: int = 1280, height: int = 720) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="relief-devtools-",
                                                    ignore_cleanup_errors=True)
        self._process = subprocess.Popen(
            [str(browser), *chromium_flags(self._profile.name), "--proxy-server=127.0.0.1:9",
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as answer:
            pages = [t for t in json.load(answer) if t["type"] == "page"]
        self._socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=120)
        self._ids = itertools.count(1)
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def call(self, method: str, **params) -> dict:
        """Send one command and return its result (events received meanwhile are dropped)."""
        message_id = next(self._ids)
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        """Evaluate ``expression`` in the page (promises awaited) and return its JSON value."""
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(json.dumps(result["exceptionDetails"])[:2000])
        return result["result"].get("value")

    def open(self, url: str, *, ready: str = "document.readyState === 'complete'",
             timeout_s: float = 60) -> None:
        """Navigate to ``url`` and wait until the JavaScript condition ``ready`` holds."""
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if self.evaluate(f"Boolean({ready})"):
                    return
            except RuntimeError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{url}: {ready} still false after {timeout_s} s")

    def screenshot(self, path: Path) -> None:
        """Write a PNG of the viewport."""
        data = self.call("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self._socket.close()
        finally:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._profile.cleanup()

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
