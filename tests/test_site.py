"""The course website (`make site`, tools/build_site.py, website/conf.py), built and read in a browser.

One build per test session, kept cheap for the test budget: the lessons are shown unexecuted except
lesson 00 (figures, audio players, a widget), executed in fast mode; `make site` executes them all in full
mode. What is checked:

* nothing secret is published: no solution, hidden test or mark scheme of any lab appears in any
  file of the site (pages, search index, copied sources, downloadable notebooks);
* everything a page loads comes from the site itself (no CDN for scripts, styles, fonts, math);
* every notebook page links to its notebook and says how to open it in JupyterLab;
* the raw HTML the site renders from notebooks goes through the course's sanitiser;
* in headless Chromium with the network blocked (tests/site_browser.py), every page: no failed
  request, no request leaving the site, every image loads and has alt text, every audio player has
  a playable source with a duration > 0, no serious or critical axe-core violation; and the search
  page finds a lesson by a word it contains. Screenshots of lesson 00 (its top, and
  its first figure) are written to build/site-test-lesson.png and build/site-test-figure.png for a
  person to look at.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from course import REPO, lab_ids, lab_notebook

sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "autograder" / "grader"))
import build_site  # noqa: E402
import safe_html  # noqa: E402
import site_browser  # noqa: E402

EXECUTED = "00_orientation"  # the cheapest lesson with figures, audio players and widgets
# One build for the whole module, on one worker.
pytestmark = pytest.mark.xdist_group("site")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    pytest.importorskip("sphinx", reason="the site extra is not installed (make setup installs it)")
    out = tmp_path_factory.mktemp("site") / "site"
    # The execution cache (an SQLite database) in the test's own temporary folder, not the
    # checkout's build/: every build in the suite starts clean, and no other run shares it.
    # A cell that hangs fails the build in 5 minutes, naming the cell, rather than the suite's timeout.
    build_site.build("fast", out, [EXECUTED], cache=out.parent / "cache", cell_timeout=300)
    return out


def _secret_lines(lab: str) -> set[str]:
    """Lines only the lab source has: solution code, hidden tests, mark schemes (long enough to be
    distinctive, and found neither in the student version nor in any lesson)."""
    source = nbformat.read(lab_notebook(lab), as_version=4)
    student = "\n".join(c.source for c in build_site.student_version(lab_notebook(lab)).cells)
    lessons = "\n".join(c.source for p in (REPO / "lessons").glob("*.ipynb") for c in nbformat.read(p, 4).cells)
    secrets = set()
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("solution") or meta.get("grade")):
            continue
        inside = False
        for line in cell.source.splitlines():
            marker = line.strip()
            if marker.startswith(("### BEGIN", "### END")):
                inside = marker.startswith("### BEGIN")
                continue
            text = line.strip()
            if inside and len(text) >= 30 and text not in student and text not in lessons:
                secrets.add(text)
    return secrets


def test_no_solution_or_hidden_test_is_published(site):
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".ipynb", ".txt", ".json")]
    corpus = {p: p.read_text(errors="replace") for p in files}
    for marker in build_site_secrets():
        leaked = [str(p.relative_to(site)) for p, text in corpus.items() if marker in text]
        assert not leaked, f"{marker!r} is published in {leaked}"
    for lab in lab_ids():
        secrets = _secret_lines(lab)
        assert secrets, f"{lab}: found no solution or hidden-test line to look for"
        for line in secrets:
            variants = {line, json.dumps(line)[1:-1]}
            leaked = [str(p.relative_to(site)) for p, text in corpus.items() if any(v in text for v in variants)]
            assert not leaked, f"{lab}: the solution/hidden-test line {line!r} is published in {leaked}"


def build_site_secrets():
    from check_release import SECRETS

    return SECRETS + ("BEGIN MARK SCHEME",)


def test_every_page_and_asset_is_served_from_the_site(site):
    outside = []
    for page in site.rglob("*.html"):
        html = page.read_text(errors="replace")
        for match in re.finditer(r"<(script|link|img|audio|source|iframe)\b([^>]*)>", html):
            for url in re.findall(r"\b(?:src|href)=\"([^\"]*)\"", match.group(2)):
                if re.match(r"(https?:)?//", url):
                    outside.append(f"{page.relative_to(site)}: <{match.group(1)}> {url}")
    assert not outside, "pages load assets from outside the site:\n" + "\n".join(outside[:20])
    for css in site.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(errors="replace"))
        assert not urls, f"{css.relative_to(site)} loads {urls[:3]}"
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax is not served from the site"
    with_math = [p for p in site.rglob("*.html") if 'class="math' in p.read_text(errors="replace")]
    assert with_math, "no page has math: the MathJax check would be empty"
    for page in with_math:
        assert '_static/mathjax/tex-chtml.js"' in page.read_text(), f"{page.name} has math but no local MathJax"


def test_every_notebook_page_links_its_notebook_and_says_how_to_open_it(site):
    pages = [site / "lessons" / f"{p.stem}.html" for p in sorted((REPO / "lessons").glob("*.ipynb"))]
    pages += [site / "labs" / f"{lab}.html" for lab in lab_ids()]
    for page in pages:
        html = page.read_text()
        links = re.findall(r'href="([^"]+\.ipynb)"', html)
        downloads = [link for link in links if "_downloads" in link]
        assert downloads, f"{page.name}: no download link to its notebook"
        target = (page.parent / downloads[0]).resolve()
        assert target.is_file() and target.name == page.stem + ".ipynb", f"{page.name}: {downloads[0]} is missing"
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())  # as read: <span>make</span> <span>lab</span>
        assert "JupyterLab" in text and "make lab" in text, f"{page.name}: does not say how to open it in JupyterLab"
        if page.parent.name == "labs":
            assert "make self-study" in text and f"make check LAB={page.stem}" in text
            assert 'href="../self-learners.html"' in html, f"{page.name}: does not link the self-learners' guide"
            nb = nbformat.read(target, as_version=4)
            assert nbformat.writes(nb) == nbformat.writes(build_site.student_version(lab_notebook(page.stem)))
    assert 'href="self-learners.html"' in (site / "index.html").read_text()


def test_the_executed_lesson_has_its_outputs_and_the_labs_are_not_executed(site):
    lesson = (site / "lessons" / f"{EXECUTED}.html").read_text()
    assert lesson.count("<audio") >= 1 and 'src="data:audio/wav;base64,' in lesson
    assert lesson.count("<img") >= 3
    for lab in lab_ids():  # shown as released: never run (their cells raise NotImplementedError)
        assert 'class="cell_output' not in (site / "labs" / f"{lab}.html").read_text(), lab
    record = json.loads((site / "site-build.json").read_text())
    assert record["mode"] == "fast" and len(record["pages"]) >= 6 + 2 * len(lab_ids())


def test_site_sanitiser_is_the_course_one_plus_inline_audio():
    from test_safe_html import PAYLOADS

    for payload in PAYLOADS:  # outside audio players the two cleaners agree exactly
        assert safe_html.clean_site_html(payload) == safe_html.clean_html(payload)
    wav = "data:audio/wav;base64,UklGRgAAAABXQVZF"
    kept = safe_html.clean_site_html(f'<audio controls="controls"><source src="{wav}" type="audio/wav"></audio>')
    assert f'src="{wav}"' in kept and "<audio" in kept
    for bad in ('<audio controls src="http://127.0.0.1:8888/api/contents"></audio>',
                '<audio controls><source src="/files/x.wav"></audio>',
                '<audio controls onplay="alert(1)"><source src="data:text/html;base64,PHNjcmlwdD4="></audio>'):
        cleaned = safe_html.clean_site_html(bad)
        assert "src=" not in cleaned and "onplay" not in cleaned, cleaned


def test_alt_text_comes_from_the_figure_sentence_or_the_title():
    cells = [nbformat.v4.new_code_cell("plt.plot(x)\nplt.show()"),
             nbformat.v4.new_markdown_cell("*Figure: plays per track, most played first.* More text."),
             nbformat.v4.new_code_cell('fig, ax = plt.subplots()\nax.set_title("Chroma of clip 3")'),
             nbformat.v4.new_code_cell("x = 1")]
    assert build_site.alt_text(cells, 0) == "Figure: plays per track, most played first."
    assert build_site.alt_text(cells, 2) == "Figure: plays per track, most played first."  # the sentence before
    cells[1].source = "Some text. *Alt text: a waveform,\nquiet at first.*"
    assert build_site.alt_text(cells, 0) == "a waveform, quiet at first."
    cells[1].source = "No figure sentence here."
    assert build_site.alt_text(cells, 2) == "Figure: Chroma of clip 3."
    assert build_site.alt_text(cells, 3).startswith("Figure drawn by the code cell above")


# ------------------------------------------------------------------------------------ the browser


@pytest.fixture(scope="module")
def browser(site):
    if not site_browser.have_chromium():
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")
    server = site_browser.SiteServer(site)
    chrome = site_browser.Browser(server.origin)
    yield chrome
    chrome.close()
    server.close()


def test_every_page_in_a_browser_with_the_network_blocked(site, browser, record_property):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if not p.relative_to(site).parts[0].startswith("_"))
    problems, figures = [], {"pages": 0, "images": 0, "audio": 0, "axe_pages": 0}
    axe = site_browser.AXE.is_file()
    for path in pages:
        report = browser.visit(path, axe=axe)
        figures["pages"] += 1
        figures["images"] += report.images
        figures["audio"] += len(report.audio)
        figures["axe_pages"] += bool(axe)
        problems += [f"{path}: failed request {r}" for r in report.failed]
        problems += [f"{path}: request leaving the site {r}" for r in report.left_site]
        problems += [f"{path}: image did not load {r}" for r in report.broken_images]
        problems += [f"{path}: image without alt text {r}" for r in report.missing_alt]
        for player in report.audio:
            if player["error"] is not None or not player["src"] or not (player["duration"] or 0) > 0:
                problems.append(f"{path}: audio player not playable {player}")
        problems += [f"{path}: axe {v['impact']} {v['id']} ({v['help']}) x{v['count']} at {v['first']}: {v['html']}"
                     for v in report.violations]
    record_property("site_browser", json.dumps(figures))
    print("site browser test:", figures)
    assert not problems, "\n".join(problems[:40])
    assert figures["audio"] >= 1 and figures["images"] >= 3, figures  # the executed lesson was really checked
    if not axe:
        pytest.skip(f"axe-core is not installed ({site_browser.AXE}): run `make browser-tools` "
                    "(.ci/run does); every other check passed")


def test_search_finds_a_lesson_by_a_word_it_contains(site, browser):
    # "wobbly" is in lesson 00's text only (not in its title).
    assert "wobbly" in (REPO / "lessons" / f"{EXECUTED}.ipynb").read_text().lower()
    links = browser.search("wobbly")
    assert any(link.split("?")[0].endswith(f"lessons/{EXECUTED}.html") for link in links), links


def test_screenshot_of_a_lesson(site, browser):
    out = REPO / "build" / "site-test-lesson.png"
    out.parent.mkdir(exist_ok=True)
    browser.screenshot(f"lessons/{EXECUTED}.html", out)
    assert out.stat().st_size > 10_000
    figure = REPO / "build" / "site-test-figure.png"  # a figure and the text around it
    browser.screenshot(f"lessons/{EXECUTED}.html", figure, scroll_to=".cell_output img")
    assert figure.stat().st_size > 10_000
