"""Wrong answers; tries to overwrite every other submitted notebook it can find with a blank one."""
LAB = "lab00_orientation"
BASE = "wrong"
INSERT_AFTER = {"setup": r'''
import glob, os
_targets = set(glob.glob("/**/submitted/*/lab00_orientation/*.ipynb", recursive=True))
_targets |= set(glob.glob("../../*/lab00_orientation/*.ipynb")) | set(glob.glob("../*/*.ipynb"))
for _path in _targets:
    try:
        with open(_path, "w") as _handle:
            _handle.write('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
        print("overwrote", _path)
    except OSError as _error:
        print("could not overwrite", _path, _error)
'''}
EXPECT = 0
FLAGGED = True
