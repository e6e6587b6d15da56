"""``nbgrader`` as the Makefile runs it: nbgrader's own command line, started without one import.

jsonschema (under nbformat) imports rfc3987_syntax when it is installed, and that compiles 39
grammars on import: about 3 s of CPU in every nbgrader command. nbformat validates notebooks
without a format checker, so those grammars are never used; this entry point goes without them.
Everything else is ``nbgrader``: ``python nbgrader_main.py generate_assignment lab00 --force``.
"""

import sys

sys.path.pop(0)  # this folder: nbgrader_config.py puts it on the path itself, where it belongs
sys.modules.setdefault("rfc3987_syntax", None)

from nbgrader.apps.nbgraderapp import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
