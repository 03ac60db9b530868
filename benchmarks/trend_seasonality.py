"""Trend and seasonality: differencing and log against SARIMA on real series.

Three public series with a trend and/or a season, none used elsewhere in skseq:

- ``co2``: weekly Mauna Loa CO2 (statsmodels), averaged per month (fewer steps,
  so the run stays short; missing weeks are interpolated), 1958-03 to 2001-12;
  trend + yearly season; the last 24 months held out, one 24-step forecast.
- ``sunspots``: yearly sunspot numbers 1700-2008 (statsmodels), an ~11-year
  cycle of varying length, no trend; the last 22 years held out, one 22-step
  forecast. It has zeros, so its "log" is ``log1p``.
- ``ridership``: CTA daily rail ridership (skseq), averaged per month,
  2001-01 to 2019-05 (nothing later: that is a test period); slow trend + yearly
  season; the last 24 months (2017-06 to 2019-05) held out, one 24-step forecast.

Each model is fitted on the rest and makes one forecast of the held-out tail;
MAE is in the series' units and MASE divides it by the in-sample MAE of the
seasonal naive forecast (season 12, or 11 for sunspots). Models: naive (last
value), seasonal naive, SARIMA (statsmodels, orders below), and three
:class:`~skseq.forecasting.WindowedForecaster` networks -- linear (Ridge on the
flattened window), GRU (16 units) and WaveNet (16 filters), both with early
stopping and at most ``--epochs`` epochs -- each without differencing, with
``difference=1``, with ``difference=(1, season)`` and with a log target plus
``difference=(1, season)``. The GRU and WaveNet are fitted with each of
``--seeds`` (0, 1, 2 by default): their MAE and MASE are the mean over the
seeds, ``+-`` the standard deviation of MASE.

Measured (3 seeds, 1,063 s on 2 cores): the table of the user guide's trend
and seasonality page.

Run from the repository root: ``PYTHONPATH=. python
benchmarks/trend_seasonality.py [--series co2 sunspots ridership] [--models linear
gru wavenet] [--epochs 100] [--seeds 0 1 2] [--figure trend.png] [--csv
out.csv]`` (about 7 minutes a seed on 2 busy cores).
"""

import argparse
import csv
import time
import warnings

import numpy as np
import pandas as pd

SARIMA = {  # (order, seasonal_order, log)
    "co2": ((0, 1, 1), (0, 1, 1, 12), False),
    "sunspots": ((9, 0, 0), (0, 0, 0, 0), False),
    "ridership": ((0, 1, 1), (0, 1, 1, 12), True),
}


def load(name):
    """(series, season, n_test) of a benchmark series."""
    if name == "co2":
        from statsmodels.datasets import co2

        weekly = co2.load_pandas().data["co2"]
        monthly = weekly.resample("MS").mean().interpolate()
        return monthly.rename("co2"), 12, 24
    if name == "sunspots":
        from statsmodels.datasets import sunspots

        data = sunspots.load_pandas().data
        years = pd.date_range(str(int(data.YEAR.iloc[0])), periods=len(data), freq="YS")
        return (
            pd.Series(data.SUNACTIVITY.to_numpy(), index=years, name="sunspots"),
            11,
            22,
        )
    if name == "ridership":
        from skseq.datasets import load_ridership

        rail = load_ridership()["rail"][:"2019-05-31"].astype(float)
        return rail.resample("MS").mean().rename("rail"), 12, 24
    raise ValueError(f"unknown series {name!r}")


def mase_scale(train, season):
    values = train.to_numpy()
    return float(np.mean(np.abs(values[season:] - values[:-season])))


def baselines(train, horizon, season):
    values = train.to_numpy()
    steps = np.arange(horizon)
    yield "naive (last value)", np.repeat(values[-1], horizon)
    yield "seasonal naive (m)", values[len(values) - season + steps % season]


def sarima(name, train, horizon):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    order, seasonal, log = SARIMA[name]
    endog = np.log(train) if log else train
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter
        trend = "c" if order[1] == 0 else None
        model = SARIMAX(endog, order=order, seasonal_order=seasonal, trend=trend)
        forecast = model.fit(disp=False).forecast(horizon).to_numpy()
    return np.exp(forecast) if log else forecast


def networks(models, epochs, seed):
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from skseq import FlattenSequence, GRUForecaster, WaveNetForecaster

    fit = {"epochs": epochs, "early_stopping": True, "patience": 10}
    fit["random_state"] = seed
    makers = {
        "linear": lambda: make_pipeline(FlattenSequence(), Ridge(alpha=1e-3)),
        "gru": lambda: GRUForecaster(16, learning_rate=0.005, **fit),
        "wavenet": lambda: WaveNetForecaster(16, learning_rate=0.005, **fit),
    }
    return {name: makers[name] for name in models}


def variants(name, season):
    from sklearn.preprocessing import FunctionTransformer

    log = (
        FunctionTransformer(np.log1p, inverse_func=np.expm1, check_inverse=False)
        if name == "sunspots"
        else "log"
    )
    yield "raw", {"difference": None}  # the levels (the default is "auto")
    yield "diff 1", {"difference": 1}
    yield "diff (1,m)", {"difference": (1, season)}
    yield "log, diff (1,m)", {"target_transform": log, "difference": (1, season)}


def run(name, models, epochs, seeds):
    from skseq.forecasting import WindowedForecaster

    series, season, horizon = load(name)
    train, test = series.iloc[:-horizon], series.iloc[-horizon:]
    scale = mase_scale(train, season)
    rows = []

    def record(model, variant, forecast, seconds=0.0):
        """One row; ``forecast`` is one forecast or a list of them (seeds)."""
        runs = forecast if isinstance(forecast, list) else [forecast]
        maes = [np.mean(np.abs(np.asarray(run) - test.to_numpy())) for run in runs]
        rows.append(
            {
                "series": name,
                "model": model,
                "variant": variant,
                "mae": float(np.mean(maes)),
                "mase": float(np.mean(maes)) / scale,
                "mase_std": float(np.std(maes)) / scale,
                "n_seeds": len(runs),
                "seconds": seconds,
            }
        )
        return np.asarray(runs[0])

    for label, forecast in baselines(train, horizon, season):
        record(label, "", forecast)
    start = time.perf_counter()
    forecast = sarima(name, train, horizon)
    record("SARIMA (orders below)", "", forecast, time.perf_counter() - start)
    forecasts = {}
    for model in models:
        for variant, params in variants(name, season):
            start = time.perf_counter()
            runs = []
            for seed in seeds[:1] if model == "linear" else seeds:
                wrapper = WindowedForecaster(
                    networks([model], epochs, seed)[model](),
                    window=2 * season,
                    horizon=horizon,
                    **params,
                )
                runs.append(wrapper.fit(train).forecast(train))
            forecasts[model, variant] = record(
                model, variant, runs, time.perf_counter() - start
            )
    return rows, series, test, forecasts


def print_table(rows):
    names = list(dict.fromkeys(row["series"] for row in rows))
    keys = list(dict.fromkeys((row["model"], row["variant"]) for row in rows))
    cells = {(row["series"], row["model"], row["variant"]): row for row in rows}
    head = f"{'model':<34} {'variant':<18}" + "".join(
        f" {name + ' MAE':>15} {'MASE':>12}" for name in names
    )
    print(head)
    print("-" * len(head))
    for model, variant in keys:
        line = f"{model:<34} {variant:<18}"
        for name in names:
            row = cells.get((name, model, variant))
            line += f" {row['mae']:>15,.2f} {_mase(row):>12}" if row else " " * 29
        print(line)


def _mase(row):
    """MASE, with its standard deviation over seeds where there are several."""
    if row["n_seeds"] > 1:
        return f"{row['mase']:.2f} +- {row['mase_std']:.2f}"
    return f"{row['mase']:.2f}"


def plot(path, series, test, forecasts, model):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5))
    series.iloc[-4 * len(test) :].plot(ax=ax, color="k", label="series")
    for variant, style in (("raw", "--"), ("log, diff (1,m)", "-")):
        if (model, variant) in forecasts:
            ax.plot(
                test.index,
                forecasts[model, variant],
                style,
                label=f"{model}, {variant}",
            )
    ax.axvline(test.index[0], color="grey", lw=0.5)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", nargs="+", default=["co2", "sunspots", "ridership"])
    parser.add_argument("--models", nargs="+", default=["linear", "gru", "wavenet"])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--figure", help="PNG of ridership's GRU forecasts")
    parser.add_argument("--csv", help="write the rows to this CSV file")
    args = parser.parse_args(argv)
    rows = []
    start = time.perf_counter()
    for name in args.series:
        series_rows, series, test, forecasts = run(
            name, args.models, args.epochs, args.seeds
        )
        rows += series_rows
        if args.figure and name == "ridership":
            plot(args.figure, series, test, forecasts, "gru")
    print_table(rows)
    print("\nm: 12 for co2 and ridership, 11 for sunspots (log: log1p). SARIMA:")
    for name in args.series:
        order, seasonal, log = SARIMA[name]
        print(f"  {name}: {order}x{seasonal}{' on log' if log else ''}")
    print(f"\n{time.perf_counter() - start:.0f} s in all")
    if args.csv:
        with open(args.csv, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return rows


if __name__ == "__main__":
    main()
