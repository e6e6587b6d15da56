"""Compile librosa's numba code once, at set-up time (`make setup` runs this).

librosa's first feature calls in a new environment compile numba code for about 30 s. Doing it
here, on a synthetic signal, saves learners that unexplained pause in lesson 02 and lab 02;
the compiled code is cached on disk for every later kernel.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from creative_ai.audio import exercise_librosa

    start = time.perf_counter()
    exercise_librosa()
    print(f"librosa warmed up in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
