"""nbgrader's file-system exchange, with the holes closed for a shared JupyterHub.

nbgrader's default exchange trusts everyone who can write to it. On a hub where the instructor,
the TAs and every student are separate Unix users, these classes (enabled by
``autograder/nbgrader_config.py`` and ``classroom/jupyter/student/nbgrader_config.py`` when the
hub sets ``CREATIVE_AI_EXCHANGE``) add what the permission design in ``docs/classroom.md`` needs:

* **submit** (student side): the submission folder ends group-readable by the graders' group
  (inherited from the set-group-id ``inbound/``) and closed to everyone else — nbgrader leaves
  it ``0777`` with world-readable files;
* **collect** (grader side): a submission whose folder is not owned by the Unix user it is named
  after is dropped (nbgrader only logs a warning and collects it, so a student could submit as
  someone else and even shadow their real submission by a later time stamp); ids that are not
  plain are dropped; symbolic links, FIFOs and devices inside a submission are never followed
  or copied (nbgrader's ``copytree`` would copy whatever a link points to, read as the grader);
  the time a submission counts as handed in is its **trusted time** (below), not the
  ``timestamp.txt`` its student wrote;
* **release_feedback**: released feedback files are readable by their student (nbgrader copies
  the grader's file mode, which on a hub with a private umask leaves them unreadable). The
  feedback folder itself cannot be listed by students, and each file is named by a hash keyed
  with the submission's 256-bit secret, which only the student and the graders hold.

**Trusted submission time.** nbgrader dates a submission by ``timestamp.txt`` and the time stamp
in the folder's name, both written by the student's own process, in a folder the student owns
and can change after submitting (a late student could backdate both). Collect instead takes
the latest inode change time (``ctime``) of the submission folder and of everything in it. The
kernel (on NFS and similar volumes, the file server) sets ``ctime`` to *now* on every change of
a file's content, name, mode or links and of a folder's entries, and no call lets a user set it
back (only root can, by changing the clock or editing the disk), so it is a time the student
cannot lower: an upper bound on when the content that is collected last changed. It needs no
process of the graders' running at the deadline, and it means the same in the per-student
layout, where every pod runs as the same uid. Where ``timestamp.txt`` and the name agree with
it within ``SecureCollect.timestamp_tolerance`` (60 s: the submit's own copying, clock skew),
nbgrader's time is kept unchanged; otherwise (or when ``timestamp.txt`` is missing) the
trusted time is used, written into the collected ``timestamp.txt`` (the one autograde's
late-submission logic reads), and the instructor is warned, by student. A file changed after
submitting thus moves its submission to the time of that change, and a change made while
collect copies is caught by looking again after the copy. Something that changes an inode as
root (``chmod -R``, a restore from backup) moves times later, never earlier: collect before.

The folders themselves (who owns what, which modes) are made by ``classroom/setup.py init``.

**Per-student layout (Kubernetes).** In Zero to JupyterHub every server runs as the same uid,
so Unix ownership cannot tell students apart; the volume mounts do instead
(``classroom/k8s/config.yaml``): a student's pod mounts the exchange's ``outbound/`` read-only
and only *its own* folders ``inbound/<user>/`` and ``feedback/<user>/`` at ``inbound/`` and
``feedback/``. Nothing changes for students; with ``CREATIVE_AI_EXCHANGE_LAYOUT=per-student``
the graders' collect looks for ``inbound/<user>/<user>+<lab>+...`` (a submission whose name
does not match the folder it was found in is dropped) and feedback is released into
``feedback/<user>/``.
"""

from __future__ import annotations

import datetime
import glob
import os
import pwd
import re
import shutil
import stat

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect, groupby
from nbgrader.exchange.default.fetch_assignment import ExchangeFetchAssignment
from nbgrader.exchange.default.fetch_feedback import ExchangeFetchFeedback
from nbgrader.exchange.default.list import ExchangeList
from nbgrader.exchange.default.release_assignment import ExchangeReleaseAssignment
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import ignore_patterns, parse_utc
from traitlets import Float

PLAIN_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+\-]*\Z")


def owner_of(path: str) -> str | None:
    try:
        return pwd.getpwuid(os.lstat(path).st_uid).pw_name
    except (KeyError, OSError):
        return None


def unsafe_entries(folder: str) -> list[str]:
    """Everything inside ``folder`` that is neither a plain file nor a directory (links too)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            mode = os.lstat(os.path.join(dirpath, name)).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(os.path.relpath(os.path.join(dirpath, name), folder))
    return found


def trusted_time(folder: str) -> datetime.datetime:
    """The latest inode change time (naive UTC, as nbgrader's times) of ``folder`` and of
    everything in it, links not followed: no user can set a ``ctime`` back."""
    latest = os.lstat(folder).st_ctime
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            try:
                latest = max(latest, os.lstat(os.path.join(dirpath, name)).st_ctime)
            except FileNotFoundError:  # removed meanwhile: its folder's ctime moved instead
                pass
    return datetime.datetime.fromtimestamp(latest, datetime.UTC).replace(tzinfo=None)


def claimed_time(folder: str) -> datetime.datetime | None:
    """The time the student's process wrote into ``timestamp.txt`` (None if missing, not a
    plain file or not a time). Read as hostile input: at most 200 bytes, never a FIFO."""
    path = os.path.join(folder, "timestamp.txt")
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            text = fh.read(200).decode("utf-8").strip()
        return parse_utc(text) if text else None
    except Exception:  # whatever a student wrote must not stop the collect of everyone else
        return None


class RootOwnedExchange:
    """The exchange's root belongs to root and is read-only for everyone (nobody can add,
    rename or replace a course): nbgrader insists on a root every user can write (and makes it
    0777 on release), so the check is only that it exists and can be entered."""

    def ensure_root(self):
        if not os.path.isdir(self.root) or not os.access(self.root, os.X_OK):
            self.fail(f"The exchange {self.root} is missing or closed: ask your instructor "
                      "(it is made by `make classroom`)")


class SecureList(RootOwnedExchange, ExchangeList):
    pass


class SecureFetchAssignment(RootOwnedExchange, ExchangeFetchAssignment):
    pass


class SecureFetchFeedback(RootOwnedExchange, ExchangeFetchFeedback):
    pass


class SecureReleaseAssignment(RootOwnedExchange, ExchangeReleaseAssignment):
    pass


class SecureSubmit(RootOwnedExchange, ExchangeSubmit):
    """Every file of a submission belongs to the graders' group (inherited from the set-group-id
    ``inbound/``) and is readable by its student and that group only."""

    def do_copy(self, src, dest, log=None):
        if not dest.startswith(self.inbound_path):  # the student's own cache: as nbgrader does it
            return super().do_copy(src, dest, log)
        size = self.get_size(src)
        if size > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"Directory size is too big. Size is {size}")
        # Content only, no modes: copying a folder's mode (copytree always does) would clear its
        # set-group-id bit, and the files written next (time stamp, secret) would not be the
        # graders' to read.
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)

        def copy(source, target):
            os.mkdir(target)
            names = os.listdir(source)
            skipped = set(ignore(source, names))
            for name in names:
                if name in skipped:
                    continue
                inner, outer = os.path.join(source, name), os.path.join(target, name)
                if os.path.isdir(inner):
                    copy(inner, outer)
                elif os.path.isfile(inner):
                    shutil.copyfile(inner, outer)

        copy(src, dest)

    def set_perms(self, dest, fileperms, dirperms):
        if dest.startswith(self.inbound_path):
            fileperms, dirperms = 0o640, 0o750
        super().set_perms(dest, fileperms, dirperms)

    def copy_files(self):
        super().copy_files()  # ends with the submission folder 0777: closed again here
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), 0o750)


class SecureCollect(RootOwnedExchange, ExchangeCollect):
    timestamp_tolerance = Float(
        60.0, help="Seconds by which a submission's own time stamps (timestamp.txt, the folder's "
        "name) may differ from its trusted time (the latest ctime in it) and still be believed"
    ).tag(config=True)

    def judge(self, record: dict, path: str, trusted: datetime.datetime) -> tuple[datetime.datetime, str]:
        """(the time the submission counts as handed in, "" or why its own time stamps are not
        believed)."""
        claimed = claimed_time(path)
        if claimed is None:
            return trusted, "its timestamp.txt is missing or unreadable"
        if record["named"] is None:
            return trusted, "its folder name has no readable time"
        tolerance = datetime.timedelta(seconds=self.timestamp_tolerance)
        for what, when in (("timestamp.txt", claimed), ("folder name", record["named"])):
            if abs(when - trusted) > tolerance:
                return trusted, f"its {what} says {when} UTC but it last changed at {trusted} UTC"
        return claimed, ""

    def date(self, record: dict, path: str, when: str = "") -> None:
        trusted = trusted_time(path)
        record["timestamp"], record["distrust"] = self.judge(record, path, trusted)
        record["trusted"] = trusted
        if record["distrust"]:
            self.untrusted.append((record["username"], path, record["distrust"]))
            self.log.warning("Submission of %s (%s) counted at %s UTC, its trusted time%s: %s",
                             record["username"], os.path.basename(path), record["timestamp"], when,
                             record["distrust"])

    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        student_id = self.coursedir.student_id if self.coursedir.student_id else "*"
        pattern = f"{student_id}+{self.coursedir.assignment_id}+*"
        if per_student():
            pattern = os.path.join("*", pattern)
        records = []
        self.dropped = []
        self.untrusted = []  # (student, submission folder, why its own time stamps were not believed)
        self.by_path = {}
        for path in glob.glob(os.path.join(self.inbound_path, pattern)):
            try:
                record = self._path_to_record(path)
            except Exception:  # the time in the name is not a time: judged by its trusted time
                name = os.path.basename(path)
                record = {"username": name.rsplit("+", 3)[0], "filename": name, "timestamp": None}
            if per_student():
                record["filename"] = os.path.relpath(path, self.inbound_path)
            reason = self.refuse(path, record["username"])
            if reason:
                self.dropped.append((path, reason))
                self.log.warning("Dropped submission %s: %s", os.path.basename(path), reason)
            else:
                record["named"] = record["timestamp"]
                self.date(record, path)
                self.by_path[os.path.abspath(path)] = record
                records.append(record)
        usergroups = groupby(records, lambda item: item["username"])
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.src_records = []
        for group in usergroups.values():
            ordered = self._sort_by_timestamp(group)
            if self.duedate is not None and self.before_duedate:
                before = [r for r in ordered if r["timestamp"] <= self.duedate]
                ordered = before or ordered
            self.src_records.append(ordered[0])

    @staticmethod
    def refuse(path: str, student: str) -> str:
        if not PLAIN_ID.match(student):
            return f"student id {student!r} is not plain"
        if os.path.islink(path) or not os.path.isdir(path):
            return "not a folder"
        if per_student():  # identity by mount: only <user>'s pod can write inbound/<user>/
            folder = os.path.basename(os.path.dirname(path))
            if folder != student:
                return f"named after {student} but found in {folder}'s folder (submitting as someone else)"
            return ""
        owner = owner_of(path)
        if owner != student:
            return f"named after {student} but owned by {owner} (submitting as someone else)"
        return ""

    def do_copy(self, src, dest, log=None):
        size = self.get_size(src)
        if size > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"Directory size is too big. Size is {size}")
        usual = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                max_file_size=self.coursedir.max_file_size, log=self.log)

        def ignore(directory, names):
            skipped = set(usual(directory, names))
            for name in names:
                mode = os.lstat(os.path.join(directory, name)).st_mode
                if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    self.log.warning("Not collected (not a plain file): %s", os.path.join(directory, name))
                    skipped.add(name)
            return skipped

        # symlinks=True: a link that appears after the check is copied as a link, never followed...
        shutil.copytree(src, dest, symlinks=True, ignore=ignore)
        for dirpath, dirnames, filenames in os.walk(dest):  # ...and then removed.
            for name in dirnames + filenames:
                path = os.path.join(dirpath, name)
                if os.path.islink(path):
                    os.unlink(path)
        record = getattr(self, "by_path", {}).get(os.path.abspath(src))
        if record is None:
            return
        # Looked at again after the copy: a change made while it copied is dated now.
        if trusted_time(src) != record["trusted"]:
            self.date(record, src, when=" (it changed while being collected)")
        if record["distrust"]:
            stamp = record["timestamp"].replace(tzinfo=datetime.UTC).strftime(self.timestamp_format)
            with open(os.path.join(dest, "timestamp.txt"), "w") as fh:
                fh.write(stamp)

    def copy_files(self):
        # nbgrader's owner check only warns, after init_src has already dropped every folder not
        # owned by its student (or, per student, not in its student's folder, where every pod's
        # uid is the same and the warning would fire for everyone, drowning the real ones).
        self.check_owner = False
        super().copy_files()
        # Names for formgrader and the grade export, from the accounts (GECOS "First Last").
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            for record in self.src_records:
                first, last = full_name(record["username"])
                if first or last:
                    gb.update_or_create_student(record["username"], first_name=first, last_name=last)


def full_name(user: str) -> tuple[str, str]:
    """(first, last) from the account's full name (``useradd -c "First Last"``)."""
    try:
        name = pwd.getpwnam(user).pw_gecos.split(",")[0].strip()
    except KeyError:
        return "", ""
    if not name:
        return "", ""
    first, _, last = name.rpartition(" ")
    return (first, last) if first else ("", last)


class SecureReleaseFeedback(RootOwnedExchange, ExchangeReleaseFeedback):
    def copy_files(self):
        if per_student():
            self._per_student_copy()
            return
        super().copy_files()
        for path in glob.glob(os.path.join(self.dest_path, "*.html")):
            if owner_of(path) == pwd.getpwuid(os.geteuid()).pw_name:
                os.chmod(path, 0o644)


    def _per_student_copy(self):
        """nbgrader's release_feedback, with each student's files in ``feedback/<student>/``."""
        outer, everyone = self.dest_path, self.src_path
        for folder in sorted(glob.glob(self.coursedir.format_path(self.coursedir.feedback_directory, "*",
                                                                   self.coursedir.assignment_id))):
            student = os.path.basename(os.path.dirname(folder))
            if not PLAIN_ID.match(student) or (self.coursedir.student_id not in ("", "*", student)):
                continue
            os.makedirs(os.path.join(outer, student), exist_ok=True)
            self.dest_path, self.src_path = os.path.join(outer, student), folder
            try:
                ExchangeReleaseFeedback.copy_files(self)
            finally:
                self.dest_path, self.src_path = outer, everyone


def per_student() -> bool:
    return os.environ.get("CREATIVE_AI_EXCHANGE_LAYOUT", "") == "per-student"


FACTORY = {
    "list": "classroom_exchange.SecureList",
    "fetch_assignment": "classroom_exchange.SecureFetchAssignment",
    "fetch_feedback": "classroom_exchange.SecureFetchFeedback",
    "release_assignment": "classroom_exchange.SecureReleaseAssignment",
    "submit": "classroom_exchange.SecureSubmit",
    "collect": "classroom_exchange.SecureCollect",
    "release_feedback": "classroom_exchange.SecureReleaseFeedback",
}


def configure(c, exchange_root: str) -> None:
    """Point nbgrader config ``c`` at the classroom exchange with these classes."""
    c.Exchange.root = exchange_root
    for name, cls in FACTORY.items():
        setattr(c.ExchangeFactory, name, cls)
