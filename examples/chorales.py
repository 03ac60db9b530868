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
share of notes predicted right), printed beside the book's 0.816 and a baseline
without training (each voice repeats its note of the chord before). The script then
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
import time
from pathlib import Path

from skseq._chapter.chorales import (
    BOOK_TEST_ACCURACY,
    WINDOW,
    compose,
    make_model,
    repeat_voice_accuracy,
    synthesize,
    write_chorale_csv,
    write_wav,
)
from skseq._chapter.chorales import make_chorale_windows as make_windows
from skseq.datasets import load_chorales


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
    # baseline: each voice repeats its note of the chord before, no training
    print(f"{'':<10}{'book':>8}{'skseq':>8}{'baseline':>10}")
    print(
        f"{'test':<10}{BOOK_TEST_ACCURACY:>8.3f}{test_accuracy:>8.3f}"
        f"{repeat_voice_accuracy(X_test):>10.3f}"
    )
    print(
        f"{'valid':<10}{'':>8}{valid_accuracy:>8.3f}"
        f"{repeat_voice_accuracy(X_valid):>10.3f}"
    )
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
