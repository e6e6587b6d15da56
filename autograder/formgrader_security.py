"""A Jupyter server extension that hardens nbgrader's formgrader (loaded by ``make formgrader``).

The formgrader runs on the Jupyter server's own origin: a script that runs in one of its pages
acts with the instructor's session (contents API, terminals, every grade). Student content on
those pages is sanitised by ``grader/safe_html.py`` (configured in ``nbgrader_config.py``);
this extension is the second wall, for the pages nbgrader serves:

* **Submission page** (``/formgrader/submissions/<id>/``): the sanitising filters are enforced
  on formgrader's exporter even if the course's config was not loaded, and the page gets a
  Content-Security-Policy that lets only nbgrader's own scripts run — its static files, the
  inline scripts of the page's ``<head>`` (which hold no student content; allowed by hash),
  its two name-toggle buttons and MathJax — so an injected ``<script>``, event handler or
  ``javascript:`` link would not run even if sanitising missed it.
* **Files of a submission** (``/formgrader/submissions/<id>/<file>``, which serves anything the
  student put in their folder on this origin): served with ``Content-Security-Policy:
  sandbox`` (an opened HTML file runs in an opaque origin, without script) and, except for
  images, as ``text/plain`` (never executable as a script, never rendered as HTML).
* **``/formgrader/?path=DIR``**: nbgrader then loads ``DIR/nbgrader_config.py`` — it *runs
  that Python file* in the server, as the instructor — on a plain GET (no XSRF check). With
  the server started in ``autograder/``, ``?path=submitted/<student>/<lab>`` points at a folder
  the student fills, and an ``<img>`` or link in an answer makes the instructor's browser send
  that GET. Refused (403): this formgrader serves its own course only.
* **Every formgrader page**: nbgrader writes URL parts (student, assignment, notebook ids)
  into its pages' scripts without escaping, so a link in a student's answer such as
  ``/formgrader/manage_students/";alert(1)//`` would run in the instructor's browser. Requests
  whose path holds anything but letters, digits and ``_ . - @ +`` are refused (404); nbgrader's
  ids never contain anything else (the course's student ids are letters, digits, ``_``, ``-``).

Enable it with ``--ServerApp.jpserver_extensions=formgrader_security=True`` and this
folder on ``PYTHONPATH`` (the Makefile's ``formgrader`` target does both).
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "grader"))

import safe_html  # noqa: E402

SAFE_PATH_PART = re.compile(r"[A-Za-z0-9_.@+\-]*\Z")
UNSAFE_NAME = re.compile(r'[<>"&`]')
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp"}
# The only inline event handlers nbgrader's submission page has (its show/hide-name icons).
EVENT_HANDLERS = ("toggle_name(true);", "toggle_name(false);")
SAFE_FILTERS = {"clean_html": safe_html.nbconvert_clean_html,
                "strip_files_prefix": safe_html.nbconvert_strip_files_prefix}
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def submission_page_policy(page: str, static_url: str) -> str:
    """The CSP of a formgrader submission page: nbgrader's scripts only (see the docstring)."""
    # nbgrader's page: its <head> and navigation bar, then the notebook. Only the scripts before
    # the notebook are nbgrader's; the only student data up there are the student's id and name,
    # which get() has checked hold no markup.
    trusted = page.split('id="notebook-container"', 1)[0]
    inline = sorted({_hash(body) for body in _INLINE_SCRIPT.findall(trusted)})
    mathjax = f"{safe_html.MATHJAX_ORIGIN}/ajax/libs/mathjax/"
    return "; ".join([
        "default-src 'self'",
        f"script-src {static_url} {mathjax} 'unsafe-eval' 'unsafe-hashes' "
        + " ".join(inline + [_hash(code) for code in EVENT_HANDLERS]),
        f"style-src 'self' 'unsafe-inline' {mathjax}",
        f"font-src 'self' data: {mathjax}",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'self'",
    ])


def _check_path(handler) -> None:
    from tornado import web

    parts = [*handler.path_args, *handler.path_kwargs.values()]
    if handler.__class__.__name__ == "SubmissionFilesHandler":
        parts = parts[:1] and [str(parts[0]).lstrip("/").split("/", 1)[0]]  # the submission id
    for part in parts:
        if part is not None and not SAFE_PATH_PART.match(str(part).strip("/")):
            raise web.HTTPError(404)


def install() -> None:
    """Patch nbgrader's formgrader handler classes (idempotent)."""
    from nbgrader.server_extensions.formgrader import base, handlers

    if getattr(base.BaseHandler, "_creative_ai_hardened", False):
        return
    base.BaseHandler._creative_ai_hardened = True

    original_prepare = base.BaseHandler.prepare

    def prepare(self):
        _check_path(self)
        return original_prepare(self)

    base.BaseHandler.prepare = prepare

    original_formgrader_get = handlers.FormgraderHandler.get

    def formgrader_get(self):
        from tornado import web

        if self.get_argument("path", ""):
            raise web.HTTPError(403, "formgrader serves this course only (no ?path=)")
        return original_formgrader_get(self)

    handlers.FormgraderHandler.get = formgrader_get

    original_get = handlers.SubmissionHandler.get

    def get(self, submission_id):
        from nbgrader.api import MissingEntry
        from tornado import web

        try:
            student = self.gradebook.find_submission_notebook_by_id(submission_id).student
        except MissingEntry:
            student = None
        if student is not None:
            if not SAFE_PATH_PART.match(student.id or ""):
                raise web.HTTPError(403, "this student id holds characters other than letters, digits, _ . - @ +")
            for name in (student.first_name, student.last_name):
                if name and UNSAFE_NAME.search(name):
                    raise web.HTTPError(403, "this student's name holds one of < > \" & `")
        exporter = self.settings["nbgrader_exporter"]
        if any(exporter.filters.get(name) is not hook for name, hook in SAFE_FILTERS.items()):
            exporter.filters = {**exporter.filters, **SAFE_FILTERS}
        exporter.sanitize_html = True
        return original_get(self, submission_id)

    handlers.SubmissionHandler.get = get

    def write(self, chunk):
        if isinstance(chunk, str) and "<head" in chunk[:2000]:
            static = f"{self.request.protocol}://{self.request.host}{self.base_url}/formgrader/static/"
            self.set_header("Content-Security-Policy", submission_page_policy(chunk, static))
        return super(handlers.SubmissionHandler, self).write(chunk)

    handlers.SubmissionHandler.write = write

    files = handlers.SubmissionFilesHandler

    def set_extra_headers(self, path):
        self.set_header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
        self.set_header("X-Content-Type-Options", "nosniff")

    def get_content_type(self):
        return IMAGE_TYPES.get(Path(self.absolute_path or "").suffix.lower(), "text/plain; charset=utf-8")

    files.set_extra_headers = set_extra_headers
    files.get_content_type = get_content_type


def _jupyter_server_extension_points():
    return [{"module": "formgrader_security"}]


def _load_jupyter_server_extension(serverapp) -> None:
    install()
    serverapp.log.info("formgrader_security: formgrader pages sanitised and served with a Content-Security-Policy")
