"""The sanitiser every rendering of student content goes through (autograder/grader/safe_html.py),
and each of its two walls on its own in a real browser: sanitising without a Content-Security-
Policy, and the policy without sanitising, each stop the same payloads."""

from __future__ import annotations

import sys

import browser
import pytest
from course import REPO

sys.path.insert(0, str(REPO / "autograder" / "grader"))
sys.path.insert(0, str(REPO / "autograder"))
import safe_html  # noqa: E402

MARK = "document.documentElement.setAttribute('data-pwned', '{}'); document.title = 'PWNED'"
PAYLOADS = [
    f"<script>{MARK.format('script')}</script>",
    f"<img src=x onerror=\"{MARK.format('onerror')}\">",
    f"<svg><script>{MARK.format('svg script')}</script></svg>",
    f"<svg onload=\"{MARK.format('svg onload')}\"></svg>",
    f"<iframe srcdoc=\"<script>parent.{MARK.format('iframe')}</script>\"></iframe>",
    f"<details open ontoggle=\"{MARK.format('ontoggle')}\">x</details>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=\"{MARK.format('mutation')}\"></style></mglyph></table>"
    "</mtext></math>",
    f"<object data=\"javascript:{MARK.format('object')}\"></object>",
    f"<a href=\"javascript:{MARK.format('link')}\">link</a>",
    f"<a href=\" &#106;avascript:{MARK.format('entity link')}\">link</a>",
    f"<a href=\"data:text/html,<script>{MARK.format('data link')}</script>\">link</a>",
    f"<form action=\"javascript:{MARK.format('form')}\"><button>go</button></form>",
    "<base href=\"http://127.0.0.1:9/\">",
    "<meta http-equiv=\"refresh\" content=\"0; url=javascript:alert(1)\">",
    "<style>body { background: url(javascript:alert(1)) }</style>",
]
MARKDOWN = "\n\n".join([
    "# A heading $x^2$", "A *written* answer with `code` and a [link](https://example.org).",
    "| a | b |\n|---|---|\n| 1 | 2 |", "```python\nx < y\n```",
    f"[link](javascript:{MARK.format('markdown link')}) [files](files/javascript:{MARK.format('files')})",
    *PAYLOADS,
])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitiser_leaves_no_script(payload):
    clean = safe_html.clean_html(payload).lower()
    for danger in ("<script", "onerror", "onload", "ontoggle", "javascript:", "<iframe", "<svg", "<object",
                   "<form", "<base", "<meta", "<style", "data:text"):
        assert danger not in clean, (payload, clean)


def test_formatting_survives():
    html = safe_html.markdown_to_safe_html(MARKDOWN)
    for kept in ("<h1 id=", "<em>written</em>", "<code>code</code>", 'href="https://example.org"', "<table>",
                 "<td>1</td>", '<span class="o">&lt;</span>', "$x^2$"):
        assert kept in html, (kept, html[:2000])
    png = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="a plot">'
    assert safe_html.clean_html(png) == png
    assert "src" not in safe_html.clean_html('<img src="data:image/svg+xml;base64,PHN2Zz4=">')
    assert 'border="1" class="dataframe"' in safe_html.clean_html('<table border="1" class="dataframe"><tr><td>1</td></tr></table>')


def test_stripping_files_prefix_cannot_make_a_javascript_link():
    # nbconvert's strip_files_prefix turns files/javascript:... into javascript:...; ours cleans after it
    assert "javascript:" not in safe_html.nbconvert_strip_files_prefix('<a href="files/javascript:alert(1)">x</a>')
    assert 'href="plot.png"' in safe_html.nbconvert_strip_files_prefix('<a href="files/plot.png">x</a>')


@pytest.mark.parametrize("url", ["/formgrader/?path=submitted/s1/lab", "../../?path=x", "%2e%2e/%2e%2e/?path=x",
                                 "\\\\host/x", "//host/x", "http://127.0.0.1:8888/formgrader/?path=x", "a/../../b"])
def test_links_and_images_cannot_reach_the_servers_own_pages(url):
    # an <img> loads by itself with the viewer's session (formgrader: the instructor's server)
    assert "src=" not in safe_html.clean_html(f'<img src="{url}">')
    if not url.startswith("http"):
        assert "href=" not in safe_html.clean_html(f'<a href="{url}">x</a>')


def test_relative_images_and_links_of_a_submission_stay():
    assert safe_html.clean_html('<img src="figures/plot.png">') == '<img src="figures/plot.png">'
    assert 'href="notes.html"' in safe_html.clean_html('<a href="notes.html">notes</a>')
    assert 'href="#task-1"' in safe_html.clean_html('<a href="#task-1">task 1</a>')


def test_names_and_messages_are_text():
    assert safe_html.escape('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


needs_chromium = pytest.mark.skipif(not browser.have_chromium(), reason="needs chromium (apt-get install chromium)")


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>page</title></head><body>{body}</body></html>"


@needs_chromium
def test_each_wall_stops_the_payloads_on_its_own(tmp_path):
    from feedback_preprocessors import with_csp
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    raw = markdown2html_mistune(MARKDOWN)
    pages = {
        "nothing": _page(raw),                                           # the control: it must run
        "sanitiser only": _page(safe_html.markdown_to_safe_html(MARKDOWN)),
        "policy only": with_csp(_page(raw)),
    }
    ran = {}
    for name, html in pages.items():
        path = tmp_path / f"{name.replace(' ', '_')}.html"
        path.write_text(html)
        ran[name] = browser.script_ran(browser.dump_dom(path.as_uri()))
    assert ran["nothing"], "the payloads did not run unprotected: the detector is broken"
    assert not ran["sanitiser only"], ran
    assert not ran["policy only"], ran
