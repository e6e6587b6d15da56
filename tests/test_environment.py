"""The project's own wiring: pins agree, the README's commands exist, CI calls them."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from course import REPO


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + [d for extra in project.get("optional-dependencies", {}).values() for d in extra]
    pins = {}
    for dep in deps:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([0-9][^;\s]*)", dep.strip())
        assert match, f"pyproject.toml: every dependency must be pinned with ==, got {dep!r}"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def _environment_yml_pins() -> tuple[dict[str, str], list[str]]:
    pins, conda = {}, []
    section = None
    for raw in (REPO / "environment.yml").read_text().splitlines():
        line = raw.split("#")[0].rstrip()
        stripped = line.strip()
        if stripped == "- pip:":
            section = "pip"
            continue
        if stripped.startswith("- ") and section == "pip" and raw.startswith(" " * 6):
            item = stripped[2:].strip().strip("\"'")
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", item)
            if match:
                pins[match.group(1).lower()] = match.group(2)
        elif stripped.startswith("- "):
            section = "conda"
            conda.append(stripped[2:])
    return pins, conda


def test_environment_yml_matches_pyproject_pins():
    pyproject = _pyproject_pins()
    yml, conda = _environment_yml_pins()
    assert yml == pyproject, (
        "environment.yml and pyproject.toml disagree: "
        f"only in pyproject {sorted(set(pyproject.items()) - set(yml.items()))}, "
        f"only in environment.yml {sorted(set(yml.items()) - set(pyproject.items()))}"
    )
    assert any(item.startswith("python=3.11") for item in conda), "environment.yml must pin python=3.11"


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    wrong = {name: (pin, version(name)) for name, pin in _pyproject_pins().items() if not version(name).startswith(pin)}
    assert not wrong, f"installed versions differ from the pins (pin, installed): {wrong}"


def test_torch_pair_is_the_one_this_machine_installs():
    pins = _pyproject_pins()
    assert pins["torch"] == "2.14.1" and pins["torchvision"] == "0.29.1"


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in readme and "make lab" in readme
    assert re.search(r"^\s*make test\b", ci, re.M), ".ci/run must call the README's test command"


def test_makefile_targets_named_in_the_readmes_exist():
    targets = set(re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(), re.M))
    for doc in ("README.md", "autograder/README.md"):
        text = (REPO / doc).read_text()
        commands = re.findall(r"`make ([a-z][a-z-]+)", text) + re.findall(r"^make ([a-z][a-z-]+)", text, re.M)
        assert commands, f"{doc} names no make commands"
        for target in commands:
            assert target in targets, f"{doc} mentions `make {target}`, which the Makefile lacks"


def test_package_imports_without_torch_or_network():
    code = "import creative_ai, creative_ai.data, sys; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_code_passes_ruff():
    """`make lint` is clean: the style rules in pyproject.toml hold for all project code."""
    ruff = Path(sys.executable).parent / "ruff"  # the environment running the tests
    result = subprocess.run(
        [str(ruff), "check", "creative_ai", "tests", "datasets", "tools", "autograder"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


def test_no_merge_conflict_markers_are_committed():
    """A half-resolved merge once shipped conflict markers in the README's course map."""
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    marked = []
    for name in files:
        path = REPO / name
        if path.suffix in {".npz", ".wav", ".png", ".jpg", ".gz", ".zip"} or not path.is_file():
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        marked += [f"{name}:{k + 1}" for k, line in enumerate(lines)
                   if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line.lstrip(' "').startswith(("<<<<<<< ", ">>>>>>> "))]
    assert not marked, f"merge conflict markers committed at {marked}"
