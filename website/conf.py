"""Sphinx configuration of the course website (`make site`; see tools/build_site.py).

tools/build_site.py stages the sources (executed lessons, student versions of the labs, the
course map, the instructor guide, datasheets and model cards) into build/site-src/ and runs
Sphinx with this folder as its configuration directory. Everything the pages need — MathJax,
fonts, icons, scripts, the search index — is copied into the site: it works offline.

The builder passes its choices through the environment:
  SITE_EXECUTION        off | cache   (cache: execute the lessons, re-running only changed ones)
  SITE_CACHE            the jupyter-cache folder (one per fast/full mode: outputs differ)
  SITE_EXECUTE_ONLY     space-separated lesson names to execute (others are shown unexecuted)
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "autograder" / "grader"))

from safe_html import clean_site_html  # noqa: E402

project = "AI in the Creative Industries"
author = "the course's authors"
copyright = "the course's authors; code MIT, text CC BY 4.0"
language = "en"

extensions = ["myst_nb", "sphinx-mathjax-offline"]  # MathJax served from _static/mathjax
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["notebooks/**", "**.ipynb_checkpoints"]
suppress_warnings = ["myst.header", "myst.xref_missing", "mystnb.unknown_mime_type"]

# Execution: cached (a rebuild re-runs only notebooks whose code changed); the labs are shown
# as released to students, never executed (their cells raise NotImplementedError).
nb_execution_mode = os.environ.get("SITE_EXECUTION", "off")
nb_execution_cache_path = os.environ.get("SITE_CACHE", str(REPO / "build" / "site-cache"))
_only = os.environ.get("SITE_EXECUTE_ONLY", "").split()
nb_execution_excludepatterns = ["labs/*"]
if _only:
    nb_execution_excludepatterns += [
        f"lessons/{p.stem}.ipynb" for p in sorted((REPO / "lessons").glob("*.ipynb")) if p.stem not in _only]
# Per cell. Generous: full mode trains small networks, and a loaded machine is slow. SITE_CELL_TIMEOUT changes it.
nb_execution_timeout = int(os.environ.get("SITE_CELL_TIMEOUT", "3600"))
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_in_temp = True
nb_merge_streams = True
# Widgets are shown as their static fallback: no widget manager (it would load from a CDN).
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "application/vnd.jupyter.widget-state+json", None),
]

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = [str(HERE / "_static")]
html_css_files = ["course.css"]
html_js_files = ["course-a11y.js"]
html_favicon = str(HERE / "_static" / "favicon.svg")
html_copy_source = True
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "launch_buttons": {},
    "show_toc_level": 2,
    "search_bar_text": "Search the course…",
    "home_page_in_toc": True,
}
html_sidebars = {"**": ["navbar-logo.html", "sbt-sidebar-nav.html"]}


def _sanitise_raw_html(app, doctree):
    """Every piece of raw HTML a page carries (notebook outputs, HTML in markdown) goes through the
    course's allow-list sanitiser (autograder/grader/safe_html.py), with audio players allowed."""
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if "html" in node.get("format", "").split():
            cleaned = clean_site_html(node.astext())
            node.children = [nodes.Text(cleaned)]
            node["classes"] = node.get("classes", [])


_FILE_NAME = re.compile(r"^[\w./\\-]+\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)


def _check_alt_text(app, doctree):
    """A figure without alt text (or with a file name for one) is a build error."""
    from docutils import nodes

    for image in doctree.findall(nodes.image):
        alt = image.get("alt", "").strip()
        if not alt or _FILE_NAME.match(alt):
            raise RuntimeError(f"{app.env.docname}: an image has no alt text ({image.get('uri')}); "
                               "tools/build_site.py gives each notebook figure one")


def setup(app):
    app.connect("doctree-read", _sanitise_raw_html)
    app.connect("doctree-read", _check_alt_text)
