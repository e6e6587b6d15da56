"""Compile librosa's numba code once, at set-up time (`make setup` runs this).

librosa's first feature calls in a new environment compile numba code for about 30 s. Doing it
here, on a synthetic signal, saves learners that unexplained pause in lesson 02 and lab 02;
the compiled code is cached on disk for every later kernel.
"""

import time

import numpy as np


def main() -> None:
    import librosa

    start = time.perf_counter()
    sr = 22050
    t = np.arange(2 * sr) / sr
    for y in (np.sin(2 * np.pi * 440 * t).astype(np.float32), np.sin(2 * np.pi * 220 * t)):
        librosa.feature.melspectrogram(y=y, sr=sr)
        librosa.feature.mfcc(y=y, sr=sr)
        librosa.feature.chroma_stft(y=y, sr=sr)
        onset_env = librosa.onset.onset_strength(y=y, sr=sr)
        librosa.beat.beat_track(onset_envelope=onset_env, sr=sr)
        librosa.feature.tempo(onset_envelope=onset_env, sr=sr)
        librosa.feature.spectral_centroid(y=y, sr=sr)
        librosa.feature.zero_crossing_rate(y)
    print(f"librosa warmed up in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
