"""WaveNet training cost against sequence length: time per epoch and peak memory.

Each length runs in its own subprocess, so that its peak resident memory
(``resource.getrusage(...).ru_maxrss``, which TensorFlow's C++ allocations count
towards, unlike ``tracemalloc``) is its own. Every length trains on the same number
of sequences, so an epoch processes ``n_series * length`` steps: with a cost linear
in the length, the time ratios to the 1k run are 4 and 16.

The first epoch traces the graph, so the time per epoch is the median of the
following ones. Memory is reported as the peak before ``fit`` (interpreter,
TensorFlow and the data) and the peak over the whole run.

Run: ``python benchmarks/bench_wavenet_length.py [--lengths 1024 4096 16384]
[--architectures simple full] [--epochs 4] [--n-series 32] [--batch-size 8]``
"""

import argparse
import json
import resource
import subprocess
import sys
import time
import warnings

import numpy as np


def _forecaster_class():
    try:
        from skseq import WaveNetForecaster
    except ImportError:  # before the package exports it
        from skseq.estimators._convolutional import WaveNetForecaster
    return WaveNetForecaster


def _peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


EPOCH_SECONDS = []  # module level: the estimator deep-copies its callbacks


def child(length, architecture, epochs, n_series, batch_size, horizon=10):
    """Train once and return the measurements as a dict."""
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            EPOCH_SECONDS.append(time.perf_counter() - self._start)

    rng = np.random.default_rng(0)
    steps = np.arange(length + horizon)
    phase = rng.uniform(0, 2 * np.pi, size=(n_series, 1))
    series = np.sin(0.05 * steps + phase) + 0.1 * rng.normal(size=phase.shape)
    series = series.astype(np.float32)
    X, y = series[:, :length], series[:, length:]
    rss_before = _peak_rss_mib()
    model = _forecaster_class()(
        architecture=architecture,
        strategy="seq2seq",
        epochs=epochs,
        batch_size=batch_size,
        callbacks=[EpochTimer()],
        random_state=0,
    )
    with warnings.catch_warnings():
        # Windows far longer than the receptive field are the point here.
        warnings.filterwarnings("ignore", message=".*receptive field")
        model.fit(X, y)
    model.predict(X)
    return {
        "length": length,
        "architecture": architecture,
        "epoch_seconds": float(np.median(EPOCH_SECONDS[1:] or EPOCH_SECONDS)),
        "first_epoch_seconds": EPOCH_SECONDS[0],
        "rss_before_fit_mib": rss_before,
        "peak_rss_mib": _peak_rss_mib(),
        "receptive_field": model.receptive_field_,
    }


def run(lengths, architectures, epochs, n_series, batch_size):
    """Run one subprocess per (architecture, length); return their results."""
    results = []
    for architecture in architectures:
        for length in lengths:
            command = [
                sys.executable,
                __file__,
                "--child",
                f"--lengths={length}",
                f"--architectures={architecture}",
                f"--epochs={epochs}",
                f"--n-series={n_series}",
                f"--batch-size={batch_size}",
            ]
            out = subprocess.run(command, capture_output=True, text=True, check=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def _print_table(results, n_series):
    print(
        f"WaveNet (chapter defaults: filters=20, kernel_size=2, dilation_rates="
        f"(1, 2, 4, 8) * 2), seq2seq, {n_series} sequences per epoch"
    )
    header = (
        f"{'arch':<7}{'length':>8}{'s/epoch':>10}{'ratio':>8}{'ideal':>7}"
        f"{'RSS before fit':>16}{'peak RSS':>10}{'growth':>8}"
    )
    print(header)
    print("-" * len(header))
    for architecture in dict.fromkeys(r["architecture"] for r in results):
        rows = [r for r in results if r["architecture"] == architecture]
        base = rows[0]
        for r in rows:
            print(
                f"{architecture:<7}{r['length']:>8}{r['epoch_seconds']:>10.3f}"
                f"{r['epoch_seconds'] / base['epoch_seconds']:>8.2f}"
                f"{r['length'] / base['length']:>7.0f}"
                f"{r['rss_before_fit_mib']:>12.0f} MiB{r['peak_rss_mib']:>6.0f} MiB"
                f"{r['peak_rss_mib'] - r['rss_before_fit_mib']:>4.0f} MiB"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[1024, 4096, 16384])
    parser.add_argument("--architectures", nargs="+", default=["simple", "full"])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--n-series", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(
            args.lengths[0],
            args.architectures[0],
            args.epochs,
            args.n_series,
            args.batch_size,
        )
        print(json.dumps(result))
        return
    results = run(
        args.lengths, args.architectures, args.epochs, args.n_series, args.batch_size
    )
    _print_table(results, args.n_series)


if __name__ == "__main__":
    main()
