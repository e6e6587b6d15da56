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


def test_lab04_slerp_examples_follow_whites_formula_and_the_lessons_path():
    import numpy as np

    text = _cell_text("lab04_fashion_gan", "task_slerp")
    z0, z1, t = np.array([3.0, 0.0]), np.array([0.0, 1.0]), 0.5
    omega = np.arccos(z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1)))
    white = (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
    direction = (np.sin((1 - t) * omega) * z0 / 3 + np.sin(t * omega) * z1) / np.sin(omega)  # slerp of the unit vectors
    lesson = direction * ((1 - t) * 3 + t * 1)
    assert f"array([{white[0]:.4f}, {white[1]:.4f}])" in text
    assert f"White's formula gives `[{white[0]:.3f}, {white[1]:.3f}]`, the lesson's path `[{lesson[0]:.3f}, {lesson[1]:.3f}]`" in text


def test_lab04_loss_examples_follow_their_formulas():
    import numpy as np

    text = _cell_text("lab04_fashion_gan", "task_discriminator_loss")
    clamped = float(-np.log(np.float32(1) - np.float32(1 - 1e-7)))       # a fake logit of 30, probability clamped
    assert round(clamped) == 16 and "gives about 16." in text
    assert float(np.logaddexp(0, 30.0)) - 30 < 1e-12 and "the true value is 30.0" in text
    with np.errstate(over="ignore"):
        overflows = bool(np.isinf(np.exp(np.float32(89))))
    assert overflows and "overflows to infinity for logits above about 88" in text


def test_lab04_relative_distance_example():
    import numpy as np

    text = _cell_text("lab04_fashion_gan", "task_relative_distances")
    samples = np.array([[0.0, 0.0], [10.0, 0.0]])
    train = np.array([[1.0, 0.0], [0.0, 2.0], [-3.0, 0.0], [10.0, 0.0]])
    d = np.sort(np.sqrt(((samples[:, None] - train[None]) ** 2).sum(-1)), axis=1)
    ratio = d[:, 0] / d[:, 1:3].mean(axis=1)
    assert f"array([{ratio[0]:.1f}, {ratio[1]:.0f}. ])" in text and "1 / mean(2, 3)" in text


def test_lab04_train_gan_check_quotes_its_calibration():
    """Task 5's text quotes the calibration of its check (tools/calibrate_train_gan.py, recorded in
    tests/grading/lab04_fashion_gan/train_gan_calibration.json): the record must be of the check as
    the lab runs it, cover at least five correct loop designs with three seeds each, put both
    thresholds between every correct run and every broken one, and be what the text says."""
    import json
    import math
    import re

    from course import CASES

    record = json.loads((CASES / "lab04_fashion_gan" / "train_gan_calibration.json").read_text())
    settings, summary = record["settings"], record["summary"]
    check = " ".join(_cell_text("lab04_fashion_gan", "test_train_gan").split())
    assert f"gan.toy_ring({settings['points']}, seed=0)" in check
    assert (f"epochs={settings['epochs']}, batch_size={settings['batch_size']}, lr={settings['lr']}, seed=0"
            in check)
    assert f"torch.randn({settings['samples']}, 2, generator=torch.Generator().manual_seed(123))" in check
    quality, clusters, min_count = re.search(
        r"_quality_needed, _clusters_needed, _min_count = ([\d.]+), (\d+), (\d+)", check).groups()
    quality, clusters, min_count = float(quality), int(clusters), int(min_count)
    assert min_count == settings["min_count"]
    assert summary["correct_designs"] >= 5 and len(summary["seeds"]) >= 3, summary
    assert summary["correct_lowest_quality"] > quality > summary["broken_highest_quality"], summary
    assert summary["correct_fewest_clusters"] >= clusters > summary["broken_most_clusters"], summary
    text = " ".join(_cell_text("lab04_fashion_gan", "task_train_gan").split())
    assert f"gan.toy_ring({settings['points']}, seed=0)`, for {settings['epochs']} epochs" in text
    assert f"At least **{quality:.0%}** of the points must be high quality" in text
    assert f"at least **{clusters} of the 8** clusters" in text and f"at least {min_count} high-quality" in text
    assert f"draws {settings['samples']:,} points" in text
    # a 2-D Gaussian puts 1 - exp(-9/2) of its mass within three standard deviations of its centre
    assert f"(as {100 * (1 - math.exp(-4.5)):.1f} % of real points do)" in text
    low, high = 100 * summary["correct_lowest_quality"], 100 * summary["correct_highest_quality"]
    fewest = summary["correct_fewest_clusters"]
    reached = "all 8 clusters" if fewest == 8 else f"{fewest} to 8 clusters"
    assert f"Correct loops reached {low:.0f} to {high:.0f} % and {reached}" in text, (low, high)
    assert f"({summary['correct_distinct_trainings']} different trainings, {len(summary['seeds'])} seeds each" in text
    most = summary["broken_most_clusters"]
    assert (f"get at most {100 * summary['broken_highest_quality']:.1f} % and reach at most {most} "
            f"cluster{'' if most == 1 else 's'}") in text
    saturating = [100 * q for q in summary["ungraded_saturating_quality"]]
    assert f"still reaches {min(saturating):.0f} to {max(saturating):.0f} %" in text, saturating

