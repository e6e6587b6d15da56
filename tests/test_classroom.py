"""Cheap checks of the classroom hub's parts (issue 21); the hub itself runs in
`make test-classroom` (classroom/tests/), which is slow.

* sharded grading: every submission in exactly one shard, whatever the other machines see;
* the hardened exchange: forged, linked and special-file submissions are not collected; the
  per-student (Kubernetes) layout ties a submission to its folder;
* the hub's configuration loads and is the standard stack (PAM, LocalProcessSpawner,
  configurable-http-proxy); students' servers have no formgrader or Create Assignment;
* the Kubernetes files parse, and the Dockerfile runs the README's own setup commands.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "classroom"))
sys.path.insert(0, str(REPO / "autograder" / "grader"))


def test_shards_partition_submissions():
    import shards as cli

    labs = ["lab00_orientation", "lab01_recommendation"]
    students = [f"s{i:03d}" for i in range(120)]
    for n in range(1, 7):
        shards = {(lab, s): cli.shard_of(lab, s, n) for lab in labs for s in students}
        assert set(shards.values()) == set(range(1, n + 1))
        # A machine that sees only some submissions puts each one in the same shard.
        assert all(cli.shard_of(lab, s, n) == k for (lab, s), k in list(shards.items())[::7])
    counts = [sum(cli.shard_of(lab, s, 4) == k for lab in labs for s in students) for k in range(1, 5)]
    assert min(counts) > 240 / 4 * 0.6, counts  # roughly even


@pytest.mark.parametrize("text", ["0/4", "5/4", "2-4", "x", "2/0"])
def test_bad_shard_is_refused(text):
    import shards as cli

    with pytest.raises(SystemExit, match="shard"):
        cli.parse_shard(text)


def test_shard_parses():
    import shards as cli

    assert cli.parse_shard("2/4") == (2, 4) and cli.parse_shard("") is None


def _collector(tmp_path, monkeypatch, layout=""):
    import classroom_exchange
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    monkeypatch.setenv("CREATIVE_AI_EXCHANGE_LAYOUT", layout)
    coursedir = CourseDirectory(root=str(tmp_path / "course"))
    coursedir.course_id = "creative-ai"
    coursedir.assignment_id = "lab00_orientation"
    monkeypatch.setattr(classroom_exchange, "Gradebook", _NoGradebook)  # no due date (and no slow sqlite set-up)
    collect = classroom_exchange.SecureCollect(coursedir=coursedir, authenticator=Authenticator())
    collect.root = str(tmp_path / "exchange")
    return collect


class _NoGradebook:
    def __init__(self, *args):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def find_assignment(self, name):
        from nbgrader.api import MissingEntry

        raise MissingEntry()


def _submission(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "lab00_orientation.ipynb").write_text("{}")
    (folder / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
    return folder


def test_collect_drops_submissions_not_owned_by_their_student(tmp_path, monkeypatch):
    import pwd

    collect = _collector(tmp_path, monkeypatch)
    me = pwd.getpwuid(os.geteuid()).pw_name
    inbound = tmp_path / "exchange" / "creative-ai" / "inbound"
    mine = _submission(inbound / f"{me}+lab00_orientation+2026-01-01 00:00:00.000000 UTC+abc")
    _submission(inbound / "someone-else+lab00_orientation+2099-01-01 00:00:00.000000 UTC+abc")
    _submission(inbound / "bad<id>+lab00_orientation+2026-01-01 00:00:00.000000 UTC+abc")
    collect.init_src()
    assert [r["username"] for r in collect.src_records] == [me]
    reasons = dict((Path(p).name.split("+")[0], why) for p, why in collect.dropped)
    assert "owned by" in reasons["someone-else"] and "not plain" in reasons["bad<id>"]
    assert mine.exists()


def test_collect_never_follows_links_or_opens_fifos(tmp_path, monkeypatch):
    collect = _collector(tmp_path, monkeypatch)
    secret = tmp_path / "instructor-secret.txt"
    secret.write_text("grades of everyone")
    src = _submission(tmp_path / "src")
    (src / "link.ipynb").symlink_to(secret)
    (src / "sub").mkdir()
    (src / "sub" / "deep").symlink_to(tmp_path)
    os.mkfifo(src / "pipe")
    dest = tmp_path / "dest"
    collect.do_copy(str(src), str(dest))
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*"))
    assert copied == ["lab00_orientation.ipynb", "sub", "timestamp.txt"], copied


def test_per_student_layout_ties_a_submission_to_its_folder(tmp_path, monkeypatch):
    collect = _collector(tmp_path, monkeypatch, layout="per-student")
    inbound = tmp_path / "exchange" / "creative-ai" / "inbound"
    _submission(inbound / "alice" / "alice+lab00_orientation+2026-01-01 00:00:00.000000 UTC+abc")
    _submission(inbound / "bob" / "alice+lab00_orientation+2099-01-01 00:00:00.000000 UTC+abc")  # bob as alice
    collect.init_src()
    assert [(r["username"], r["filename"].split("/")[0]) for r in collect.src_records] == [("alice", "alice")]
    assert "bob's folder" in collect.dropped[0][1]


def test_hub_configuration_is_the_standard_stack(tmp_path, monkeypatch):
    from traitlets.config.loader import PyFileConfigLoader

    settings = {"course": str(REPO), "exchange": str(tmp_path / "exchange"), "state": str(tmp_path),
                "students_group": "creative-ai-students", "graders_group": "creative-ai-graders", "admins": ["prof"]}
    (tmp_path / "settings.json").write_text(json.dumps(settings))
    monkeypatch.setenv("CREATIVE_AI_CLASSROOM_SETTINGS", str(tmp_path / "settings.json"))
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(REPO / "classroom")).load_config()
    assert config.JupyterHub.authenticator_class == "pam"
    assert config.JupyterHub.spawner_class == "localprocess"
    assert config.ConfigurableHTTPProxy.command == [str(REPO / "classroom/node/node_modules/.bin/configurable-http-proxy")]
    assert config.Authenticator.allowed_groups == {"creative-ai-students", "creative-ai-graders"}
    lock = json.loads((REPO / "classroom/node/package-lock.json").read_text())
    pinned = json.loads((REPO / "classroom/node/package.json").read_text())["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned)
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == pinned


def test_students_get_no_formgrader_or_create_assignment():
    student = REPO / "classroom/jupyter/student"
    disabled = json.loads((student / "labconfig/page_config.json").read_text())["disabledExtensions"]
    assert disabled["@jupyter/nbgrader:formgrader"] and disabled["@jupyter/nbgrader:create-assignment"]
    server = json.loads((student / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
    assert server["nbgrader.server_extensions.formgrader"] is False
    grader = json.loads((REPO / "classroom/jupyter/grader/jupyter_server_config.json").read_text())
    assert grader["ServerApp"]["jpserver_extensions"]["formgrader_security"] is True


def test_kubernetes_files_parse_and_match_the_readme():
    k8s = REPO / "classroom" / "k8s"
    config = yaml.safe_load((k8s / "config.yaml").read_text())
    single = config["singleuser"]
    assert single["image"]["name"] and single["cpu"]["limit"] and single["memory"]["limit"]
    assert config["cull"]["enabled"] is True
    mounts = {m["mountPath"]: m for m in single["storage"]["extraVolumeMounts"]}
    assert mounts["/srv/nbgrader/exchange/creative-ai/outbound"]["readOnly"] is True
    assert mounts["/srv/nbgrader/exchange/creative-ai/inbound"]["subPath"].endswith("{username}")
    job = yaml.safe_load((k8s / "grading-job.yaml").read_text())
    assert job["kind"] == "Job" and job["spec"]["completionMode"] == "Indexed"
    command = " ".join(job["spec"]["template"]["spec"]["containers"][0]["command"])
    assert "make autograde" in command and "SHARD=" in command and "JOB_COMPLETION_INDEX" in command
    assert job["spec"]["completions"] == job["spec"]["parallelism"]
    # The image is built with the commands the README gives for a new machine.
    steps = [line for line in (k8s / "Dockerfile").read_text().splitlines() if line.startswith("RUN ")]
    readme = (REPO / "README.md").read_text()
    assert any("make setup" in step for step in steps)
    assert "make setup" in readme or "make lab" in readme
    pins = [line for line in steps if "pip install" in line]
    assert not pins, "the image installs through `make setup` (the pinned pyproject.toml), not its own pip line"


def test_classroom_make_targets_exist():
    out = subprocess.run(["make", "-n", "classroom-proxy", "hub", "test-classroom", "SETUP="], cwd=REPO,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "npm ci" in out.stdout and "jupyterhub -f classroom/jupyterhub_config.py" in out.stdout


def test_guide_load_arithmetic():
    """The 300-student extrapolation in docs/classroom.md is the arithmetic of its measured figures."""
    text = " ".join((REPO / "docs" / "classroom.md").read_text().split())
    idle_mb, cpu_s = 133, 5.3  # the measured rows of the table
    assert f"**{idle_mb} MB**" in text and f"≈ {cpu_s} CPU-seconds" in text
    assert f"30 × {cpu_s} ≈ {round(30 * cpu_s, -1):.0f} CPU-seconds" in text
    assert f"10 × {cpu_s} ≈ {10 * cpu_s:.0f} CPU-seconds" in text
    assert f"300 × {idle_mb} MB ≈ **{300 * idle_mb / 1000:.0f} GB**" in text
    assert f"300 × {cpu_s} CPU-s ≈ {300 * cpu_s:,.0f} CPU-seconds" in text
    assert f"about {300 * cpu_s / 16:.0f} s over 16 free cores" in text
    assert f"300 × 5 min = **{300 * 5 / 60:.0f} core-hours**" in text
    assert f"8 pods of 2 cores does that in at most ~{300 * 5 / 60 / 16:.1f} h" in text
