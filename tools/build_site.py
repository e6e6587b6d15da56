"""Build the course website: `make site` (full mode) or `make site-fast`.

    python tools/build_site.py [--mode full|fast|off] [--execute LESSON ...] [--out DIR]

1. Stages the sources into ``<out>-src/``: every lesson (executed by Sphinx, see below), the
   **student** version of every lab (solutions and hidden tests removed by nbgrader's own
   preprocessors, then checked with tools/check_release.py's rules — no solution, no hidden test,
   no output — so the build fails rather than publish one), the course map (README's table), the
   self-learners' guide (README's section), the instructor guide (autograder/README.md) and every
   datasheet and model card. Each notebook page gets a box with a link to download the notebook
   and how to open it in JupyterLab, and every figure an alt text (the "*Figure: ...*" sentence
   next to it, or the title the code gives it).
2. Runs Sphinx (MyST-NB, the book theme; configuration in website/conf.py) into ``<out>/``.
   ``--mode full`` (``make site``) and ``--mode fast`` execute the lessons in that mode, with a
   cache per mode (build/site-cache-<mode>/): a rebuild re-runs only the notebooks whose code
   changed. ``--mode off`` executes nothing. ``--execute`` limits execution to some lessons.

Prints the build time and the number of pages. The site needs no network, at build time or in
the browser: open ``<out>/index.html``.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from check_release import notebook_problems  # noqa: E402
from course_layout import REPO, lab_ids, lab_notebook, lesson_notebooks  # noqa: E402

# ------------------------------------------------------------------------------- student versions


def student_version(source: Path) -> nbformat.NotebookNode:
    """The lab as students receive it: nbgrader's release preprocessors, then the release check."""
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        ClearSolutions,
    )

    nb = nbformat.read(source, as_version=4)
    resources = {"nbgrader": {"assignment": source.parent.name, "notebook": source.stem}}
    for step in (ClearSolutions(), ClearHiddenTests(), ClearMarkScheme(), ClearOutput()):
        nb, resources = step.preprocess(nb, resources)
    problems = notebook_problems(nbformat.writes(nb), f"student version of {source.name}")
    if problems:
        raise SystemExit("Refusing to publish: " + "; ".join(problems))
    return nb


# ------------------------------------------------------------------------------- alt text

_FIGURE_SENTENCE = re.compile(r"\*(Figure|Alt text):\s*(.+?)\*(?!\*)", re.DOTALL)
_TITLE = re.compile(r"""(?:suptitle|set_title|title)\s*(?:=|\()\s*f?(["'])(.+?)\1""")


def _figure_sentence(cell) -> str | None:
    if cell is None or cell.cell_type != "markdown":
        return None
    match = _FIGURE_SENTENCE.search(cell.source)
    if not match:
        return None
    text = " ".join(match.group(2).split()).rstrip(".") + "."
    return ("Figure: " if match.group(1) == "Figure" else "") + text


def alt_text(cells: list, index: int) -> str:
    """Alt text for the figures of code cell ``index``: the "*Alt text: ...*" or "*Figure: ...*"
    sentence the style guide puts in the markdown right after (or before) it, else the title its code gives the figure, else its first
    comment line."""
    after = cells[index + 1] if index + 1 < len(cells) else None
    before = cells[index - 1] if index > 0 else None
    for cell in (after, before):
        sentence = _figure_sentence(cell)
        if sentence:
            return sentence
    titles = [m.group(2) for m in _TITLE.finditer(cells[index].source) if "{" not in m.group(2)]
    if titles:
        return "Figure: " + "; ".join(dict.fromkeys(titles)) + "."
    for line in cells[index].source.splitlines():
        if line.strip().startswith("#") and len(line.strip()) > 3:
            return "Figure drawn by this code: " + line.strip().lstrip("#").strip()
    return "Figure drawn by the code cell above; the text around it describes what it shows."


def add_alt_text(nb: nbformat.NotebookNode) -> None:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            options = cell.metadata.setdefault("mystnb", {}).setdefault("image", {})
            options.setdefault("alt", alt_text(nb.cells, i))


# ------------------------------------------------------------------------------- the "run it" box

SELF_STUDY = "self-learners"


def run_box(kind: str, path_in_course: str, download: str, lab: str | None = None, up: str = "") -> str:
    name = Path(path_in_course).name
    if kind == "lesson":
        how = (f"In the course folder, run `make lab` and open `{path_in_course}` from JupyterLab's file "
               f"browser (left sidebar). A downloaded copy runs anywhere in the course's environment: "
               f"`make lab`, then *File → Open from Path*. Its outputs appear as you run it, cell by cell "
               f"(*Run → Run All Cells*).")
    else:
        how = (f"This is the **student version** (no solutions, no hidden tests). To work on it and have it "
               f"graded: in the course folder run `make self-study` (your copy: `my-labs/{lab}/{name}`), "
               f"open it with `make lab`, and grade it with `make check LAB={lab}`; after an attempt, "
               f"`make solution LAB={lab}` gives the worked solution. See [Self-learners]({up}{SELF_STUDY}.md).")
    return (f":::{{admonition}} Run this notebook in JupyterLab\n:class: tip\n\n"
            f"{{download}}`Download {name} <{download}>` · {how}\n:::\n")


def download_prefix(path_in_course: str) -> str:
    return "../" * (len(Path(path_in_course).parts) - 1)


def stage_notebook(nb, dest: Path, src_root: Path, kind: str, course_path: str, lab: str | None = None) -> None:
    """Write the page's notebook (with its box and alt texts) and the downloadable copy."""
    relative = dest.relative_to(src_root)
    download = src_root / "notebooks" / relative
    download.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, download)  # what a reader downloads: exactly the course's notebook
    page = copy.deepcopy(nb)
    add_alt_text(page)
    link = download_prefix(relative.as_posix()) + "notebooks/" + relative.as_posix()
    box = nbformat.v4.new_markdown_cell(run_box(kind, course_path, link, lab, download_prefix(relative.as_posix())))
    box.metadata["creative_ai_site"] = "run-box"
    first = page.cells[0] if page.cells else None
    if first is not None and first.cell_type == "markdown" and first.source.startswith("# "):
        # Right under the title: split the title line from the rest of the first cell.
        title, _, rest = first.source.partition("\n")
        first.source = title
        page.cells[1:1] = [box] + ([nbformat.v4.new_markdown_cell(rest.strip())] if rest.strip() else [])
    else:
        page.cells.insert(0, box)
    for cell in page.cells:  # nbformat 4.5 wants ids; nbgrader's preprocessors may have dropped some
        cell.pop("id", None)
    page.nbformat_minor = 4
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(page, dest)


# ------------------------------------------------------------------------------- markdown pages


def readme_section(title: str) -> str:
    text = (REPO / "README.md").read_text()
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    if not match:
        raise SystemExit(f"README.md has no section '## {title}'")
    return match.group(1).strip()


def course_map() -> str:
    table = readme_section("Course map")

    def lesson_link(match):
        path = match.group(1)
        return f"[{Path(path).stem.replace('_', ' ')}]({path})"

    table = re.sub(r"`(lessons/[\w.-]+\.ipynb)`", lesson_link, table)
    table = re.sub(r"`labs/(lab[\w-]+)`", lambda m: f"[{m.group(1)}](labs/{m.group(1)}.ipynb)", table)
    return table


def intro() -> str:
    text = (REPO / "README.md").read_text()
    return text.split("\n## ", 1)[0].split("\n", 1)[1].strip()


def index_page(lessons: list[str], labs: list[str], data_pages: list[str]) -> str:
    def toc(caption: str, entries: list[str]) -> str:
        return "```{toctree}\n:caption: " + caption + "\n:maxdepth: 1\n:hidden:\n\n" + "\n".join(entries) + "\n```\n"

    return "\n".join([
        "# AI in the Creative Industries", "", intro(), "",
        "This website shows every lesson **executed** (figures, tables and sound as they come out) and the "
        "**student version** of every lab. Every page links to its notebook and says how to open it in "
        "JupyterLab. Working alone? Read [Self-learners](self-learners.md): the course grades your labs "
        "with the same hidden tests and sandboxed grader an instructor uses.", "",
        "## Course map", "", course_map(), "",
        "## More", "",
        "* [Self-learners](self-learners.md): work through the labs alone and have them graded.",
        "* [Instructor guide](instructor-guide.md): release, collect, autograde and return the labs.",
        "* [Data and models](data/index.md): a datasheet for every bundled dataset, a model card for every model.",
        "",
        toc("Lessons", lessons), toc("Labs (student versions)", labs),
        toc("Using the course", ["self-learners", "instructor-guide"]),
        toc("Data and models", data_pages),
    ])


def stage_markdown(text: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text)


def stage(src: Path) -> None:
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    lessons = []
    for path in lesson_notebooks():
        nb = nbformat.read(path, as_version=4)
        stage_notebook(nb, src / "lessons" / path.name, src, "lesson", f"lessons/{path.name}")
        lessons.append(f"lessons/{path.stem}")
    labs = []
    for lab in lab_ids():
        nb = student_version(lab_notebook(lab))
        stage_notebook(nb, src / "labs" / f"{lab}.ipynb", src, "lab", f"my-labs/{lab}/{lab}.ipynb", lab)
        labs.append(f"labs/{lab}")
    data_pages = ["data/index"]
    readme = (REPO / "datasets" / "README.md").read_text()
    stage_markdown(readme + "\n```{toctree}\n:hidden:\n\n" + "\n".join(
        f"{p.parent.name}/{p.stem}" for p in sorted((REPO / "datasets").glob("*/*.md"))
        if p.name in ("DATASHEET.md", "MODEL_CARD.md")) + "\n```\n", src / "data" / "index.md")
    for card in sorted((REPO / "datasets").glob("*/*.md")):
        if card.name in ("DATASHEET.md", "MODEL_CARD.md"):
            stage_markdown(card.read_text(), src / "data" / card.parent.name / card.name)
    stage_markdown("# Self-learners\n\n" + readme_section("Self-learners"), src / "self-learners.md")
    stage_markdown((REPO / "autograder" / "README.md").read_text(), src / "instructor-guide.md")
    stage_markdown(index_page(lessons, labs, data_pages), src / "index.md")


# ------------------------------------------------------------------------------- build


_KERNEL_TCP_NOTICE = "Kernel is running over TCP without encryption"


def build(mode: str, out: Path, execute: list[str], quiet: bool = True, cache: Path | None = None,
          cell_timeout: int | None = None) -> dict:
    """Stage and build the site into ``out``. ``cache`` is the jupyter-cache folder (default
    build/site-cache-<mode>/); ``cell_timeout`` bounds each executed cell (default: conf.py's)."""
    src = out.parent / (out.name + "-src")
    start = time.monotonic()
    stage(src)
    env = dict(os.environ)
    env["SITE_EXECUTION"] = "off" if mode == "off" else "cache"
    env["SITE_CACHE"] = str(cache or REPO / "build" / f"site-cache-{mode}")
    if cell_timeout:
        env["SITE_CELL_TIMEOUT"] = str(cell_timeout)
    env["SITE_EXECUTE_ONLY"] = " ".join(execute)
    env["CREATIVE_AI_FAST"] = "1" if mode == "fast" else "0"
    # Figures must reach the page: the inline backend, whatever MPLBACKEND the caller set (CI: Agg).
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["PYTHONHASHSEED"] = "0"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(REPO / "website"), "-j", "1",
               str(src), str(out)] + (["-q"] if quiet else [])
    # stdin from /dev/null: neither Sphinx nor the kernels it starts may read (or hold) the caller's
    # stdin, which under pytest-xdist is the worker's channel to the controller.
    # Every kernel says "Kernel is running over TCP without encryption ... eavesdropping" (ipykernel 7,
    # for its loopback connection to this build); a reader building the site gets a screenful of it.
    # Drop that one line from Sphinx's stderr and pass everything else on as it comes.
    # A thread forwards it, and the build waits for Sphinx, not for the pipe: a kernel that outlived
    # Sphinx and still holds the pipe cannot keep the build from finishing.
    sphinx = subprocess.Popen(command, env=env, cwd=REPO, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, errors="replace")

    def forward() -> None:
        for line in sphinx.stderr:
            if _KERNEL_TCP_NOTICE not in line:
                sys.stderr.write(line)
                sys.stderr.flush()

    pump = threading.Thread(target=forward, daemon=True)
    pump.start()
    code = sphinx.wait()
    pump.join(timeout=10)
    if code != 0:
        raise SystemExit(f"Sphinx failed (exit {code}); see the messages above.")
    seconds = time.monotonic() - start
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                   if not p.relative_to(out).parts[0].startswith("_") and p.name not in ("genindex.html", "search.html"))
    (out / "site-build.json").write_text(json.dumps({"mode": mode, "seconds": round(seconds, 1), "pages": pages,
                                                     "executed": execute or "all"}, indent=1))
    return {"seconds": seconds, "pages": pages}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["full", "fast", "off"], default="full",
                        help="execute the lessons in full mode (default), fast mode, or not at all")
    parser.add_argument("--execute", nargs="*", default=[], metavar="LESSON",
                        help="execute only these lessons (file stems), e.g. 02_audio_features")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "site")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    result = build(args.mode, args.out.resolve(), args.execute, quiet=not args.verbose)
    print(f"Site built in {result['seconds']:.0f} s ({args.mode} mode, "
          f"{'lessons executed: ' + ' '.join(args.execute) if args.execute else 'every lesson executed' if args.mode != 'off' else 'nothing executed'}); "
          f"{len(result['pages'])} pages. Open {args.out}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
