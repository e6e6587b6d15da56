"""Headless Chromium driven over the DevTools protocol: open a page with given cookies (a
logged-in user) and return the text its scripts drew. ``--dump-dom`` cannot carry cookies."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
import urllib.request

import websocket
from hubtools import free_port

CHROMIUM = "/usr/bin/chromium"


def page_text(url: str, cookies: list[dict], settle: float = 8.0) -> str:
    port = free_port()
    with tempfile.TemporaryDirectory() as profile:
        browser = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                    "--disable-background-networking", f"--user-data-dir={profile}",
                                    f"--remote-debugging-port={port}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=5))
                    page = next(t for t in targets if t["type"] == "page")
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
            ids = iter(range(1, 10_000))

            def call(method, **params):
                ident = next(ids)
                ws.send(json.dumps({"id": ident, "method": method, "params": params}))
                while True:
                    message = json.loads(ws.recv())
                    if message.get("id") == ident:
                        return message.get("result", {})

            call("Network.enable")
            for cookie in cookies:
                call("Network.setCookie", url="http://127.0.0.1/", **cookie)
            call("Page.navigate", url=url)
            time.sleep(settle)
            result = call("Runtime.evaluate", expression="document.body ? document.body.innerText : ''")
            ws.close()
            return result.get("result", {}).get("value", "")
        finally:
            browser.terminate()
            browser.wait(30)
