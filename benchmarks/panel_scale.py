"""A global model on a large panel: memory, training speed against raw Keras,
forecast time.

Builds a synthetic long panel (``--series`` random walks of ``--steps`` monthly
steps, levels from 1 to 10,000, an ``id`` column, the date as index), then, each
in a fresh subprocess:

- **skseq**: ``WindowedForecaster(GRUForecaster(...), window=24, horizon=12,
  series_id="id", feed="batches")`` fits one epoch (per-series scaling, windows
  cut batch by batch from the concatenated training targets and standardized
  per series, never across series) and forecasts every series with
  ``forecast(panel)``. The preparation (reading the panel, per-series scalers)
  and the Keras epoch are timed apart, the epoch by a callback
  (``on_train_begin`` to ``on_train_end``).
- **keras**: the same network (a fresh ``clone_model`` of skseq's, same
  optimizer and loss) trained one epoch by plain ``keras.Model.fit`` on the
  same windows, materialised as NumPy arrays (``n_windows x window``), with the
  same batch size and shuffling.

Prints windows/s of the epoch on each side and their ratio (skseq / raw,
target >= 0.9), peak resident memory (``ru_maxrss``) after each stage next to
the panel's own size, and the forecast time for all series.

Run: ``python benchmarks/panel_scale.py [--series 100000] [--steps 120]
[--repeats 1] [--memory-only]`` (``--memory-only``: no raw Keras run).

Measured after the window index and the design rows went (issue 27, item 7;
2 CPU cores shared with other workers; load average at the start and end of
each run in brackets). The batch feeder (``PanelBatches``) finds the windows
of each batch from the series' window counts (``RecencyIndex``: searchsorted
on the distance blocks, a rank table of the series), so no start, recency key
or weight is listed per window; a shuffled epoch keeps one int32 permutation
of the window numbers (4 B a window), the same draws as shuffling the listed
starts, so every seeded fit is unchanged; it is dropped at each epoch's end
(Keras keeps the last source referenced after ``fit``: traced at 30,000
series, its permutation was the 10 MiB kept beside the 27.5 MiB of
``train_targets_``). Targets alone, fed in batches,
untransformed and undifferenced (the default here) have no design rows: each
batch is cut from the float64 training targets that ``train_targets_`` keeps
anyway and standardized per series, the same float32 values. Every forecast
of 18 panel configurations (feed, sampling, scale, early stopping,
covariates, differences) and of ``prediction_digest.py`` (34) is identical.

- 100,000 series [4.1 -> 4.6]: peak RSS panel built 1,435 (resident 1,161) |
  after fit 1,435 | after forecast 1,478 MiB, 100 series 884 (884) | 968 |
  968: fit stays under the panel's own peak; fit and forecast need -41 MiB
  above that peak and 233 MiB above the panel's resident size, 2,442 bytes a
  series (before: 131 and 405 MiB, 4.2 KB). Fit 426 s, forecast 161 s.
- 30,000 series [7.8 -> 6.3]: 1,049 (995) | 1,107 | 1,139 MiB: 4 above the
  peak, 59 above the resident size, 2,050 bytes a series (before: 66, 121).
- 10,000 series [4.1 -> 7.8]: 940 (922) | 1,025 | 1,049 MiB: 24 above the
  peak, 42 above the resident size (before 62; most of it does not grow with
  the series: see the growth below).

An earlier run of this work, with the permutation kept after fit: 266, 74
and 43 MiB above the resident size at 100,000, 30,000 and 10,000 series.
Growth per series above the resident size: 10,000 to 30,000 series 0.9 KB
(before 3.1 KB), 30,000 to 100,000 2.6 KB (before 4.3 KB); a few MiB of it
is noise of the baseline. None of it grows with windows (the shuffled
permutation, 340 B a series, lives during an epoch, under the panel's peak).
What grows with rows: ``train_targets_`` (one float64 copy of the targets,
960 B a series), which stays: the MASE scorers take any season at scoring
time (``"neg_mase_<m>"``) and ``backtest`` scales by prefixes of it, so no
per-series scalar computed in fit gives their results, and it is now also
the rows training is cut from (the float32 design rows it replaces were 960 B
a series more); each row's int32 series code while a panel is read (480 B, in
fit and again in forecast); the forecast frame (12 rows, about 300 B); per
series about 100 B of arrays (mean, scale, window count, offsets, next date).
With covariates, static inputs, a target transform or differences the design
rows stay (float32, inputs and targets apart; inputs alone when they are the
targets): one copy of the panel's model inputs in the network's dtype.

Windows/s against raw Keras, 20,000 series (1,700,000 windows), two runs:
[4.8 -> 5.8] epoch skseq 24,323, raw Keras 26,183, ratio 0.93; median batch
29,739 against 29,767, ratio 1.00; fit 93 s (preparation 6 s, epoch 70 s),
forecast of all 20,000 series 58 s; 66 MiB above the panel's resident size.
[9.0 -> 11.7, beside the 100,000-series run] epoch 9,182 against 10,193,
ratio 0.90; median batch 10,884 against 15,076 (0.72); fit 204 s, forecast
121 s. The feeder is not what a batch loses on a busy machine: cutting a
batch of 1,024 windows takes 0.70 ms (found and standardized per batch)
against 0.79 ms from listed starts and float32 design rows, next to 35 to 95
ms of training a batch.

Before (the same benchmark on main before this work):

Measured (2 CPU cores shared with other training runs, load average 3 to 7;
TensorFlow 2.21, Keras 3.15; defaults, one run each, two runs on different
days of the code): 100,000 series, 8,500,000 windows; skseq fit 224 s =
preparation 22 s + epoch 201 s (earlier run: 44 + 270 s); windows/s over the
epoch skseq 42,214, raw Keras 39,844, ratio 1.06 (earlier run 31,461 against
36,227, 0.87); of the median batch 52,814 against 46,325, ratio 1.14 (0.99).
On this busy machine the epoch ratio moves from run to run (0.79 to 1.07 at
10,000 series); trained alternately in one process, raw Keras took 35.2, 31.3,
33.7 s and the batch feeder 25.7, 34.3, 31.0 s on the same 850,000 windows.
Forecast of all 100,000 series: 87 s (earlier run: 122 s).

Memory (``--memory-only``, the same machine at load average 10 to 23, so the
times are slow: fit 707 s, forecast 316 s at 100,000 series). Per-series state
in arrays (``SeriesStates``), design rows written into one preallocated
float32 array, int32 window starts made without an array per series, the
forecast chunk by chunk into one array. Peak RSS with the panel built, after
fit and forecast; above the panel's peak and the 100-series baseline (888 |
979 MiB); above the panel's resident memory (its temporaries leave a peak
above it, under which fit's first allocations hide) and that baseline:

- 100,000 series (275 MiB in pandas): 1,438 (resident 1,164) | 1,660 MiB:
  131 MiB above the panel's peak, 405 MiB above its resident size, 4.2 KB a
  series. Before (the issue's run): 1,442 | 2,798 MiB, 1,271 MiB above the
  peak (about 1,550 above the resident size as measured today, 16 KB a
  series).
- 30,000 series: 1,053 (998) | 1,202 MiB: 66 above the peak, 121 above the
  resident size. Before: 1,052 (997) | 1,507, 369 and 424 MiB.
- 10,000 series (a stage-by-stage script, same measures): 62 MiB above the
  resident size; before 158 MiB.

Growth per series, 10,000 to 30,000 series, above the resident size: 3.1 KB
(before 13.9 KB); 30,000 to 100,000: 4.3 KB. What remains grows with the
panel's rows and windows, not with objects per series (120 steps, 85 windows
a series): ``train_targets_``, one float64 array of every target, kept for
MASE (960 B a series); during fit the float32 design rows (inputs and
targets, 960 B) and the window index (int32 start, int32 shuffled order, int16
recency key: 10 B a window, 850 B); each row's int32 series code while a
panel is read (480 B); the forecast frame (12 rows: about 300 B); and per
series about 60 B of arrays (its mean and scale, window count, offsets, next
date). Cutting the window index to O(batch) would change the shuffled order
(a permutation of every window) and so the predictions.
"""

import argparse
import json
import subprocess
import sys
import time

WINDOW, HORIZON = 24, 12
TIMES = {}


def make_panel(n_series, n_steps, seed=0):
    """A long DataFrame: ``id`` (int), ``y`` (random walks), a monthly index."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    levels = 10.0 ** rng.uniform(0, 4, size=(n_series, 1))
    steps = rng.normal(scale=0.05, size=(n_series, n_steps))
    values = levels * (1.0 + np.cumsum(steps, axis=1))
    dates = pd.date_range("2000-01-01", periods=n_steps, freq="MS", name="date")
    return pd.DataFrame(
        {"id": np.repeat(np.arange(n_series), n_steps), "y": values.ravel()},
        index=dates[np.tile(np.arange(n_steps), n_series)],
    )


def _estimator(args, callbacks=None):
    from skseq import GRUForecaster

    return GRUForecaster(
        units=args.units,
        epochs=1,
        batch_size=args.batch_size,
        early_stopping=False,
        random_state=0,
        callbacks=callbacks,
    )


def _epoch_timer():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        """Writes the Keras epoch's start, end and batch times to the module's
        ``TIMES`` (skseq copies the callbacks it is given)."""

        def on_train_begin(self, logs=None):
            TIMES["batches"] = []
            TIMES["train_begin"] = time.perf_counter()

        def on_train_batch_begin(self, batch, logs=None):
            TIMES["batch_begin"] = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            TIMES["batches"].append(time.perf_counter() - TIMES["batch_begin"])

        def on_train_end(self, logs=None):
            TIMES["train_end"] = time.perf_counter()

    return EpochTimer()


def _median_batch():
    """Median seconds of a full batch: the steady rate, which a first batch's
    tracing and another process's bursts on a shared machine do not move."""
    import statistics

    return statistics.median(TIMES["batches"][:-1] or TIMES["batches"])


def _peak_mib():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _rss_mib():
    """Resident memory now (the peak can lie above it: building the panel
    passes through temporaries)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def _child_skseq(args):
    import warnings

    import keras  # noqa: F401  (imported before the first measure of memory)

    from skseq.forecasting import WindowedForecaster

    panel = make_panel(args.series, args.steps)
    out = {
        "panel_mib": panel.memory_usage(deep=True).sum() / 2**20,
        "peak_panel_mib": _peak_mib(),
        "rss_panel_mib": _rss_mib(),
    }
    model = WindowedForecaster(
        _estimator(args, [_epoch_timer()]),
        window=WINDOW,
        horizon=HORIZON,
        series_id="id",
        feed="batches",
        difference=None,  # the no-copy path measured here (not the default "auto")
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(panel)
    end = time.perf_counter()
    out["fit_s"] = end - start
    out["epoch_s"] = TIMES["train_end"] - TIMES["train_begin"]
    out["batch_s"] = _median_batch()
    out["prep_s"] = TIMES["train_begin"] - start
    out["after_s"] = end - TIMES["train_end"]
    out["n_windows"] = model.n_windows_
    out["peak_fit_mib"] = _peak_mib()
    start = time.perf_counter()
    forecast = model.forecast(panel)
    out["forecast_s"] = time.perf_counter() - start
    out["forecast_rows"] = len(forecast)
    out["peak_forecast_mib"] = _peak_mib()
    return out


def _raw_windows(args):
    """The windows skseq trains on, as arrays: every series standardized on its
    own values (float32, as the batch feeder casts them), windows inside it."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    panel = make_panel(args.series, args.steps)
    values = panel["y"].to_numpy().reshape(args.series, args.steps)
    std = values.std(axis=1, keepdims=True)
    scaled = (values - values.mean(axis=1, keepdims=True)) / std
    scaled = scaled.astype(np.float32)
    n = args.steps - WINDOW - HORIZON + 1
    X = sliding_window_view(scaled[:, : n - 1 + WINDOW], WINDOW, axis=1)
    y = sliding_window_view(scaled[:, WINDOW:], HORIZON, axis=1)
    X = np.ascontiguousarray(X.reshape(-1, WINDOW, 1))
    y = np.ascontiguousarray(y.reshape(-1, HORIZON))
    return X, y


def _child_keras(args):
    import keras

    X, y = _raw_windows(args)
    # the architecture, optimizer and loss of skseq's network, fresh weights
    template = _estimator(args).fit(X[: args.batch_size], y[: args.batch_size])
    keras.utils.set_random_seed(0)
    model = keras.models.clone_model(template.model_)
    optimizer = keras.optimizers.deserialize(
        keras.optimizers.serialize(template.model_.optimizer)
    )
    model.compile(optimizer=optimizer, loss=template.loss)
    start = time.perf_counter()
    model.fit(
        X,
        y,
        epochs=1,
        batch_size=args.batch_size,
        shuffle=True,
        verbose=0,
        callbacks=[_epoch_timer()],
    )
    return {
        "fit_s": time.perf_counter() - start,
        "epoch_s": TIMES["train_end"] - TIMES["train_begin"],
        "batch_s": _median_batch(),
        "n_windows": len(X),
        "windows_mib": (X.nbytes + y.nbytes) / 2**20,
        "peak_fit_mib": _peak_mib(),
    }


def _run(mode, args, n_series=None):
    command = [sys.executable, __file__, "--child", mode]
    for name in ("series", "steps", "units", "batch_size"):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    if n_series is not None:
        command += ["--series", str(n_series)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{mode} run failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _median(runs, key):
    import statistics

    return statistics.median(run[key] for run in runs)


def _print_memory(args, ours, base, raw):
    print(
        f"peak RSS (MiB): panel built {ours['peak_panel_mib']:,.0f} (resident "
        f"{ours['rss_panel_mib']:,.0f}) | after fit {ours['peak_fit_mib']:,.0f} "
        f"| after forecast {ours['peak_forecast_mib']:,.0f}; the same with 100 "
        f"series {base['peak_panel_mib']:,.0f} ({base['rss_panel_mib']:,.0f}) | "
        f"{base['peak_fit_mib']:,.0f} | {base['peak_forecast_mib']:,.0f}"
    )
    above = ours["peak_forecast_mib"] - ours["peak_panel_mib"]
    above -= base["peak_forecast_mib"] - base["peak_panel_mib"]
    # the panel's temporaries leave a peak above its resident memory, which
    # hides what fit needs below that peak: also measured from the resident
    resident = ours["peak_forecast_mib"] - ours["rss_panel_mib"]
    resident -= base["peak_forecast_mib"] - base["rss_panel_mib"]
    arrays = (
        ""
        if raw is None
        else (
            f"; its windows as arrays would be {raw['windows_mib']:,.0f} MiB; raw "
            f"Keras on them peaks at {raw['peak_fit_mib']:,.0f} MiB"
        )
    )
    print(
        f"fit and forecast need {above:,.0f} MiB above the panel's peak and the "
        f"100-series baseline ({resident:,.0f} MiB above its resident memory, "
        f"{resident * 2**20 / args.series:,.0f} bytes a series; panel "
        f"{ours['panel_mib']:,.0f} MiB in pandas{arrays})"
    )
    print(
        f"forecast of {args.series:,} series: {ours['forecast_s']:.1f} s "
        f"({ours['forecast_rows']:,} rows); fit {ours['fit_s']:.1f} s"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=120)
    parser.add_argument("--units", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--child", choices=["skseq", "keras"])
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="skip raw Keras: only skseq's memory and times",
    )
    args = parser.parse_args(argv)
    if args.child:
        child = _child_skseq if args.child == "skseq" else _child_keras
        print(json.dumps(child(args)))
        return None

    # what Python, TensorFlow and the model cost without a panel to speak of
    base = _run("skseq", args, n_series=100)
    runs = {"skseq": [], "keras": []}
    for _ in range(args.repeats):  # alternating, so that a busy machine slows both
        runs["skseq"].append(_run("skseq", args))
        if not args.memory_only:
            runs["keras"].append(_run("keras", args))
    if args.memory_only:
        _print_memory(args, runs["skseq"][0], base, None)
        return runs
    ours, raw = runs["skseq"][0], runs["keras"][0]
    n = ours["n_windows"]
    print(
        f"Panel: {args.series:,} series x {args.steps} steps, "
        f"{ours['panel_mib']:,.0f} MiB in pandas; GRU({args.units}), window "
        f"{WINDOW}, horizon {HORIZON}, batch {args.batch_size}, one epoch of "
        f"{n:,} windows; medians of {args.repeats} run(s) each"
    )
    print(
        f"skseq fit {_median(runs['skseq'], 'fit_s'):.1f} s = preparation "
        f"{_median(runs['skseq'], 'prep_s'):.1f} s + epoch "
        f"{_median(runs['skseq'], 'epoch_s'):.1f} s"
    )
    ours_rate = n / _median(runs["skseq"], "epoch_s")
    raw_rate = raw["n_windows"] / _median(runs["keras"], "epoch_s")
    print(
        f"windows/s over the epoch: skseq {ours_rate:,.0f} | raw Keras "
        f"{raw_rate:,.0f} | ratio skseq/raw {ours_rate / raw_rate:.2f} "
        "(target >= 0.9)"
    )
    ours_steady = args.batch_size / _median(runs["skseq"], "batch_s")
    raw_steady = args.batch_size / _median(runs["keras"], "batch_s")
    print(
        f"windows/s of the median batch: skseq {ours_steady:,.0f} | raw Keras "
        f"{raw_steady:,.0f} | ratio skseq/raw {ours_steady / raw_steady:.2f}"
    )
    _print_memory(args, ours, base, raw)
    return runs


if __name__ == "__main__":
    main()
