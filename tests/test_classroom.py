"""Cheap checks of the classroom hub's parts (issue 21); the hub itself runs in
`make test-classroom` (classroom/tests/), which is slow.

* sharded grading: every submission in exactly one shard, whatever the other machines see;
* the hardened exchange: forged, linked and special-file submissions are not collected; the
  per-student (Kubernetes) layout ties a submission to its folder; a submission counts as handed
  in at its trusted time (the latest ctime in it), not at a backdated timestamp.txt;
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


def _collector(tmp_path, monkeypatch, layout="", duedate=None):
    import classroom_exchange
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    monkeypatch.setenv("CREATIVE_AI_EXCHANGE_LAYOUT", layout)
    coursedir = CourseDirectory(root=str(tmp_path / "course"))
    coursedir.course_id = "creative-ai"
    coursedir.assignment_id = "lab00_orientation"
    # A stand-in gradebook: the due date given (or none), no slow sqlite set-up.
    monkeypatch.setattr(classroom_exchange, "Gradebook", type("Gradebook", (_NoGradebook,), {"duedate": duedate}))
    collect = classroom_exchange.SecureCollect(coursedir=coursedir, authenticator=Authenticator())
    collect.root = str(tmp_path / "exchange")
    return collect


class _NoGradebook:
    duedate = None

    def __init__(self, *args):
        pass

    def update_or_create_student(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def find_assignment(self, name):
        from types import SimpleNamespace

        from nbgrader.api import MissingEntry

        if self.duedate is None:
            raise MissingEntry()
        return SimpleNamespace(duedate=self.duedate)


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


STAMP = "%Y-%m-%d %H:%M:%S.%f UTC"  # nbgrader's timestamp_format, in UTC


def _now():
    import datetime

    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def _submit(inbound: Path, student: str, named=None, stamped=None) -> Path:
    """A submission as nbgrader's submit leaves it: the notebook, then timestamp.txt; its times
    (in the name and in timestamp.txt) are now unless a forger chose others."""
    named, stamped = named or _now(), stamped or _now()
    folder = _submission(inbound / f"{student}+lab00_orientation+{named.strftime(STAMP)}+abc")
    (folder / "timestamp.txt").write_text(stamped.strftime(STAMP))
    return folder


def _collected(collect, student):
    folder = collect.coursedir.format_path(collect.coursedir.submitted_directory, student, "lab00_orientation")
    return collect.coursedir.get_existing_timestamp(folder), Path(folder)


def _warnings(collect):
    import logging

    seen = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: seen.append(record.getMessage())
    collect.log.addHandler(handler)
    return seen


@pytest.mark.parametrize("layout, forged", [("", "timestamp.txt"), ("", "both"), ("per-student", "both")])
def test_backdated_submission_is_not_believed_and_is_reported(tmp_path, monkeypatch, layout, forged):
    """A late student rewrites timestamp.txt (and renames the folder, and sets the files'
    modification times) to two days ago, before the due date: collect counts the submission when it last changed (now, after the due date),
    writes that into the collected timestamp.txt (what autograde's late penalty reads) and warns
    the instructor by name."""
    import datetime
    import pwd

    now = _now()
    duedate = now - datetime.timedelta(days=1)
    collect = _collector(tmp_path, monkeypatch, layout=layout, duedate=duedate)
    warnings = _warnings(collect)
    student = "alice" if layout else pwd.getpwuid(os.geteuid()).pw_name
    inbound = tmp_path / "exchange" / "creative-ai" / "inbound" / ("alice" if layout else "")
    backdated = now - datetime.timedelta(days=2)
    folder = _submit(inbound, student, named=backdated if forged == "both" else now, stamped=backdated)
    for path in [*folder.iterdir(), folder]:  # modification times set back too (as `touch -d` does)
        os.utime(path, (backdated.timestamp(), backdated.timestamp()))
    collect.init_src()
    collect.copy_files()
    assert [r["username"] for r in collect.src_records] == [student]
    counted, folder = _collected(collect, student)
    assert now - datetime.timedelta(seconds=5) <= counted <= _now() and counted > duedate
    assert (folder / "lab00_orientation.ipynb").read_text() == "{}"
    assert [who for who, _, _ in collect.untrusted] == [student]
    assert any(student in w and "timestamp.txt says" in w and str(backdated) in w for w in warnings), warnings


def test_honest_submission_is_collected_with_its_own_time(tmp_path, monkeypatch):
    import datetime

    collect = _collector(tmp_path, monkeypatch, layout="per-student", duedate=_now() + datetime.timedelta(hours=1))
    warnings = _warnings(collect)
    inbound = tmp_path / "exchange" / "creative-ai" / "inbound"
    submitted = (_submit(inbound / "alice", "alice") / "timestamp.txt").read_text()
    collect.init_src()
    collect.copy_files()
    counted, folder = _collected(collect, "alice")
    assert (folder / "timestamp.txt").read_text() == submitted  # nbgrader's time, byte for byte
    assert counted == datetime.datetime.strptime(submitted, STAMP)
    assert collect.untrusted == [] and warnings == []


def test_unreadable_time_stamps_are_judged_by_the_trusted_time(tmp_path, monkeypatch):
    """A name whose time is not a time (nbgrader's collect stops there, for the whole class) or a
    timestamp.txt that is not one: collected at its trusted time, and reported."""
    import datetime

    inbound = tmp_path / "exchange" / "creative-ai" / "inbound"
    garbled = _submission(inbound / "alice" / "alice+lab00_orientation+not a time+abc")
    (garbled / "timestamp.txt").write_text(_now().strftime(STAMP))
    _submit(inbound / "bob", "bob")
    (_submit(inbound / "carol", "carol") / "timestamp.txt").unlink()
    collect = _collector(tmp_path, monkeypatch, layout="per-student")
    collect.init_src()
    collect.copy_files()
    assert sorted(r["username"] for r in collect.src_records) == ["alice", "bob", "carol"]
    reasons = {who: why for who, _, why in collect.untrusted}
    assert sorted(reasons) == ["alice", "carol"] and "missing or unreadable" in reasons["carol"]
    assert "folder name has no readable time" in reasons["alice"]
    before = _now()
    for student in ("alice", "carol"):
        counted, folder = _collected(collect, student)
        assert before - datetime.timedelta(seconds=5) <= counted <= before
        assert (folder / "lab00_orientation.ipynb").exists()


def test_what_submit_writes_is_believed(tmp_path, monkeypatch):
    """A submission made by the hub's own submit (SecureSubmit, nbgrader's time stamps) is
    collected at the time submit wrote, without a warning."""
    import datetime
    import pwd

    import classroom_exchange
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    course = tmp_path / "exchange" / "creative-ai"
    for folder in (course / "inbound", course / "outbound" / "lab00_orientation", tmp_path / "home" / "lab00_orientation"):
        folder.mkdir(parents=True)
        (folder / "lab00_orientation.ipynb").write_text("{}")
    (course / "inbound" / "lab00_orientation.ipynb").unlink()
    home = CourseDirectory(root=str(tmp_path / "home"))
    home.course_id, home.assignment_id = "creative-ai", "lab00_orientation"
    submit = classroom_exchange.SecureSubmit(coursedir=home, authenticator=Authenticator())
    submit.root, submit.cache, submit.assignment_dir = str(tmp_path / "exchange"), str(tmp_path / "cache"), str(home.root)
    submit.start()
    collect = _collector(tmp_path, monkeypatch, duedate=_now() + datetime.timedelta(hours=1))
    warnings = _warnings(collect)
    collect.init_src()
    collect.copy_files()
    me = pwd.getpwuid(os.geteuid()).pw_name
    counted, folder = _collected(collect, me)
    assert counted == datetime.datetime.strptime(submit.timestamp, STAMP)
    assert (folder / "timestamp.txt").read_text() == submit.timestamp
    assert collect.untrusted == [] and warnings == []


def test_a_file_changed_after_submitting_counts_from_the_change(tmp_path, monkeypatch):
    """alice and bob submit honestly before the due date; after it alice edits her notebook in
    the exchange (timestamp.txt untouched): hers is collected at the time of the edit, late; bob's
    keeps its own time."""
    import datetime
    import time

    inbound = tmp_path / "exchange" / "creative-ai" / "inbound"
    alice, bob = _submit(inbound / "alice", "alice"), _submit(inbound / "bob", "bob")
    submitted = _now()
    duedate = submitted + datetime.timedelta(seconds=0.4)
    collect = _collector(tmp_path, monkeypatch, layout="per-student", duedate=duedate)
    collect.timestamp_tolerance = 1.0
    warnings = _warnings(collect)
    time.sleep(1.5)
    with open(alice / "lab00_orientation.ipynb", "a") as fh:
        fh.write(" ")  # the answer she finished after the due date
    edited = _now()
    collect.init_src()
    collect.copy_files()
    (alice_at, alice_copy), (bob_at, _) = _collected(collect, "alice"), _collected(collect, "bob")
    assert edited - datetime.timedelta(seconds=0.5) <= alice_at <= edited and alice_at > duedate
    assert (alice_copy / "lab00_orientation.ipynb").read_text() == "{} "
    assert bob_at == datetime.datetime.strptime((bob / "timestamp.txt").read_text(), STAMP) <= duedate
    assert [who for who, _, _ in collect.untrusted] == ["alice"]
    assert len(warnings) == 1 and "alice" in warnings[0] and "bob" not in warnings[0]


def test_a_change_while_collect_copies_is_dated_after_the_copy(tmp_path, monkeypatch):
    """alice edits her submission between collect's look at it and its copy: the copy holds the
    edit, and the edit's time is what it counts at."""
    import datetime
    import shutil
    import time

    import classroom_exchange

    inbound = tmp_path / "exchange" / "creative-ai" / "inbound"
    alice = _submit(inbound / "alice", "alice")
    collect = _collector(tmp_path, monkeypatch, layout="per-student", duedate=_now() + datetime.timedelta(seconds=0.4))
    collect.timestamp_tolerance = 0.5
    collect.init_src()
    assert collect.untrusted == []
    copytree = shutil.copytree

    def edit_then_copy(src, dest, **kwargs):
        time.sleep(1.0)
        (alice / "lab00_orientation.ipynb").write_text('{"late": 1}')
        return copytree(src, dest, **kwargs)

    monkeypatch.setattr(classroom_exchange.shutil, "copytree", edit_then_copy)
    collect.copy_files()
    counted, folder = _collected(collect, "alice")
    assert (folder / "lab00_orientation.ipynb").read_text() == '{"late": 1}'
    assert counted > collect.duedate and [who for who, _, _ in collect.untrusted] == ["alice"]


def test_backdating_does_not_pick_a_late_submission_before_the_due_date(tmp_path, monkeypatch):
    """With --before-duedate nbgrader takes a student's latest submission before the due date:
    a late one renamed and restamped to look earlier is still the late one."""
    import datetime
    import time

    inbound = tmp_path / "exchange" / "creative-ai" / "inbound" / "alice"
    on_time = _submit(inbound, "alice")
    duedate = _now() + datetime.timedelta(seconds=0.4)
    time.sleep(1.5)
    _submit(inbound, "alice", named=duedate - datetime.timedelta(seconds=0.1),
            stamped=duedate - datetime.timedelta(seconds=0.1))
    collect = _collector(tmp_path, monkeypatch, layout="per-student", duedate=duedate)
    collect.timestamp_tolerance = 1.0
    collect.before_duedate = True
    collect.init_src()
    assert [r["filename"] for r in collect.src_records] == [str(on_time.relative_to(inbound.parent))]
    collect.before_duedate = False  # nbgrader's default: the latest wins, and it is late
    collect.init_src()
    assert collect.src_records[0]["timestamp"] > duedate


def test_guide_states_the_tolerance_collect_uses():
    import classroom_exchange

    tolerance = classroom_exchange.SecureCollect.timestamp_tolerance.default_value
    text = " ".join((REPO / "docs" / "classroom.md").read_text().split())
    assert f"within {tolerance:.0f} s (`SecureCollect.timestamp_tolerance`" in text
    assert f"``SecureCollect.timestamp_tolerance`` ({tolerance:.0f} s" in " ".join(classroom_exchange.__doc__.split())


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


def test_guide_load_figures_are_the_recorded_run_and_the_extrapolation_its_arithmetic():
    """docs/classroom.md quotes the 30-student run recorded in classroom/tests/load30_record.json (what
    ``load.py --students 30 --out`` wrote) and extrapolates to 300 students from those figures."""
    import json

    text = " ".join((REPO / "docs" / "classroom.md").read_text().split())
    run = json.loads((REPO / "classroom" / "tests" / "load30_record.json").read_text())
    lat = run["latency_s"]
    assert run["students"] == 30 and run["errors"] == [] and run["collected"] == run["graded_full_marks"] == 30
    assert f"| **{run['wave_s']:.0f} s**, no errors |" in text
    assert f"p50 **{lat['login']['p50']:.2f} s**, p95 {lat['login']['p95']:.2f} s, max {lat['login']['max']:.1f} s" in text
    start_p50, start_p95 = lat["server_start"]["p50"], lat["server_start"]["p95"]
    assert f"p50 **{start_p50:.0f} s**, p95 {start_p95:.0f} s: every server started" in text
    assert (f"p95 {lat['fetch']['p95']:.2f} s / {lat['save']['p95']:.2f} s / {lat['submit']['p95']:.2f} s"
            in text)
    assert f"p50 {lat['hub_api']['p50']:.2f} s, p95 {lat['hub_api']['p95']:.2f} s" in text
    idle_mb = round(run["idle_server_pss_mb"]["mean"])
    assert f"**{idle_mb} MB** (proportional set size)" in text
    assert f"| {run['hub_pss_mb']:.0f} MB |" in text
    assert f"| {run['collect_s']:.1f} s |" in text and f"collecting 30 took {run['collect_s']:.1f} s" in text
    assert f"| {run['autograde_s']:.0f} s, **30 of 30 collected and graded with full marks** |" in text
    # the extrapolation
    measured_cpu, slowest = 5.3, lat["server_start"]["max"]
    bound = 2 * round(slowest) / 30
    assert f"30 starts in {slowest:.0f} s on 2 cores is at most 2 × {slowest:.0f} / 30 ≈ {bound:.1f} core-seconds" in text
    assert f"300 × {idle_mb} MB ≈ **{300 * idle_mb / 1000:.0f} GB**" in text
    low, high = 300 * measured_cpu, 300 * round(bound, 1)
    assert f"300 × {measured_cpu}–{bound:.1f} CPU-s ≈ {low:,.0f}–{high:,.0f} CPU-seconds" in text
    assert f"about {low / 16:.0f}–{high / 16:.0f} s over 16 free cores" in text
    assert f"lab 00's 30 submissions took {run['autograde_s']:.0f} s on 2 cores (about {2 * run['autograde_s'] / 30:.1f} core-seconds" in text
    assert f"300 × 5 min = **{300 * 5 / 60:.0f} core-hours**" in text
    assert f"8 pods of 2 cores does that in at most ~{300 * 5 / 60 / 16:.1f} h" in text
    # lab 04 (tools/benchmark.py --grading-only --copies 1 --labs lab04_fashion_gan): the guide's arithmetic
    per_submission = int(re.search(r"lab 04, the heaviest .*? took (\d+) s per submission on 2 cores", text).group(1))
    core = 2 * per_submission
    assert (f"about {core} core-seconds each, so 300 lab 04 submissions are ≈ {300 * core / 3600:.1f} core-hours, "
            f"about {300 * core / 16 / 60:.0f} minutes on 8 pods of 2 cores") in text
