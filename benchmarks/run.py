"""skseq's benchmarks in one table: each scenario measured for skseq and raw Keras.

Both sides of a row run in this process (memory rows: in fresh subprocesses),
alternating, on the same data, so a busy machine slows both alike; compare the
ratio, not the absolute figures, across machines. Rows:

* predict latency on one window of a fitted ``GRUForecaster((32, 32))`` (56 steps),
  warm (skseq: after the calls its inference runner needs to switch to its traced
  graph, printed below the table), median of many calls: ``skseq predict``
  against ``model.predict`` and against ``model.predict_on_batch`` on the same
  ``model_``;
* a 14-step recursive forecast of one window (``strategy="recursive"``) against
  the same feedback loop written with ``model.predict`` / ``predict_on_batch``;
* training throughput (samples per second over the whole ``fit``: build, compile,
  trace and epochs) of LSTM, GRU, SimpleRNN and WaveNet forecasters at batch 32 and
  1024, against ``keras.models.clone_model`` of the same network compiled with the
  same optimizer and loss and trained with ``model.fit`` on the same arrays; below
  the table, skseq's own share of its ``fit`` (the time outside ``model.fit``),
  which the noise of training itself does not blur;
* peak resident memory above a small baseline when training on a 1e6- and
  1e7-step series: ``WindowedForecaster(feed="batches")`` (skseq's feeder) against
  ``feed="arrays"`` (every window materialised, as ``model.fit`` on arrays needs),
  each in its own subprocess (see ``bench_feeder_memory.py``).

``ratio`` is always skseq / raw Keras: below 1 is better for times and memory,
above 1 is better for throughput.

Run: ``python benchmarks/run.py [--quick] [--no-memory | --memory-only]
[--arrays-1e7]``
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np

WINDOW = 56
HERE = os.path.dirname(os.path.abspath(__file__))


def _median_ms(function, repeats, warmup=10):
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def _data(n_samples, horizon, seed=0):
    from skseq.datasets import make_sine_series

    series = make_sine_series(n_samples, WINDOW + horizon, random_state=seed)
    series = series.astype(np.float32)
    return series[:, :WINDOW], series[:, WINDOW:, 0]


def _warm_up(estimator, x, limit_s=120):
    """Call ``predict`` in a loop until skseq's inference runner serves the call
    from its traced graph (TensorFlow; immediately elsewhere), as a serving loop
    or a backtest would; return (calls, seconds) it took."""
    from skseq.networks._inference import inference_runner

    runner = inference_runner(estimator.model_)
    start, calls = time.perf_counter(), 0
    while runner.traceable and not runner.traced:
        if time.perf_counter() - start > limit_s:
            raise RuntimeError(f"no graph after {calls} calls in {limit_s} s")
        estimator.predict(x)
        calls += 1
    return calls, time.perf_counter() - start


def _best_medians(calls, repeats, warmup):
    """Interleave the calls, twice, and keep each one's best median [ms]."""
    times = {name: [] for name in calls}
    for _ in range(2):
        for name, call in calls.items():
            times[name].append(_median_ms(call, repeats, warmup))
    return {name: min(values) for name, values in times.items()}


def predict_rows(quick):
    """Latency of one-window and 14-step recursive forecasts, in milliseconds.

    skseq is measured warm: after the calls it takes its inference runner to
    trace its graph (a ski rental: it traces once the time spent in Keras'
    ``predict_on_batch`` reaches the estimated cost of the trace). Those warm-up
    calls and seconds are printed below the table.
    """
    from skseq import GRUForecaster

    repeats = 30 if quick else 300
    X, y = _data(256 if quick else 1024, 14)
    direct = GRUForecaster((32, 32), epochs=1, random_state=0).fit(X, y[:, 0])
    model, x1 = direct.model_, X[:1]
    notes = []
    warm = _warm_up(direct, x1)
    notes.append(f"one-window predict: graph after {warm[0]} calls, {warm[1]:.1f} s")
    best = _best_medians(
        {
            "skseq predict": lambda: direct.predict(x1),
            "model.predict": lambda: model.predict(x1, verbose=0),
            "predict_on_batch": lambda: model.predict_on_batch(x1),
        },
        repeats,
        warmup=10,
    )
    label = f"predict 1 window, GRU(32,32) x {WINDOW} steps [ms]"
    rows = [
        (label + " vs model.predict", best["skseq predict"], best["model.predict"]),
        (
            label + " vs predict_on_batch",
            best["skseq predict"],
            best["predict_on_batch"],
        ),
    ]

    recursive = GRUForecaster(
        (32, 32), strategy="recursive", epochs=1, random_state=0
    ).fit(X, y)
    model = recursive.model_
    warm = _warm_up(recursive, x1)
    notes.append(f"recursive predict: graph after {warm[0]} calls, {warm[1]:.1f} s")

    def loop(step):
        window, steps = x1, []
        for _ in range(14):
            out = np.asarray(step(window)).reshape(1, 1, -1)
            steps.append(out)
            window = np.concatenate([window[:, 1:], out], axis=1)
        return np.concatenate(steps, axis=1)

    best = _best_medians(
        {
            "skseq": lambda: recursive.predict(x1),
            "model.predict": lambda: loop(lambda w: model.predict(w, verbose=0)),
            "predict_on_batch": lambda: loop(model.predict_on_batch),
        },
        repeats // 10,
        warmup=2,
    )
    label = "recursive 14-step forecast, 1 window [ms]"
    rows.append(
        (label + " vs model.predict loop", best["skseq"], best["model.predict"])
    )
    rows.append(
        (label + " vs predict_on_batch loop", best["skseq"], best["predict_on_batch"])
    )
    return rows, notes


def _estimators():
    from skseq import (
        GRUForecaster,
        LSTMForecaster,
        SimpleRNNForecaster,
        WaveNetForecaster,
    )

    return {
        "LSTM(32,32)": lambda **kw: LSTMForecaster((32, 32), **kw),
        "GRU(32,32)": lambda **kw: GRUForecaster((32, 32), **kw),
        "SimpleRNN(32,32)": lambda **kw: SimpleRNNForecaster((32, 32), **kw),
        # receptive field 64 >= the 56-step windows
        "WaveNet(20, d=1..32)": lambda **kw: WaveNetForecaster(
            20, dilation_rates=(1, 2, 4, 8, 16, 32), **kw
        ),
    }


def _raw_keras_fit(template, X, y, epochs, batch_size):
    """``model.fit`` of a fresh copy of ``template``'s network, as in raw Keras."""
    import keras

    keras.utils.set_random_seed(0)
    model = keras.models.clone_model(template)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
    model.fit(X, y, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0)
    return model


class _ModelFitClock:
    """Adds up the time spent inside ``keras.Model.fit`` while active, so that
    skseq's own share of a ``fit`` (validation, build, compile, checks) is
    measured directly, free of the run-to-run noise of the training itself."""

    def __init__(self):
        self.seconds = 0.0

    def __enter__(self):
        import keras

        self._fit = keras.Model.fit
        clock = self

        def timed_fit(model, *args, **kwargs):
            start = time.perf_counter()
            try:
                return clock._fit(model, *args, **kwargs)
            finally:
                clock.seconds += time.perf_counter() - start

        keras.Model.fit = timed_fit
        return self

    def __exit__(self, *exc):
        import keras

        keras.Model.fit = self._fit


def training_rows(quick):
    """Training samples per second, skseq ``fit`` against raw ``model.fit``, and
    a note on skseq's own share of its ``fit`` (time outside ``model.fit``)."""
    epochs, repeats = (1, 1) if quick else (2, 2)
    sizes = {32: 256, 1024: 2048} if quick else {32: 1024, 1024: 8192}
    names = ["GRU(32,32)"] if quick else list(_estimators())
    rows, outside = [], []
    for batch_size, n_samples in sizes.items():
        X, y = _data(n_samples, 10)
        for name in names:
            estimator = _estimators()[name](
                epochs=epochs, batch_size=batch_size, random_state=0
            )
            estimator.fit(X[:batch_size], y[:batch_size])  # warm-up: imports, setup
            template = estimator.model_
            ours, theirs = [], []
            for _ in range(repeats):
                start = time.perf_counter()
                with _ModelFitClock() as clock:
                    estimator.fit(X, y)
                ours.append(time.perf_counter() - start)
                outside.append(1 - clock.seconds / ours[-1])
                start = time.perf_counter()
                _raw_keras_fit(template, X, y, epochs, batch_size)
                theirs.append(time.perf_counter() - start)
            samples = n_samples * epochs
            rows.append(
                (
                    f"train {name}, batch {batch_size} [samples/s]",
                    samples / statistics.median(ours),
                    samples / statistics.median(theirs),
                )
            )
    note = (
        "skseq's own share of its fit (time outside model.fit): median "
        f"{100 * statistics.median(outside):.2f}%, at most {100 * max(outside):.2f}%."
    )
    return rows, [note]


def _memory_child(mode, n_steps):
    command = [
        sys.executable,
        os.path.join(HERE, "bench_feeder_memory.py"),
        "--child",
        mode,
        "--n-steps",
        str(n_steps),
        "--window",
        str(WINDOW),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])["peak_mib"]


def memory_rows(arrays_1e7):
    """Peak RSS above a baseline run (MiB): feeder against materialised windows."""
    base = _memory_child("baseline", 2000)
    rows = []
    for n_steps in (1_000_000, 10_000_000):
        batches = _memory_child("batches", n_steps) - base
        if n_steps <= 1_000_000 or arrays_1e7:
            arrays = _memory_child("arrays", n_steps) - base
        else:
            arrays = float("nan")
        rows.append(
            (
                f"peak RSS above baseline, {n_steps:.0e}-step series, "
                "feed=batches vs arrays [MiB]",
                batches,
                arrays,
            )
        )
    return rows, base


def format_table(rows):
    header = ("scenario", "skseq", "raw Keras", "ratio")
    lines = [header]
    for name, ours, theirs in rows:
        ratio = ours / theirs if theirs and np.isfinite(theirs) else float("nan")
        lines.append((name, f"{ours:,.2f}", f"{theirs:,.2f}", f"{ratio:.3f}"))
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = []
    for i, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(w) for cell, w in zip(line[1:], widths[1:], strict=True)]
        out.append(" | ".join(cells))
        if i == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--no-memory", action="store_true", help="skip memory rows")
    parser.add_argument("--memory-only", action="store_true", help="only memory rows")
    parser.add_argument(
        "--arrays-1e7",
        action="store_true",
        help="also train on all 1e7-step windows materialised (needs ~6 GB)",
    )
    args = parser.parse_args(argv)
    rows, notes = [], []
    if not (args.quick or args.no_memory):
        # First, while this process is small: a child's ru_maxrss starts from the
        # resident size of the process it was forked from.
        memory, base = memory_rows(args.arrays_1e7)
        notes.append(f"Memory baseline (2,000-step series): {base:,.0f} MiB peak RSS.")
    if not args.memory_only:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            predict, warm_up = predict_rows(args.quick)
            rows += predict
            notes += warm_up
            training, overhead = training_rows(args.quick)
            rows += training
            notes += overhead
    if not (args.quick or args.no_memory):
        rows += memory
    import keras

    notes.insert(
        0,
        f"Keras {keras.__version__}, backend {keras.backend.backend()}, "
        f"{os.cpu_count()} CPU(s); ratio = skseq / raw Keras.",
    )
    print(format_table(rows))
    for note in notes:
        print(note)
    return rows


if __name__ == "__main__":
    main()
