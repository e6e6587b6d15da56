"""Render student-authored content as HTML that cannot run script: one allow-list, used everywhere.

Everything a student writes — markdown answers, cell outputs, names — is untrusted, and the
pages that show it are opened by an instructor whose browser holds a live Jupyter session (the
formgrader runs on the Jupyter server's origin: a script there can rewrite grades and run shell
commands). So every place that turns student content into HTML goes through this module:

* :func:`clean_html` — an allow-list sanitiser (`nh3`_, the Python binding of the Rust crate
  *ammonia*): only formatting tags survive (headings, paragraphs, lists, tables, code, images,
  links); no ``<script>``, ``<style>``, ``<iframe>``, ``<form>``, ``<svg>``, no event handler
  or ``style`` attribute; links only to ``http``, ``https``, ``mailto`` or relative targets
  (never ``javascript:``; relative targets never start with ``/`` or climb with ``..``), images
  only from relative paths (no query) or ``data:image/png|jpeg|gif|webp`` — an image loads by
  itself, with the viewer's session, so it must not be able to call the server's own pages.
* :func:`markdown_to_safe_html` — markdown rendered exactly as nbconvert renders a notebook's
  markdown cells (mistune, with ``$math$`` kept for MathJax), then cleaned.
* :func:`escape` — plain text (a student id, a file name, a message) as HTML text.
* :data:`FEEDBACK_CSP` / :func:`csp_meta` — the Content-Security-Policy the course's own pages
  carry as defence in depth (a second wall should sanitising ever miss something).

The nbconvert filter hooks (:func:`nbconvert_clean_html`, :func:`nbconvert_strip_files_prefix`)
plug the same sanitiser into every page nbconvert renders for nbgrader — the formgrader's
submission page and ``make feedback`` — via ``c.HTMLExporter.filters`` in
``autograder/nbgrader_config.py``.

Import it as ``from safe_html import clean_html, markdown_to_safe_html`` with
``autograder/grader`` on ``sys.path`` (as the grader and ``nbgrader_config.py`` do).

.. _nh3: https://nh3.readthedocs.io
"""

from __future__ import annotations

import html as _html
import re
from urllib.parse import unquote

import nh3

# Formatting only. ammonia's default tags (text, lists, tables, code, links, images), plus tfoot.
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS) | {"tfoot"}
# ammonia's per-tag defaults, plus class (pandas tables, Pygments highlighting, nbconvert's
# anchor links) and title; id only on headings (nbconvert's anchors), never on other elements
# (an id could shadow a page's own elements).
ALLOWED_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
ALLOWED_ATTRIBUTES["*"] = {"class", "title"}
ALLOWED_ATTRIBUTES["tfoot"] = {"align"}
ALLOWED_ATTRIBUTES["table"] = ALLOWED_ATTRIBUTES.get("table", set()) | {"border", "cellpadding", "cellspacing"}  # pandas
for _heading in ("h1", "h2", "h3", "h4", "h5", "h6"):
    ALLOWED_ATTRIBUTES[_heading] = {"id"}
# "data" is allowed here only so that the attribute filter below can keep inline images.
URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.IGNORECASE)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute not in ("href", "src", "cite"):
        return value
    url = value.strip()
    if url.lower().startswith("data:"):
        # Inline raster images only; never data: documents, scripts or SVG.
        return value if tag == "img" and attribute == "src" and _DATA_IMAGE.match(url) else None
    # A page showing student content runs on a server's origin (formgrader: the instructor's
    # Jupyter server). A link or image there must not reach that server's other pages: an <img>
    # loads by itself, with the instructor's session. So no absolute path ("/api/..."), no
    # "\\" (read as "/"), no climbing out with "..", and an image never carries a query.
    path = unquote(url.split("#", 1)[0]).replace("\\", "/")
    if tag == "img" and attribute == "src" and _SCHEME.match(url):
        return None  # images: relative or inline only (an absolute URL could be the server itself)
    if not _SCHEME.match(url):
        if path.startswith("/") or ".." in path.split("/") or (tag == "img" and "?" in path):
            return None
    return value


def _clean(html, tags, attributes, attribute_filter) -> str:
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    return nh3.clean(
        str(html),
        tags=set(tags),
        clean_content_tags={"script", "style"},
        attributes=attributes,
        attribute_filter=attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def clean_html(html) -> str:
    """Return ``html`` with everything but formatting removed (see the module docstring)."""
    return _clean(html, ALLOWED_TAGS, ALLOWED_ATTRIBUTES, _attribute_filter)


# The course website (website/conf.py) shows the lessons' own outputs, which include audio players
# (IPython's ``Audio``: an <audio controls> with an inline WAV source). Same allow-list, plus
# <audio>/<source> whose only source is inline audio data; nothing else is loosened.
_DATA_AUDIO = re.compile(r"data:audio/(wav|x-wav|wave|mpeg|ogg|flac);base64,[A-Za-z0-9+/=\s]*\Z", re.IGNORECASE)
SITE_TAGS = ALLOWED_TAGS | {"audio", "source", "figure", "figcaption"}
SITE_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "audio": {"controls", "src", "preload"}, "source": {"src", "type"}}


def _site_attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag in ("audio", "source") and attribute == "src":
        return value if _DATA_AUDIO.match(value.strip()) else None
    return _attribute_filter(tag, attribute, value)


def clean_site_html(html) -> str:
    """:func:`clean_html` for the course website: also keeps audio players with inline audio."""
    return _clean(html, SITE_TAGS, SITE_ATTRIBUTES, _site_attribute_filter)


def markdown_to_safe_html(text: str) -> str:
    """Render markdown as nbconvert renders a notebook's markdown cell, then clean it."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    from nbconvert.filters.strings import strip_files_prefix

    return clean_html(strip_files_prefix(markdown2html_mistune(str(text))))


def escape(text) -> str:
    """Plain text (a name, a file name, a message) as HTML text: nothing in it is markup."""
    return _html.escape(str(text), quote=True)


# --------------------------------------------------------------------------- nbconvert hooks


def nbconvert_clean_html(element) -> str:
    """Replacement for nbconvert's ``clean_html`` filter (which uses bleach's wider defaults)."""
    return clean_html(element)


def nbconvert_strip_files_prefix(text) -> str:
    """Replacement for nbconvert's ``strip_files_prefix`` filter: strip, *then* clean.

    Every nbgrader template renders a markdown cell as ``markdown2html | strip_files_prefix``
    with no cleaning at all; and stripping ``files/`` after a sanitiser would turn a harmless
    relative link ``files/javascript:...`` into a ``javascript:`` link. Cleaning here, last,
    covers both.
    """
    from nbconvert.filters.strings import strip_files_prefix

    return clean_html(strip_files_prefix(str(text)))


# --------------------------------------------------------------------------- Content-Security-Policy

# MathJax, as nbconvert's templates load it (pages need it for the labs' formulas).
MATHJAX_ORIGIN = "https://cdnjs.cloudflare.com"

# For static pages the course writes (feedback HTML, reports): no script at all except MathJax,
# no plug-ins, no forms, no <base>, images only inline or relative, nothing fetched elsewhere.
FEEDBACK_CSP = (
    "default-src 'none'; "
    f"script-src {MATHJAX_ORIGIN}/ajax/libs/mathjax/ 'unsafe-eval'; "
    f"style-src 'unsafe-inline' {MATHJAX_ORIGIN}/ajax/libs/mathjax/; "
    f"font-src data: {MATHJAX_ORIGIN}/ajax/libs/mathjax/; "
    "img-src data: 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)


def csp_meta(policy: str = FEEDBACK_CSP) -> str:
    """A ``<meta http-equiv="Content-Security-Policy">`` tag for ``policy`` (put it first in <head>)."""
    return f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">'
