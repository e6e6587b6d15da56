"""Numbers that lab instructions quote are recomputed here, so text and data cannot drift apart.

Lessons print the numbers their prose quotes in cells marked ``# NBVAL_CHECK_OUTPUT`` (nbval
checks them); a lab's task text is locked markdown, read by students before they run anything,
so its numbers are checked by this file instead: each test rebuilds the sentence from the data
or the formula and looks for it in the notebook.
"""

from __future__ import annotations

import librosa
from course import lab_notebook, read

from creative_ai.data import CLIP_SECONDS, SAMPLE_RATE, load_tracks, load_users


def _cell_text(lab_id: str, cell_id: str) -> str:
    cells = {cell.get("id"): cell.source for cell in read(lab_notebook(lab_id)).cells}
    return " ".join(cells[cell_id].split())  # line breaks folded into spaces


def test_lab01_describes_the_music_service_it_uses():
    text = _cell_text("lab01_recommendation", "intro")
    assert f"({len(load_users()):,} listeners, {len(load_tracks())} tracks)" in text


def test_lab02_describes_its_clips():
    text = _cell_text("lab02_audio_features", "intro")
    assert f"{len(load_tracks())} four-second clips at {SAMPLE_RATE:,} Hz" in text and CLIP_SECONDS == 4.0


def test_lab02_mel_examples_follow_the_htk_formula():
    text = _cell_text("lab02_audio_features", "task_mel_scale")
    for hz in (700.0, 1000.0):
        mel = float(librosa.hz_to_mel(hz, htk=True))
        assert f"hz_to_mel({hz})` → `{int(mel * 100) / 100:.2f}…" in text, (hz, mel)


def test_lab02_tempo_examples_follow_the_lag_formula():
    text = _cell_text("lab02_audio_features", "task_tempo")

    def bpm(lag, sr=22050, hop=512):
        return 60 * sr / (hop * lag)

    assert f"lag 21 is {bpm(21):.1f} BPM and lag 22 is {bpm(22):.1f} BPM" in text
    assert f"`{bpm(20):.1f}` BPM" in text


def test_lab02_states_the_majority_genre_share():
    text = _cell_text("lab02_audio_features", "task_clip_features")
    genres = load_tracks()["genre"].value_counts(normalize=True)
    assert f"({len(genres)} genres, most common {100 * genres.max():.1f} %)" in text
