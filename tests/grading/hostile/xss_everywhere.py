"""Correct answers; a written answer, cell outputs and files of the submission carry script that
would act with the instructor's session (formgrader) or in the student's feedback page, and
images that would make formgrader run the student's own nbgrader_config.py."""
LAB = "lab00_orientation"
BASE = "solution"
_MARK = "document.documentElement.setAttribute('data-pwned', '{}'); document.title = 'PWNED'"
REPLACE = {"written_conditional_rates": f"""Creative research is more likely to use AI here.
<script>{_MARK.format("markdown script")}</script>
<img src="x" onerror="{_MARK.format("markdown onerror")}">
<svg onload="{_MARK.format("markdown svg")}"></svg>
<iframe srcdoc="<script>parent.{_MARK.format("markdown iframe")}</script>"></iframe>
<math><mtext><table><mglyph><style><img src=x onerror="{_MARK.format("mutation")}"></style></mglyph></table></mtext></math>
[a link](javascript:{_MARK.format("markdown link")})
[another](files/javascript:{_MARK.format("files prefix")})
[my notes](evil.html)
[students](/formgrader/manage_students/%22%3Bdocument.title%3D%22PWNED%22%3B%2F%2F)
<img src="/formgrader/?path=submitted/xss_everywhere/lab00_orientation" alt="loads nbgrader_config.py below">
<img src="../../../?path=autograded/xss_everywhere/lab00_orientation" alt="the same, relative">
<form action="/api/contents" method="post"><input name="x"><button>Save</button></form>
"""}
INSERT_AFTER = {"together_intro": f"""
from IPython.display import HTML, Markdown, SVG, Javascript, display
display(HTML("<b>bold</b><script>{_MARK.format("html output")}</script>"))
display(Markdown('<img src="x" onerror="{_MARK.format("markdown output")}">'))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg"><script>{_MARK.format("svg output")}</script></svg>'))
display(Javascript("{_MARK.format("javascript output")}"))
print("<script>{_MARK.format("printed text")}</script>")
"""}
# nbgrader's formgrader runs DIR/nbgrader_config.py on GET /formgrader/?path=DIR (the images above)
RCE_MARKER = "/tmp/creative-ai-hostile-formgrader-ran-student-config"
FILES = {"evil.html": f"<html><body><script>{_MARK.format('submitted file')}</script></body></html>",
         "evil.js": _MARK.format("submitted script"),
         "nbgrader_config.py": f"open({RCE_MARKER!r}, 'w').write('the student ran code in the Jupyter server')\n"}
EXPECT = 8
BROWSER = True
