"""nbgrader configuration for students' servers on the classroom hub (found through
JUPYTER_CONFIG_PATH, which the hub sets). Students have no course folder: only the course id and
the exchange, with the classes that keep each submission private (classroom_exchange.py)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
import classroom_exchange  # noqa: E402

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ.get("CREATIVE_AI_COURSE_ID", "creative-ai")
classroom_exchange.configure(c, os.environ["CREATIVE_AI_EXCHANGE"])
