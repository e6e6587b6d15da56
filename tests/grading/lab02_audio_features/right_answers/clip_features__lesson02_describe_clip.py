# Correct: lesson 02's own describe_clip, with the lesson's settings.
# From lesson: lessons/02_audio_features.ipynb
import librosa
import numpy as np

n_fft, hop_length, n_mels, n_mfcc = 2048, 512, 64, 20      # the lesson's parameters cell


def describe_clip(clip, sr):
    """48 numbers: mean and std over time of 20 MFCCs, centroid (kHz), flatness, RMS, onset strength."""
    S_clip = np.abs(librosa.stft(clip, n_fft=n_fft, hop_length=hop_length))
    log_mel_clip = librosa.power_to_db(librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels) @ S_clip**2)
    tracks_over_time = [*librosa.feature.mfcc(S=log_mel_clip, n_mfcc=n_mfcc),
                        librosa.feature.spectral_centroid(S=S_clip, sr=sr)[0] / 1000,
                        librosa.feature.spectral_flatness(S=S_clip)[0],
                        librosa.feature.rms(S=S_clip)[0],
                        librosa.onset.onset_strength(S=log_mel_clip, sr=sr)]
    return np.array([f(row) for row in tracks_over_time for f in (np.mean, np.std)])


def clip_features(y, sr):
    # Adapter: the lab also grades silence and very short clips, which the lesson never meets;
    # describe_clip gives finite numbers for them too (the check proves it), so nothing to add.
    return describe_clip(np.asarray(y, dtype=np.float32), sr)
