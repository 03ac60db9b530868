"""Peak memory of training on a long series: batch feeder vs all windows at once.

A ``WindowedForecaster`` fits a linear ``DenseForecaster`` (one epoch) on a random
walk of 1,000,000 steps with windows of 56 steps, once with ``feed="arrays"``
(every window handed to Keras: ``n_windows x window`` values, about 224 MB as
float32, copied into tensors) and once with ``feed="batches"`` (the
``WindowBatches`` feeder cuts each batch from the series when Keras asks). Each run
happens in a fresh subprocess, which reports its peak resident memory
(``ru_maxrss``); a "baseline" run trains the same model on a 2,000-step series to
show what Python, TensorFlow and the model cost on their own. Prints a table with
peak memory above that baseline and the ratio arrays / batches.

Run: ``python benchmarks/bench_feeder_memory.py [--n-steps 1000000] [--window 56]``
"""

import argparse
import json
import subprocess
import sys
import time


def _child(mode, n_steps, window, batch_size):
    """Train once and print peak memory (MiB) and seconds as JSON."""
    import resource

    import numpy as np

    from skseq import DenseForecaster
    from skseq.forecasting import WindowedForecaster

    if mode == "baseline":
        n_steps, feed = 2000, "arrays"
    else:
        feed = mode
    series = np.cumsum(np.random.default_rng(0).normal(size=n_steps)).astype("float32")
    model = WindowedForecaster(
        DenseForecaster(epochs=1, batch_size=batch_size, random_state=0),
        window=window,
        feed=feed,
        difference=None,  # the feeder alone (the default "auto" would difference)
    )
    start = time.perf_counter()
    model.fit(series)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"peak_mib": peak_kib / 1024, "seconds": seconds}))


def _run(mode, args):
    command = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--n-steps",
        str(args.n_steps),
        "--window",
        str(args.window),
        "--batch-size",
        str(args.batch_size),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-steps", type=int, default=1_000_000)
    parser.add_argument("--window", type=int, default=56)
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--child", choices=["baseline", "arrays", "batches"])
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.n_steps, args.window, args.batch_size)
        return None

    n_windows = args.n_steps - args.window
    window_mib = n_windows * args.window * 4 / 2**20
    print(
        f"Series of {args.n_steps:,} steps, window {args.window}: {n_windows:,} "
        f"windows = {window_mib:,.0f} MiB of float32 inputs if materialised"
    )
    runs = {mode: _run(mode, args) for mode in ("baseline", "arrays", "batches")}
    base = runs["baseline"]["peak_mib"]
    rows = [("feed", "peak RSS (MiB)", "above baseline (MiB)", "fit (s)")]
    for mode, run in runs.items():
        extra = "-" if mode == "baseline" else f"{run['peak_mib'] - base:,.0f}"
        rows.append((mode, f"{run['peak_mib']:,.0f}", extra, f"{run['seconds']:.1f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(" | ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
    arrays = runs["arrays"]["peak_mib"] - base
    batches = max(runs["batches"]["peak_mib"] - base, 1.0)
    print(f"Memory above baseline, arrays / batches: {arrays / batches:.1f}x")
    return runs


if __name__ == "__main__":
    main()
