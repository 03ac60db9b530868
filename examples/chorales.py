"""Reproduce the chapter's Bach chorales exercise with skseq, and compose a chorale.

The exercise of "Processing Sequences Using RNNs and CNNs": predict the next note
of Bach's chorales, then generate new chorales note by note. As in the book's
solution, each chord of four voices is unrolled into four notes (an arpeggio),
notes are shifted so that 0 is silence and 36..81 become 1..46 (47 classes), and
the model reads windows of 32 chords (plus one, for the targets) taken every 16
chords. The model is the book's: ``Embedding(47, 5)``, four causal Conv1D layers
(32, 48, 64, 96 filters, dilations 1, 2, 4, 8, ReLU) each with batch
normalisation, ``LSTM(256)`` and a softmax at every step, trained 20 epochs with
Nadam at 1e-3 -- here one estimator::

    NextStepClassifier(256, conv_filters=(32, 48, 64, 96),
                       dilation_rates=(1, 2, 4, 8), batch_norm=True,
                       vocab_size=47, embedding_dim=5, optimizer="nadam")

``fit(windows)`` without ``y`` trains it to predict every note of a window from
the notes before it; ``score(test_windows)`` is the book's test accuracy (the
share of notes predicted right), printed beside the book's 0.816. The script then
seeds :meth:`~skseq.NextStepClassifier.generate` with the first 8 chords of a
test chorale, samples 56 more chords at temperature 0.8, and writes them as CSV
(one chord per row, as in the data set) and as a WAV file played by a small sine
synthesizer.

Usage::

    python examples/chorales.py                # the book's setup (20 epochs)
    python examples/chorales.py --epochs 5     # fewer epochs
    python examples/chorales.py --quick        # 20 chorales, small model, 1 epoch
    python examples/chorales.py --output-dir out/
"""

import argparse
import csv
import time
import wave
from pathlib import Path

import numpy as np

from skseq import NextStepClassifier
from skseq.datasets import load_chorales

BOOK_TEST_ACCURACY = 0.816
MIN_NOTE = 36  # lowest piano key of the data set; 0 is silence
N_CLASSES = 47  # silence and keys 36..81
WINDOW, SHIFT = 32, 16  # chords per window, chords between window starts


def to_classes(chorale):
    """Chords of piano keys -> the same shape of classes 0 (silence) .. 46."""
    return np.where(chorale == 0, 0, chorale - MIN_NOTE + 1)


def to_keys(classes):
    """Inverse of :func:`to_classes`."""
    return np.where(classes == 0, 0, classes + MIN_NOTE - 1)


def make_windows(chorales, window=WINDOW, shift=SHIFT):
    """Arpeggios of ``window + 1`` chords every ``shift`` chords, as in the book:
    an array of shape (n_windows, 4 * (window + 1)) of note classes."""
    windows = [
        to_classes(chorale[start : start + window + 1]).reshape(-1)
        for chorale in chorales
        for start in range(0, len(chorale) - window, shift)
    ]
    return np.stack(windows)


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


def main(argv=None):
    """Train, print book vs skseq, and write a generated chorale (CSV and WAV)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="20 training chorales, a small model, 1 epoch: a smoke test",
    )
    parser.add_argument("--epochs", type=int, help="training epochs (book: 20)")
    parser.add_argument(
        "--output-dir", default=".", help="where to write the generated chorale"
    )
    args = parser.parse_args(argv)

    train, valid, test = load_chorales()
    if args.quick:
        train, valid, test = train[:20], valid[:5], test[:5]
    epochs = args.epochs or (1 if args.quick else 20)
    X_train, X_valid, X_test = (make_windows(s) for s in (train, valid, test))
    print(
        f"Windows of {WINDOW + 1} chords ({X_train.shape[1]} notes): "
        f"{len(X_train)} train, {len(X_valid)} valid, {len(X_test)} test"
    )

    model = make_model(args.quick, epochs)
    start = time.perf_counter()
    model.fit(X_train)
    training_time = time.perf_counter() - start
    valid_accuracy = model.score(X_valid)
    test_accuracy = model.score(X_test)

    print(f"\nBach chorales, next-note accuracy after {epochs} epoch(s)")
    print(f"{'':<10}{'book':>8}{'skseq':>8}")
    print(f"{'test':<10}{BOOK_TEST_ACCURACY:>8.3f}{test_accuracy:>8.3f}")
    print(f"{'valid':<10}{'':>8}{valid_accuracy:>8.3f}")
    print(
        f"Training time: {training_time:.0f} s ({training_time / epochs:.1f} s/epoch)"
    )

    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    seed_chords = test[2 % len(test)][:8]
    chords = compose(model, seed_chords, 56, temperature=0.8, random_state=42)
    write_chorale_csv(chords, output / "generated_chorale.csv")
    write_wav(synthesize(chords), output / "generated_chorale.wav")
    print(f"Wrote {len(chords)} chords to {output / 'generated_chorale.csv'} and .wav")
    return {
        "epochs": epochs,
        "training_time": training_time,
        "valid_accuracy": valid_accuracy,
        "test_accuracy": test_accuracy,
        "chords": chords,
    }


if __name__ == "__main__":
    main()
