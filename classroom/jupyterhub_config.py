"""JupyterHub configuration for the course on one machine (started by `make hub`).

Everything site-specific comes from the settings file that `make classroom` writes
(``classroom/state/settings.json``, or the file ``CREATIVE_AI_CLASSROOM_SETTINGS`` names):
the course folder, the exchange, the Unix groups, the gradebook and the address. See
docs/classroom.md for the whole design.

* Users are local Unix users, logged in with PAM (JupyterHub's default authenticator) and
  started with the standard LocalProcessSpawner: each server runs as its own user, with the
  course environment's Python (``<course>/.venv``) and kernel.
* Members of the graders group (instructor, TAs) get formgrader — hardened by
  ``autograder/formgrader_security.py`` — in ``<course>/autograder/``, and the gradebook URL.
  Members of the students group get the *Assignments* tab only, in their home folder.
* The proxy is configurable-http-proxy from npm (``make classroom-proxy`` installs the pinned
  version into ``classroom/node/``).
"""

import shlex
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import settings as classroom_settings  # noqa: E402

S = classroom_settings.load()
COURSE = Path(S["course"])
VENV_BIN = COURSE / ".venv" / "bin"

c = get_config()  # noqa: F821

c.JupyterHub.ip = S.get("ip", "127.0.0.1")
c.JupyterHub.port = int(S.get("port", 8000))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(S.get("hub_port", 8081))
state = Path(S["state"])
c.JupyterHub.db_url = "sqlite:///" + str(state / "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(S.get('proxy_api_port', 8001))}"
chp = HERE / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(chp)]
c.ConfigurableHTTPProxy.should_start = True

# PAM: local Unix accounts; only members of the course's groups may log in.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_groups = {S["students_group"], S["graders_group"]}
c.Authenticator.admin_users = set(S.get("admins", []))
c.PAMAuthenticator.open_sessions = False

c.JupyterHub.spawner_class = "localprocess"
# A class logging in at once: 30 servers starting together on 2 busy cores did not answer within
# JupyterHub's default 30 s, nor within 120 s (docs/classroom.md, "Load"); allow 5 minutes.
c.Spawner.start_timeout = int(S.get("start_timeout", 300))
c.Spawner.http_timeout = int(S.get("http_timeout", 300))
c.Spawner.default_url = "/lab"
# Idle servers are stopped by the server itself after this many seconds without activity.
c.Spawner.args = [f"--ServerApp.shutdown_no_activity_timeout={int(S.get('idle_timeout', 3600))}",
                  "--MappingKernelManager.cull_idle_timeout=1800",
                  "--MappingKernelManager.cull_interval=300"]


def pre_spawn(spawner):
    user = spawner.user.name
    grader = classroom_settings.is_grader(S, user)
    spawner.environment.update(classroom_settings.server_environment(S, user))
    if grader:
        # Formgrader reads the course's nbgrader_config.py from the server's working folder (as
        # `make formgrader` does it: cd autograder), and shows that folder.
        spawner.notebook_dir = str(COURSE / "autograder")
        start = f"cd {shlex.quote(str(COURSE / 'autograder'))} && umask 0007"  # graders share files by group
    else:
        spawner.notebook_dir = "~"
        start = "umask 0077"  # a student's files are theirs alone
    # The server runs as the user, with the course environment, under the umask of its role.
    singleuser = shlex.quote(str(VENV_BIN / "jupyterhub-singleuser"))
    spawner.cmd = ["/bin/sh", "-c", f'{start} && exec {singleuser} "$@"', "jupyterhub-singleuser"]


c.Spawner.pre_spawn_hook = pre_spawn

c.JupyterHub.log_level = S.get("log_level", "INFO")
