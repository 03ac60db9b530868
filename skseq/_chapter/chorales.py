"""The chapter's Bach chorales exercise (used by ``skseq reproduce``).

Predict the next note of Bach's chorales, then generate new chorales note by note.
As in the book's solution, each chord of four voices is unrolled into four notes
(an arpeggio), notes are shifted so that 0 is silence and 36..81 become 1..46 (47
classes), and the model reads windows of 32 chords (plus one, for the targets)
taken every 16 chords. The model is the book's: ``Embedding(47, 5)``, four causal
Conv1D layers (32, 48, 64, 96 filters, dilations 1, 2, 4, 8, ReLU) each with batch
normalisation, ``LSTM(256)`` and a softmax at every step, trained 20 epochs with
Nadam at 1e-3 -- one :class:`~skseq.NextStepClassifier`.
"""

import csv
import time
import wave

import numpy as np

from ..datasets import load_chorales
from ..estimators import NextStepClassifier
from ..windowing import window_view
from ._common import (
    compare_with_book,
    format_mean_std,
    format_rows,
    mark_other_epochs,
    mean_std,
    plot_book_vs_skseq,
    report,
    save_figure,
)

__all__ = [
    "run",
    "format_table",
    "save_figures",
    "compose",
    "make_chorale_windows",
    "repeat_voice_accuracy",
]

TITLE = "Bach chorales (exercise), next-note accuracy"
# Every file save_figures may write (removed before a new run's).
FIGURE_FILES = (
    "chorales_accuracy.png",
    "generated_chorale.csv",
    "generated_chorale.wav",
    "generated_chorale.png",
)
NOTES = [
    "Accuracy: share of the notes of each window predicted right from the notes "
    "before them (every step but the first of a window scored). skseq: mean ± "
    "standard deviation over the seeds (random_state 42, 43, ...); the book's "
    "figure 'holds' when within 2 standard errors of the seed noise plus its "
    "rounding.",
]

BOOK_TEST_ACCURACY = 0.816
BOOK_EPOCHS = 20
SEED = 42
MIN_NOTE = 36  # lowest piano key of the data set; 0 is silence
N_CLASSES = 47  # silence and keys 36..81
WINDOW, SHIFT = 32, 16  # chords per window, chords between window starts


def to_classes(chorale):
    """Chords of piano keys -> the same shape of classes 0 (silence) .. 46."""
    return np.where(chorale == 0, 0, chorale - MIN_NOTE + 1)


def to_keys(classes):
    """Inverse of :func:`to_classes`."""
    return np.where(classes == 0, 0, classes + MIN_NOTE - 1)


def make_chorale_windows(chorales, window=WINDOW, shift=SHIFT):
    """Arpeggios of ``window + 1`` chords every ``shift`` chords, as in the book:
    an array of shape (n_windows, 4 * (window + 1)) of note classes."""
    windows = np.concatenate(
        [
            window_view(to_classes(np.asarray(chorale)), window + 1, stride=shift)
            for chorale in chorales
            if len(chorale) > window
        ]
    )
    return windows.reshape(len(windows), -1)


def repeat_voice_accuracy(windows):
    """Next-note accuracy of the baseline without training: each voice repeats
    its note of the chord before (4 notes earlier). Scored on the targets
    ``NextStepClassifier.score`` has (every note after a window's first); those
    of the first chord, with no chord before them, count as misses."""
    windows = np.asarray(windows)
    hits = windows[:, 4:] == windows[:, :-4]
    return float(hits.sum() / (windows.shape[0] * (windows.shape[1] - 1)))


# The book trains at a constant learning rate and keeps the last epoch's weights;
# the classifiers' defaults (a plateau schedule, best weights kept) would not.
BOOK_TRAINING = {"reduce_lr_patience": None, "restore_best_weights": False}


def make_model(quick, epochs, random_state=42):
    if quick:
        return NextStepClassifier(
            32,
            conv_filters=(16, 16),
            batch_norm=True,
            vocab_size=N_CLASSES,
            embedding_dim=5,
            optimizer="nadam",
            epochs=epochs,
            random_state=random_state,
            **BOOK_TRAINING,
        )
    return NextStepClassifier(
        256,
        conv_filters=(32, 48, 64, 96),
        dilation_rates=(1, 2, 4, 8),
        batch_norm=True,
        vocab_size=N_CLASSES,
        embedding_dim=5,
        optimizer="nadam",
        learning_rate=1e-3,
        epochs=epochs,
        batch_size=32,
        verbose=2,
        random_state=random_state,
        **BOOK_TRAINING,
    )


def compose(model, seed_chords, n_chords, temperature, random_state):
    """Extend ``seed_chords`` (piano keys) by ``n_chords`` sampled chords."""
    seed = to_classes(seed_chords).reshape(-1)
    notes = model.generate(
        seed, 4 * n_chords, temperature=temperature, random_state=random_state
    )
    return to_keys(notes.reshape(-1, 4))


def write_chorale_csv(chords, path):
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([f"note{voice}" for voice in range(4)])
        writer.writerows(chords.tolist())


def synthesize(chords, tempo=160, sample_rate=22050, amplitude=0.1):
    """Sum of sines, one per sounding voice, each chord lasting one beat.

    Keys are MIDI note numbers: key 69 is A4 at 440 Hz; silence (0) is mute.
    """
    duration = 60 / tempo
    t = np.arange(int(duration * sample_rate)) / sample_rate
    frequencies = 440.0 * 2.0 ** ((chords - 69) / 12.0)
    sounding = chords > 0
    # (n_chords, 4, n_samples) sines, muted where the voice is silent
    waves = np.sin(2 * np.pi * frequencies[:, :, np.newaxis] * t) * sounding[..., None]
    # Fade each chord in and out over 5 ms so that chord changes do not click.
    fade = np.minimum(1.0, np.minimum(t, duration - t) / 0.005)
    return (amplitude * waves.sum(axis=1) * fade).reshape(-1)


def write_wav(signal, path, sample_rate=22050):
    samples = np.clip(signal, -1, 1) * 32767
    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(sample_rate)
        file.writeframes(samples.astype("<i2").tobytes())


def run(quick=False, epochs=None, fitted=None, n_seeds=None):
    """Train the book's model over seeds and score it; return (results, settings).

    ``quick`` trains a small model for 1 epoch on 20 chorales, with one seed: a
    smoke test. The full run fits the book's model with ``random_state`` 42, 43
    and 44 (``n_seeds`` overrides the number).
    """
    train, valid, test = load_chorales()
    if quick:
        train, valid, test = train[:20], valid[:5], test[:5]
    given = epochs
    epochs = epochs or (1 if quick else BOOK_EPOCHS)
    n_seeds = n_seeds or (1 if quick else 3)
    X_train, X_valid, X_test = (make_chorale_windows(s) for s in (train, valid, test))
    scores = {"test": [], "valid": []}
    start = time.perf_counter()
    for index in range(n_seeds):
        model = make_model(quick, epochs, random_state=SEED + index)
        model.set_params(verbose=0)
        model.fit(X_train)
        scores["test"].append(model.score(X_test))
        scores["valid"].append(model.score(X_valid))
        if fitted is not None and index == 0:
            fitted["model"] = model
            fitted["seed_chords"] = test[2 % len(test)][:8]
    seconds = time.perf_counter() - start
    baseline = {
        name: repeat_voice_accuracy(X)
        for name, X in zip(("test", "valid"), (X_test, X_valid), strict=True)
    }
    results = [
        _result(
            "test",
            f"{BOOK_TEST_ACCURACY:.3f}",
            scores["test"],
            seconds,
            baseline=baseline["test"],
        ),
        _result("valid", "-", scores["valid"], seconds, baseline=baseline["valid"]),
    ]
    report(
        f"{type(model).__name__} (chorales)",
        f"test accuracy {format_mean_std(results[0]['skseq'], results[0]['std'])}",
        seconds,
    )
    mark_other_epochs(results, given, BOOK_EPOCHS)
    settings = {
        "epochs": epochs,
        "n_seeds": n_seeds,
        "n_windows": (len(X_train), len(X_valid), len(X_test)),
    }
    return results, settings


def _result(name, book, scores, seconds, baseline=None):
    mean, std = mean_std(scores)
    return {
        "set": name,
        "book": book,
        "skseq": mean,
        "std": std,
        "n_seeds": len(scores),
        "scores": " ".join(f"{score:.4f}" for score in scores),
        "verdict": compare_with_book(book, mean, std, len(scores)),
        "seconds": seconds,
        "baseline": baseline,
    }


def describe(settings):
    """First line printed above the table."""
    train, valid, test = settings["n_windows"]
    return (
        f"Bach chorales: windows of {WINDOW + 1} chords, {train} train / {valid} "
        f"valid / {test} test, {settings['epochs']} epoch(s), "
        f"{settings['n_seeds']} seed(s), next-note accuracy"
    )


# Printed under the table when the book's figure is not reached.
DIFFERS_NOTE = (
    "The book's 0.816 is beyond skseq's seed noise here. Measured 2026-12-07 (3 "
    "seeds, 2 CPU cores, TensorFlow 2.21, Keras 3.15): 0.8174 ± 0.0042, which "
    "holds; before, 0.809 ± 0.001, when a seeded fit on TensorFlow trained every "
    "epoch on one batch order. Untested candidates for a gap: Keras 3's Nadam "
    "against the Keras 2 one the book used, and more than 20 epochs."
)


def format_table(results):
    """Render the results: set | book | skseq (mean ± std) | verdict | time, the
    baseline's accuracy per set, and ``DIFFERS_NOTE`` when the book's figure
    differs beyond the noise."""
    table = format_rows(
        ("set", "book", "skseq", "verdict", "training time (all seeds)"),
        [
            (
                r["set"],
                r["book"],
                format_mean_std(r["skseq"], r["std"]),
                r["verdict"],
                f"{r['seconds']:.0f} s",
            )
            for r in results
        ],
    )
    lines = [table]
    baselines = [r for r in results if r.get("baseline") is not None]
    if baselines:
        scores = ", ".join(f"{r['set']} {r['baseline']:.3f}" for r in baselines)
        lines.append(
            "Baseline without training, each voice repeats its previous note: "
            f"{scores}."
        )
    if any(r["verdict"] == "differs" for r in results):
        lines.append(DIFFERS_NOTE)
    return "\n".join(lines)


def save_figures(results, fitted, folder):
    """Save ``chorales_accuracy.png`` (skseq's accuracy per set, mean ± std and
    each seed, beside the book's), then compose a chorale from a test chorale's
    first 8 chords and save it as CSV, WAV and a piano-roll PNG; return the
    paths."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 2.5), layout="constrained")
    plot_book_vs_skseq(ax, [f"{r['set']} [{r['verdict']}]" for r in results], results)
    ax.set_xlim(0.0, 1.0)  # bars start at zero, or their lengths mislead
    ax.set_xlabel("next-note accuracy")
    ax.set_title(TITLE)
    accuracy_path = save_figure(fig, folder, "chorales_accuracy.png")

    chords = compose(fitted["model"], fitted["seed_chords"], 56, 0.8, 42)
    paths = [folder / "generated_chorale.csv", folder / "generated_chorale.wav"]
    write_chorale_csv(chords, paths[0])
    write_wav(synthesize(chords), paths[1])
    fig, ax = plt.subplots(figsize=(9, 3.5), layout="constrained")
    steps = np.arange(len(chords))
    for voice in range(chords.shape[1]):
        keys = np.where(chords[:, voice] > 0, chords[:, voice], np.nan)
        ax.step(steps, keys, where="post", label=f"voice {voice + 1}")
    ax.axvline(len(fitted["seed_chords"]), color="k", linestyle=":", label="seed end")
    ax.set_xlabel("chord")
    ax.set_ylabel("piano key")
    ax.set_title("Generated chorale (temperature 0.8)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # off the notes
    paths.append(save_figure(fig, folder, "generated_chorale.png"))
    return [accuracy_path, *paths]
