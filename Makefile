# The single entry point of the course. Every target sets up what is missing first
# (a virtual environment in .venv with the pinned packages), so each is safe to re-run.
#
#   make lab        open the course in JupyterLab
#   make test       run the whole test suite (what CI runs)
#   make help       everything else

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Two workers: one per core of the 2-core machines the course is budgeted for.
PYTEST_WORKERS ?= 2
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# nbgrader runs helper programs (alembic) and kernels from the environment: put it first on PATH.
export PATH := $(abspath $(BIN)):$(PATH)
# nbgrader runs from autograder/ (where its config is); each use is its own subshell.
# nbgrader through grader/nbgrader_main.py: the same command line, started 3 s faster (see there).
NBGRADER = (cd autograder && $(abspath $(BIN))/python grader/nbgrader_main.py $(1))
# Labs the instructor targets act on (default: every lab, as tools/course_layout.py defines it);
# e.g. make autograde LABS=lab01_recommendation
LABS ?= $(shell $(PYTHON) tools/course_layout.py)
# Submissions graded at once by make autograde (default: one per core).
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(os.cpu_count() or 1)')
# Every target depends on setup; `make ... SETUP=` skips it (used by tests on a copy of the course).
SETUP ?= setup

.PHONY: help setup lab test lint data benchmark release release-zip sample-submissions \
        autograde formgrader feedback grades report clean-grading clean \
        self-study check solution site site-fast browser-tools \
        classroom classroom-proxy classroom-user hub test-classroom

help:
	@echo "make lab           open the course in JupyterLab (sets up .venv first if needed)"
	@echo "make test          run the whole test suite, as CI does"
	@echo "make setup         only create/update the virtual environment"
	@echo "make data          rebuild the bundled datasets from their builders"
	@echo "make benchmark     time every notebook (fast and full mode) and autograding"
	@echo "make lint          ruff check"
	@echo "Self-learners (see README.md, Self-learners):"
	@echo "make self-study    your own copy of every lab, in my-labs/<lab>/"
	@echo "make check LAB=lab01_recommendation     grade your lab with the hidden tests: score, feedback, progress"
	@echo "make solution LAB=lab01_recommendation  the worked solution, after make check graded an attempt"
	@echo "make site          the course as an offline website in build/site/ (lessons executed in full mode)"
	@echo "make site-fast     the same with the lessons in fast mode (quicker)"
	@echo "Instructor workflow (see autograder/README.md):"
	@echo "make release       generate the student version of every lab"
	@echo "make release-zip   zip the student versions for your learning platform"
	@echo "make sample-submissions  sample student work to practise grading on"
	@echo "make autograde     autograde everything in autograder/submitted/ (sandboxed, all cores)"
	@echo "make formgrader    open JupyterLab with nbgrader's formgrader, to grade written answers"
	@echo "make feedback      write HTML feedback for every graded submission"
	@echo "make grades        export the gradebook to autograder/grades.csv (nbgrader's layout)"
	@echo "make grades FORMAT=canvas|moodle|blackboard  the layout your learning platform imports"
	@echo "make report        one HTML page per lab: where the class lost points and why, similar submissions"
	@echo "Classroom hub (JupyterHub for a class; see docs/classroom.md):"
	@echo "make classroom     set up the hub on this machine (as root): groups, exchange, gradebook"
	@echo "make classroom-user NAME=alice ROLE=student|ta|instructor FULL_NAME='Alice Smith'  add a user (password on stdin)"
	@echo "make hub           start JupyterHub (and the PostgreSQL gradebook)"
	@echo "make test-classroom  the hub end to end, sharded grading, isolation (slow; after make test)"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: install it, or run make PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || \
	  { echo "Python 3.11 is needed, $(PYTHON) is $$($(PYTHON) --version 2>&1). Run make PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"
	$(BIN)/python -m pip install --quiet -e ".[dev,site]"
	$(BIN)/python tools/warm_up.py || echo "warning: librosa warm-up failed; lesson 02 will compile on first use"
	@$(BIN)/python autograder/grader/sandbox.py --only-if-unsandboxed || true
	touch $(STAMP)
	@# the grader's warm caches (autograder/grader/warm.py), keyed to the stamp just written: built
	@# here, not by the first `make autograde` or `make test` (about 30 s)
	$(BIN)/python autograder/grader/warm.py || echo "warning: the grader's warm caches were not built; the first grading builds them"

# The course's own JupyterLab settings (jupyter/): no "get notified about Jupyter news?" prompt, no
# update check, and none of nbgrader's instructor tools (Create Assignment, Formgrader, Courses);
# `make formgrader` is the instructor's JupyterLab.
lab: $(SETUP)
	JUPYTER_CONFIG_PATH="$(abspath jupyter)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  $(BIN)/jupyter lab $(ROOT_FLAG) --LabApp.app_settings_dir="$(abspath jupyter/lab/settings)" \
	  $(LAB_FLAGS) --notebook-dir=. lessons/00_orientation.ipynb

# Unit, data and grading tests (tests/) and every notebook under nbval (lessons/, labs/): see
# pyproject.toml and conftest.py. loadgroup keeps each notebook's cells on one worker.
test: $(SETUP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --max-worker-restart=0 --durations=40

lint: $(SETUP)
	$(BIN)/ruff check creative_ai tests datasets tools autograder classroom

data: $(SETUP)
	@for builder in datasets/*/build.py; do echo "== $$builder"; $(BIN)/python $$builder || exit 1; done

benchmark: $(SETUP)
	$(BIN)/python tools/benchmark.py

release: $(SETUP)
	@for lab in $(LABS); do $(call NBGRADER,generate_assignment $$lab --force) || exit 1; done
	$(BIN)/python tools/check_release.py $(LABS)
	@echo "Student versions are in autograder/release/<lab>/"

release-zip: release
	@for lab in $(LABS); do rm -f autograder/$$lab-student.zip; \
	  (cd autograder/release && $(abspath $(BIN))/python -m zipfile -c ../$$lab-student.zip $$lab) || exit 1; done
	$(BIN)/python tools/check_release.py --zips $(LABS)
	@echo "Zips for students: autograder/<lab>-student.zip"

sample-submissions: release
	$(BIN)/python tools/submissions.py $(LABS)

# SHARD=K/N grades only shard K of N (several machines, or a Kubernetes Indexed Job, split the
# submissions); a plain `make autograde` afterwards records every shard's results. See
# docs/classroom.md, "Grading on several machines".
autograde: $(SETUP)
	$(BIN)/python autograder/grader/cli.py autograde --course autograder --workers $(WORKERS) \
	  $(if $(SHARD),--shard $(SHARD)) $(LABS)

# Manual grading: JupyterLab served from autograder/, where nbgrader finds nbgrader_config.py (and
# so the gradebook in autograder/), with the course environment first on PATH (nbgrader runs
# alembic) and formgrader_security.py hardening formgrader's pages. FORMGRADER_FLAGS adds server
# options (e.g. FORMGRADER_FLAGS="--port=8890 --no-browser").
formgrader: $(SETUP)
	cd autograder && PYTHONPATH="$(abspath autograder)$${PYTHONPATH:+:$$PYTHONPATH}" \
	  $(abspath $(BIN))/jupyter lab $(ROOT_FLAG) --notebook-dir=. \
	  --ServerApp.jpserver_extensions=formgrader_security=True $(FORMGRADER_FLAGS)

feedback: $(SETUP)
	@for lab in $(LABS); do \
	  if ls -d autograder/autograded/*/$$lab >/dev/null 2>&1; then \
	    $(call NBGRADER,generate_feedback $$lab --force) || exit 1; fi; done
	@echo "Feedback HTML is in autograder/feedback/<student>/<lab>/"

# FORMAT=csv (default): nbgrader's own export. canvas, moodle, blackboard: the platform's import
# layout, from the roster ROSTER (default autograder/roster.csv; see autograder/README.md, step 7).
FORMAT ?= csv
ROSTER ?= autograder/roster.csv
COLUMNS ?= autograder/platform_columns.csv
MISSING ?= zero
MOODLE_ID ?= email
grades: $(SETUP)
ifeq ($(FORMAT),csv)
	$(call NBGRADER,export --to grades.csv)
	@echo "Grades written to autograder/grades.csv"
else
	$(BIN)/python autograder/insight/grades_export.py $(FORMAT) --course autograder --roster $(ROSTER) \
	  --columns $(COLUMNS) --missing $(MISSING) --moodle-id $(MOODLE_ID)
endif

# One self-contained HTML page per lab with graded submissions: autograder/reports/<lab>.html.
report: $(SETUP)
	$(BIN)/python autograder/insight/report.py --course autograder $(LABS)

# Self-study edition (tools/self_study.py): the learner's labs live in $(MY_LABS)/.
MY_LABS ?= my-labs
self-study: $(SETUP)
	$(BIN)/python tools/self_study.py --home $(MY_LABS) setup

check: $(SETUP)
	@test -n "$(LAB)" || { echo "Say which lab: make check LAB=<lab>, one of: $(LABS)"; exit 1; }
	$(BIN)/python tools/self_study.py --home $(MY_LABS) check $(LAB)

solution: $(SETUP)
	@test -n "$(LAB)" || { echo "Say which lab: make solution LAB=<lab>, one of: $(LABS)"; exit 1; }
	$(BIN)/python tools/self_study.py --home $(MY_LABS) solution $(LAB)

# The course website (tools/build_site.py, website/conf.py): build/site/index.html, offline.
site: $(SETUP)
	$(BIN)/python tools/build_site.py --mode full

site-fast: $(SETUP)
	$(BIN)/python tools/build_site.py --mode fast

# The browser test's accessibility checker (npm axe-core, MPL-2.0), pinned in tests/browser_tools/.
browser-tools:
	cd tests/browser_tools && npm ci --no-audit --no-fund

clean-grading:
	rm -rf autograder/release autograder/autograded autograder/feedback autograder/gradebook.db \
	       autograder/grades.csv autograder/grades-*.csv autograder/*-student.zip autograder/runs autograder/reports

clean: clean-grading
	rm -rf $(VENV) .pytest_cache

# ---- Classroom hub (docs/classroom.md) ----
# CLASSROOM_FLAGS passes options to classroom/setup.py init, e.g. "--postgres --ip 0.0.0.0 --port 8000
# --exchange /srv/nbgrader/exchange --admin alice".
CLASSROOM_FLAGS ?= --postgres

# The hub's proxy, configurable-http-proxy, pinned in classroom/node/package.json (and its lock file).
classroom-proxy:
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed to install configurable-http-proxy, the hub's proxy (Debian/Ubuntu: sudo apt-get install npm; or install Node.js 20+ from nodejs.org)"; exit 1; }
	cd classroom/node && npm ci --no-audit --no-fund --loglevel=error
	@classroom/node/node_modules/.bin/configurable-http-proxy --version

classroom: $(SETUP) classroom-proxy
	$(BIN)/python classroom/setup.py init $(CLASSROOM_FLAGS)

ROLE ?= student
classroom-user: $(SETUP)
	@test -n "$(NAME)" || { echo "usage: make classroom-user NAME=<unix user> ROLE=student|ta|instructor (password on stdin)"; exit 1; }
	$(BIN)/python classroom/setup.py add-user $(NAME) --role $(ROLE) --full-name "$(FULL_NAME)"

hub: $(SETUP)
	$(BIN)/python classroom/setup.py postgres start
	$(BIN)/jupyterhub -f classroom/jupyterhub_config.py

# Slow (a real hub, real users, real grading): run after `make test`, as .ci/run does.
test-classroom: $(SETUP)
	$(BIN)/python -m pytest -p no:cacheprovider -n 0 --durations=10 classroom/tests
