"""The course website in a real browser: headless Chromium driven over the DevTools protocol.

:class:`Browser` starts Debian's ``chromium`` with the network blocked twice over (every host name
resolves to nothing but 127.0.0.1, and every request is paused and failed unless it goes to the
site's own origin), and :meth:`Browser.visit` opens one page and reports what a reader would hit:
requests that failed, requests that tried to leave the site, images that did not load, figures
without alt text, audio players without a playable source, and the accessibility violations
axe-core finds (npm ``axe-core``, MPL-2.0, installed into tests/browser_tools/ by ``.ci/run`` or
``make browser-tools``; the test skips that check, saying so, when it is missing).

Only websocket-client (already in the course environment, via Jupyter) is needed.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
AXE = HERE / "browser_tools" / "node_modules" / "axe-core" / "axe.min.js"


def have_chromium() -> bool:
    return Path(CHROMIUM).is_file()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class SiteServer:
    """The built site served on 127.0.0.1 (a port of its own), as a reader's static host would."""

    def __init__(self, root: Path):
        handler = partial(_Quiet, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class PageReport:
    url: str
    failed: list[str] = field(default_factory=list)       # requests that failed or got >= 400
    left_site: list[str] = field(default_factory=list)    # requests to anywhere but the site
    broken_images: list[str] = field(default_factory=list)
    missing_alt: list[str] = field(default_factory=list)
    images: int = 0
    audio: list[dict] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)  # axe-core, serious or critical
    seconds: float = 0.0


class Browser:
    def __init__(self, origin: str):
        import websocket

        self.origin = origin
        self.profile = tempfile.mkdtemp(prefix="site-browser-")
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-extensions", "--mute-audio", "--remote-allow-origins=*",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
             "--window-size=1280,900", "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("chromium did not start its DevTools endpoint")
            time.sleep(0.2)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            targets = json.load(response)
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []
        self.requests: dict[str, str] = {}
        self.report: PageReport | None = None
        for method in ("Page.enable", "Network.enable", "Runtime.enable"):
            self.call(method)
        self.call("Fetch.enable", patterns=[{"urlPattern": "*"}])

    # ---------------------------------------------------------------- protocol
    def call(self, method: str, timeout: float = 60, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._receive(deadline - time.monotonic())
            if message is None:
                continue
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
        raise TimeoutError(f"{method} did not answer within {timeout} s")

    def _receive(self, timeout: float):
        import websocket

        self.ws.settimeout(max(0.05, timeout))
        try:
            message = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None
        if "method" in message:
            self._event(message["method"], message.get("params", {}))
        return message

    def _event(self, method: str, params: dict) -> None:
        self.events.append({"method": method})
        report = self.report
        if method == "Fetch.requestPaused":
            url = params["request"]["url"]
            if url.startswith(self.origin + "/") or url.startswith(("data:", "blob:")):
                self._send("Fetch.continueRequest", requestId=params["requestId"])
            else:
                if report is not None:
                    report.left_site.append(url[:200])
                self._send("Fetch.failRequest", requestId=params["requestId"], errorReason="BlockedByClient")
        elif method == "Network.requestWillBeSent":
            self.requests[params["requestId"]] = params["request"]["url"]
        elif method == "Network.loadingFailed" and report is not None:
            url = self.requests.get(params["requestId"], "?")
            if not params.get("canceled") and not url.startswith("data:") and url[:200] not in report.left_site:
                report.failed.append(f"{url[:200]}: {params.get('errorText')}")
        elif method == "Network.responseReceived" and report is not None:
            response = params["response"]
            if response.get("status", 200) >= 400:
                report.failed.append(f"{response['url'][:200]}: HTTP {response['status']}")

    def _send(self, method: str, **params) -> None:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))

    def evaluate(self, expression: str, timeout: float = 60):
        result = self.call("Runtime.evaluate", timeout=timeout, expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {json.dumps(result['exceptionDetails'])[:800]}")
        return result["result"].get("value")

    def settle(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._receive(deadline - time.monotonic())

    def navigate(self, url: str, timeout: float = 60) -> None:
        self.events.clear()
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading in {timeout} s")
            self._receive(deadline - time.monotonic())
        self.settle(0.5)

    # ---------------------------------------------------------------- checks
    def visit(self, path: str, axe: bool = True) -> PageReport:
        start = time.monotonic()
        self.report = report = PageReport(path)
        self.navigate(f"{self.origin}/{path}")
        images = self.evaluate("""(async () => {
            const imgs = Array.from(document.images);
            for (const img of imgs) { img.loading = 'eager'; }
            await Promise.all(imgs.map(img => img.complete ? null : new Promise(r => {
                img.addEventListener('load', r); img.addEventListener('error', r); setTimeout(r, 5000); })));
            return imgs.map(img => ({src: img.currentSrc.slice(0, 120), ok: img.complete && img.naturalWidth > 0,
                                     alt: (img.getAttribute('alt') || '').trim()}));
        })()""")
        report.images = len(images)
        report.broken_images = [i["src"] for i in images if not i["ok"]]
        report.missing_alt = [i["src"] for i in images if not i["alt"]]
        report.audio = self.evaluate("""(async () => {
            const players = Array.from(document.querySelectorAll('audio'));
            return await Promise.all(players.map(a => new Promise(resolve => {
                const done = () => resolve({src: (a.currentSrc || '').slice(0, 40), duration: a.duration,
                                            error: a.error ? a.error.code : null, ready: a.readyState});
                if (a.readyState >= 1 || a.error) { done(); return; }
                a.addEventListener('loadedmetadata', done); a.addEventListener('error', done);
                a.preload = 'metadata'; a.load(); setTimeout(done, 8000);
            })));
        })()""")
        if axe and AXE.is_file():
            self.evaluate(AXE.read_text() + "\n;true")
            found = self.evaluate("""axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                            first: v.nodes[0].target.join(' '), html: v.nodes[0].html.slice(0, 200)})))""",
                                  timeout=120)
            report.violations = found
        self.settle(0.2)
        self.report = None
        report.seconds = time.monotonic() - start
        return report

    def search(self, word: str, timeout: float = 30) -> list[str]:
        """The result links search.html lists for ``word``."""
        self.report = PageReport("search")
        self.navigate(f"{self.origin}/search.html?q={word}")
        deadline = time.monotonic() + timeout
        links: list[str] = []
        while time.monotonic() < deadline:
            links = self.evaluate("Array.from(document.querySelectorAll('#search-results li a'))"
                                  ".map(a => a.getAttribute('href'))") or []
            if links:
                break
            self.settle(0.5)
        self.report = None
        return links

    def screenshot(self, path: str, out: Path, scroll_to: str | None = None) -> None:
        """A PNG of ``path`` (scrolled to the first element matching the CSS selector ``scroll_to``)."""
        self.navigate(f"{self.origin}/{path}")
        if scroll_to:
            self.evaluate(f"(() => {{ const e = document.querySelector({scroll_to!r}); "
                          "if (e) e.scrollIntoView({block: 'center'}); return !!e; })()")
        self.settle(1.0)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        out.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass
        # Chromium's helpers (renderers, crash handler) are in its session and may outlive the
        # browser process, still writing into the profile: end the whole group, then remove it.
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=20)
        time.sleep(0.2)
        shutil.rmtree(self.profile, ignore_errors=True)
