"""Probabilistic forecasts on ridership and Tourism against AutoETS' intervals.

RESULTS: see the end of this docstring (filled in after the runs).
"""

import argparse
import logging
import math
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone

from skseq import ConformalForecaster

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tourism import CONFIGS as TOURISM_CONFIGS  # noqa: E402
from tourism import KINDS, load, to_panel  # noqa: E402

# Every method is scored through the same 19 quantiles: 0.05, 0.10, ..., 0.95.
# The 80% interval is (0.10, 0.90), the 90% interval (0.05, 0.95); the median
# is the point forecast. CRPS is 2 x the mean pinball loss over these levels.
LEVELS = tuple(np.round(np.arange(1, 20) * 0.05, 2))
COVERAGES = (0.8, 0.9)
# AutoETS' levels giving the same quantiles (the 10% interval's bounds are the
# 0.45 and 0.55 quantiles, ...)
ETS_LEVELS = list(range(10, 100, 10))
WINDOW = 56  # ridership: 8 weeks in, the next day out


# -- scores ---------------------------------------------------------------------
def bounds(q, coverage):
    """Lower and upper bounds of the central ``coverage`` interval of ``q``."""
    low = LEVELS.index(round((1 - coverage) / 2, 2))
    return q[..., low], q[..., len(LEVELS) - 1 - low]


def point_scores(y, q, scale=1.0):
    """Coverage (a share) and interval score at 80 and 90%, and CRPS (2 x the
    mean pinball loss over the 19 levels) of forecasts ``q`` of shape
    ``y.shape + (19,)``, averaged over ``y`` (every step), the scores divided
    by ``scale``."""
    from skseq.metrics import (
        continuous_ranked_probability_score,
        interval_coverage,
        interval_score,
    )

    y = np.atleast_2d(y).T if np.ndim(y) == 1 else y  # (n,) -> (n, 1): one step
    q = q.reshape(*y.shape, len(LEVELS))
    out = {}
    for c in COVERAGES:
        lower, upper = bounds(q, c)
        tag = int(round(100 * c))
        out[f"cov{tag}"] = interval_coverage(y, lower, upper)
        out[f"is{tag}"] = interval_score(y, lower, upper, c) / scale
    if np.isnan(q).any():  # intervals only (skseq's CQR): no CRPS
        out["crps"] = np.nan
    else:
        crps = continuous_ranked_probability_score(y, y_quantiles=q, quantiles=LEVELS)
        out["crps"] = crps / scale
    return out


# -- interval estimators as quantile forecasters -----------------------------------
class ConformalQuantiles(ConformalForecaster):
    """Split conformal, every level at once: the ``q`` quantile is the forecast
    plus or minus the calibrated half-width of the ``|2q - 1|`` interval.

    Same fit as :class:`skseq.ConformalForecaster`; ``predict_quantiles`` makes
    one forecast for all levels (``WindowedForecaster.predict_quantiles`` maps
    them back to each series), instead of one ``predict_interval`` per level.
    """

    def fit(self, X, y):
        super().fit(X, y)
        self.distribution_ = "quantile"
        self.quantiles_ = LEVELS
        return self

    def predict_quantiles(self, X, quantiles=None):
        levels = LEVELS if quantiles is None else tuple(quantiles)
        point = np.asarray(self.estimator_.predict(X), dtype=float)
        point = point.reshape(len(point), self.horizon_, self.n_targets_)
        n = len(self.residuals_)
        out = []
        for level in levels:
            coverage = abs(2 * level - 1)
            k = math.ceil((n + 1) * coverage)
            width = self.residuals_[min(k, n) - 1] if k > 0 else 0.0
            out.append(point + np.sign(level - 0.5) * width)
        return _as_y(self, np.stack(out, axis=-1))


class CQRForecaster(ConformalForecaster):
    """Conformalized quantile regression (Romano et al. 2019), local to this
    benchmark until ``ConformalForecaster`` does it (branch ``cqr``).

    The wrapped estimator has ``loss="quantile", quantiles=LEVELS``. It is fitted
    on the earlier samples; on the latest ``calibration_fraction`` the score of
    each symmetric pair of levels is ``max(q_low - y, y - q_high)``, and its
    ``ceil((n + 1) c)``-th smallest value (per horizon step and target) widens
    (or narrows, if negative) that pair's interval. ``refit`` refits on all.
    """

    def fit(self, X, y):
        X, y = np.asarray(X), np.asarray(y)
        n_fit, n_calibration = self._split_sizes(len(X))
        estimator = clone(self.estimator).fit(X[:n_fit], y[:n_fit])
        held = slice(len(X) - n_calibration, None)
        q = np.asarray(estimator.predict_quantiles(X[held], quantiles=LEVELS))
        horizon, n_targets = estimator.horizon_, estimator.n_targets_
        q = q.reshape(n_calibration, horizon, n_targets, len(LEVELS))
        y_cal = y[held].reshape(n_calibration, horizon, n_targets)
        corrections = np.zeros((horizon, n_targets, len(LEVELS)))
        for j in range(len(LEVELS) // 2):
            coverage = 1 - 2 * LEVELS[j]
            score = np.maximum(q[..., j] - y_cal, y_cal - q[..., -1 - j])
            k = min(math.ceil((n_calibration + 1) * coverage), n_calibration)
            width = np.sort(score, axis=0)[k - 1]
            corrections[..., j], corrections[..., -1 - j] = -width, width
        if self.refit:
            estimator = clone(self.estimator).fit(X, y)
        for name in ("n_features_in_", "n_timesteps_in_", "horizon_", "n_targets_"):
            setattr(self, name, getattr(estimator, name))
        self.y_ndim_ = y.ndim
        self.estimator_ = estimator
        self.corrections_ = corrections
        self.residuals_ = np.zeros((1, horizon, n_targets))
        self.distribution_ = "quantile"
        self.quantiles_ = LEVELS
        return self

    def predict_quantiles(self, X, quantiles=None):
        q = np.asarray(self.estimator_.predict_quantiles(X, quantiles=LEVELS))
        q = q.reshape(len(q), self.horizon_, self.n_targets_, len(LEVELS))
        q = np.sort(q + self.corrections_, axis=-1)
        if quantiles is not None:
            q = q[..., [LEVELS.index(round(v, 2)) for v in quantiles]]
        return _as_y(self, q)


def _as_y(model, q):
    """(n, horizon, n_targets, L) -> the shape ``y`` had in fit, plus L."""
    if model.y_ndim_ == 1:
        return q[:, 0, 0]
    if model.y_ndim_ == 2:
        return q[:, :, 0]
    return q


def interval_quantiles(estimator, X):
    """The 19 quantiles of an estimator that has only ``predict_interval``
    (Monte Carlo dropout): the bounds of the 10%, ..., 90% intervals, and the
    deterministic forecast as the median; sorted (each interval draws its own
    dropout samples)."""
    below, above = [], []
    for level in LEVELS[: len(LEVELS) // 2]:
        lower, upper = estimator.predict_interval(X, coverage=round(1 - 2 * level, 2))
        below.append(lower)
        above.append(upper)
    median = estimator.predict(X)
    q = np.stack([*below, median, *above[::-1]], axis=-1)
    return np.sort(q, axis=-1)


# -- ridership ------------------------------------------------------------------
def ridership_split(mode):
    """Train (X, y), scored (X, y) and the scored dates of rail / 1e6.

    ``val``: targets in 2016-01..2018-12 train, 2019-01..2019-05 are scored;
    ``test``: targets in 2016-01..2019-05 train, 2019-06..2019-12 are scored.
    Inputs reach back 56 days before the first target.
    """
    from skseq import make_windows
    from skseq.datasets import load_ridership

    rail = load_ridership()["rail"] / 1e6
    first = pd.Timestamp("2016-01-01")
    cut, end = {
        "val": ("2019-01-01", "2019-05-31"),
        "test": ("2019-06-01", "2019-12-31"),
    }[mode]
    start = rail.index.get_loc(first) - WINDOW
    rail = rail.iloc[start:].loc[:end]
    X, y = make_windows(rail.to_numpy(np.float32), window=WINDOW)
    dates = rail.index[WINDOW:]
    scored = dates >= cut
    return (X[~scored], y[~scored]), (X[scored], y[scored]), dates[scored], rail


def gru(loss="huber", lr=0.01, epochs=40, **params):
    from skseq import GRUForecaster

    return GRUForecaster(
        16, loss=loss, learning_rate=lr, epochs=epochs, random_state=0, **params
    )


def ridership_candidates(epochs):
    """method -> [(description, estimator factory, how to get quantiles)]."""
    quantile = {"loss": "quantile", "quantiles": LEVELS}
    return {
        "quantile head": [
            (f"lr={lr}", lambda lr=lr: gru(lr=lr, epochs=epochs, **quantile), "q")
            for lr in (0.01, 0.003)
        ],
        "Student-t head": [
            (f"lr={lr}", lambda lr=lr: gru("student_t", lr, epochs), "q")
            for lr in (0.01, 0.003)
        ],
        "MC dropout": [
            (
                f"dropout={d}",
                lambda d=d: gru(lr=0.01, epochs=epochs, dropout=d, mc_samples=50),
                "mc",
            )
            for d in (0.2, 0.4)
        ],
        "conformal": [
            (
                f"refit={r}",
                lambda r=r: ConformalQuantiles(gru(epochs=epochs), refit=r),
                "q",
            )
            for r in (False, True)
        ],
        "CQR": [
            (
                f"refit={r}",
                lambda r=r: CQRForecaster(gru(epochs=epochs, **quantile), refit=r),
                "q",
            )
            for r in (False, True)
        ],
        "CQR (skseq)": [
            (
                "refit=True",
                lambda: ConformalForecaster(
                    gru(epochs=epochs, **quantile), refit=True, method="cqr"
                ),
                "interval",
            )
        ],
    }


# chosen on --mode val (lowest mean of the 80% and 90% interval scores)
RIDERSHIP_CHOSEN = {
    "quantile head": "lr=0.01",
    "Student-t head": "lr=0.01",
    "MC dropout": "dropout=0.4",
    "conformal": "refit=True",
    "CQR": "refit=True",
    "CQR (skseq)": "refit=True",
}


def ridership_ets(rail, n_scored):
    """AutoETS (season 7) fitted once on the training part, then forecasting
    each scored day from the days before it (statsforecast's cross-validation
    with ``refit=False``): the 19 quantiles and the fit time."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    frame = pd.DataFrame({"unique_id": "rail", "ds": rail.index, "y": rail.values})
    sf = StatsForecast(models=[AutoETS(season_length=7)], freq="D", n_jobs=1)
    start = time.perf_counter()
    out = sf.cross_validation(
        df=frame, h=1, n_windows=n_scored, step_size=1, refit=False, level=ETS_LEVELS
    )
    return ets_quantiles(out), time.perf_counter() - start


def ets_quantiles(out):
    """statsforecast's AutoETS columns -> (n, 19) quantiles."""
    lows = [out[f"AutoETS-lo-{lv}"] for lv in ETS_LEVELS[::-1]]  # 0.05 .. 0.45
    highs = [out[f"AutoETS-hi-{lv}"] for lv in ETS_LEVELS]  # 0.55 .. 0.95
    return np.stack([*lows, out["AutoETS"], *highs], axis=-1).astype(float)


def run_ridership(mode, epochs, select, methods, lines):
    train, scored, dates, rail = ridership_split(mode)
    y = scored[1].astype(float)
    if not methods or "AutoETS" in methods:
        q, fit_time = ridership_ets(rail, len(y))
        scores = point_scores(y, q)
        lines.append(
            summary("ridership", "AutoETS", "season 7", scores, fit_time, 1e-3)
        )
        print_line(lines[-1])
    for method, candidates in ridership_candidates(epochs).items():
        if methods and method not in methods:
            continue
        for name, factory, how in candidates:
            if not select and name != RIDERSHIP_CHOSEN[method]:
                continue
            estimator = factory()
            start = time.perf_counter()
            estimator.fit(*train)
            fit_time = time.perf_counter() - start
            if how == "mc":
                q = interval_quantiles(estimator, scored[0])
            elif how == "interval":  # the 80% and 90% intervals only
                q = np.full((len(y), len(LEVELS)), np.nan)
                for c in COVERAGES:
                    low = LEVELS.index(round((1 - c) / 2, 2))
                    lower, upper = estimator.predict_interval(scored[0], coverage=c)
                    q[:, low], q[:, len(LEVELS) - 1 - low] = lower, upper
            else:
                q = np.asarray(estimator.predict_quantiles(scored[0], quantiles=LEVELS))
            q = q.reshape(len(y), len(LEVELS))
            line = summary(
                "ridership", method, name, point_scores(y, q), fit_time, scale=1e-3
            )
            lines.append(line)
            print_line(line)


# -- Tourism --------------------------------------------------------------------
def snaive_mae(train, season):
    """In-sample MAE of the seasonal naive forecast: MASE's and MSIS' scale."""
    return np.mean(np.abs(train[season:] - train[:-season]))


def mlp_level(kind, seed, **params):
    """The mlp-level network of tourism.py (log1p, scale='level', 2 x 256, Adam
    3e-4, batch 512), with ``params`` (loss, epochs) overriding."""
    from skseq import DenseForecaster

    _, base = TOURISM_CONFIGS["mlp-level"][kind]
    return DenseForecaster(
        **{"loss": "mae", "batch_size": 512, **base, **params, "random_state": seed}
    )


def tourism_candidates(kind):
    """method -> [(description, estimator factory(seed))]."""
    _, base = TOURISM_CONFIGS["mlp-level"][kind]
    epochs = base["epochs"]
    quantile = {"loss": "quantile", "quantiles": LEVELS}
    return {
        "quantile head": [
            (f"epochs={e}", lambda s, e=e: mlp_level(kind, s, epochs=e, **quantile))
            for e in (epochs, 2 * epochs)
        ],
        "Student-t head": [
            (
                f"epochs={e}",
                lambda s, e=e: mlp_level(kind, s, epochs=e, loss="student_t"),
            )
            for e in (epochs, 2 * epochs)
        ],
        "conformal": [
            (
                f"refit={r}",
                lambda s, r=r: ConformalQuantiles(mlp_level(kind, s), refit=r),
            )
            for r in (False, True)
        ],
        "CQR": [
            (
                f"epochs={e}, refit={r}",
                lambda s, e=e, r=r: CQRForecaster(
                    mlp_level(kind, s, epochs=e, **quantile), refit=r
                ),
            )
            for e in (epochs, 2 * epochs)
            for r in (False, True)
        ],
        # the setting chosen for the local CQR (test only)
        "CQR (skseq)": [
            (
                f"epochs={2 * epochs}, refit=True",
                lambda s: ConformalForecaster(
                    mlp_level(kind, s, epochs=2 * epochs, **quantile),
                    refit=True,
                    method="cqr",
                ),
            )
        ],
    }


TOURISM_CHOSEN = {
    "monthly": {
        "quantile head": "epochs=10",
        "Student-t head": "epochs=10",
        "conformal": "refit=True",
        "CQR": "epochs=10, refit=True",
        "CQR (skseq)": "epochs=10, refit=True",
    },
    "quarterly": {
        "quantile head": "epochs=40",
        "Student-t head": "epochs=40",
        "conformal": "refit=True",
        "CQR": "epochs=40, refit=True",
        "CQR (skseq)": "epochs=40, refit=True",
    },
}


def tourism_ets(kind, trains):
    """statsforecast's AutoETS on every training part: {id: (horizon, 19)}."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    season, horizon, freq = KINDS[kind]
    panel = to_panel(trains, freq).rename(columns={"id": "unique_id"})
    panel = panel.rename_axis("ds").reset_index()
    sf = StatsForecast(models=[AutoETS(season_length=season)], freq=freq, n_jobs=1)
    start = time.perf_counter()
    out = sf.forecast(df=panel, h=horizon, level=ETS_LEVELS)
    fit_time = time.perf_counter() - start
    return {n: ets_quantiles(g) for n, g in out.groupby("unique_id")}, fit_time


def tourism_network(kind, factory, trains, seeds):
    """Mean over seeds of each series' quantiles (horizon, 19); total fit time."""
    from sklearn.preprocessing import FunctionTransformer

    from skseq.forecasting import WindowedForecaster

    season, horizon, freq = KINDS[kind]
    n_seasons, _ = TOURISM_CONFIGS["mlp-level"][kind]
    panel = to_panel(trains, freq)
    per_seed, fit_time = [], 0.0
    for seed in seeds:
        forecaster = WindowedForecaster(
            factory(seed),
            window=n_seasons * season,
            horizon=horizon,
            series_id="id",
            scale="level",
            target_transform=FunctionTransformer(np.log1p, inverse_func=np.expm1),
        )
        start = time.perf_counter()
        forecaster.fit(panel)
        fit_time += time.perf_counter() - start
        if hasattr(forecaster.estimator_, "distribution_"):
            out = forecaster.predict_quantiles(panel, quantiles=LEVELS)
            per_seed.append(
                {n: g[list(LEVELS)].to_numpy() for n, g in out.groupby("id")}
            )
        else:  # skseq's CQR: the 80% and 90% intervals only
            per_seed.append(panel_intervals(forecaster, panel))
    # averaging quantiles level by level (Vincentization) keeps them ordered
    return {n: np.mean([f[n] for f in per_seed], axis=0) for n in trains}, fit_time


def panel_intervals(forecaster, panel):
    """{id: (horizon, 19)} holding only the 80% and 90% bounds (NaN elsewhere)."""
    per = {}
    for c in COVERAGES:
        lower, upper = forecaster.predict_interval(panel, coverage=c)
        low = LEVELS.index(round((1 - c) / 2, 2))
        for j, bound in ((low, lower), (len(LEVELS) - 1 - low, upper)):
            for n, g in bound.groupby("id"):
                per.setdefault(n, np.full((len(g), len(LEVELS)), np.nan))
                per[n][:, j] = g["y"].to_numpy()
    return per


def tourism_scores(trains, futures, quantiles, season):
    """Per-series scores (each divided by the series' in-sample seasonal naive
    MAE, except coverage), averaged over the horizon, then over the series."""
    per = []
    for name, y in futures.items():
        scale = snaive_mae(trains[name], season)
        scores = point_scores(y, quantiles[name], scale)
        per.append({k: float(np.mean(v)) for k, v in scores.items()})
    return pd.DataFrame(per).mean().to_dict()


def run_tourism(mode, kinds, seeds, select, quick, methods, lines):
    for kind in kinds:
        season = KINDS[kind][0]
        trains, futures, _ = load(kind, mode)
        # a forecast needs one window of history: on --mode val, M146 (43
        # months, window 48) has none and is left out of every method's scores
        window = TOURISM_CONFIGS["mlp-level"][kind][0] * season
        short = [n for n, y in trains.items() if len(y) < window]
        if short:
            print(f"{kind}: left out (shorter than the window): {short}")
            trains = {n: y for n, y in trains.items() if n not in short}
            futures = {n: futures[n] for n in trains}
        if quick:
            keep = list(trains)[:20]
            trains = {n: trains[n] for n in keep}
            futures = {n: futures[n] for n in keep}
        if not methods or "AutoETS" in methods:
            q, fit_time = tourism_ets(kind, trains)
            scores = tourism_scores(trains, futures, q, season)
            lines.append(summary(kind, "AutoETS", f"season {season}", scores, fit_time))
            print_line(lines[-1])
        for method, candidates in tourism_candidates(kind).items():
            if methods and method not in methods:
                continue
            for name, factory in candidates:
                if not select and name != TOURISM_CHOSEN[kind][method]:
                    continue
                if quick:
                    factory = lambda s, f=factory: f(s).set_params(  # noqa: E731
                        **{_epochs_key(f(s)): 1}
                    )
                q, fit_time = tourism_network(kind, factory, trains, seeds)
                scores = tourism_scores(trains, futures, q, season)
                lines.append(summary(kind, method, name, scores, fit_time))
                print_line(lines[-1])


def _epochs_key(estimator):
    return "estimator__epochs" if hasattr(estimator, "estimator") else "epochs"


# -- tables ---------------------------------------------------------------------
def summary(data, method, config, scores, fit_time, scale=1.0):
    """One table row: coverage in percent; interval scores and CRPS means
    (ridership: in thousands of boardings, ``scale=1e-3`` of millions)."""
    mean = {k: float(np.mean(v)) for k, v in scores.items()}
    return {
        "data": data,
        "method": method,
        "config": config,
        "cov80": 100 * mean["cov80"],
        "cov90": 100 * mean["cov90"],
        "IS80": mean["is80"] / scale,
        "IS90": mean["is90"] / scale,
        "CRPS": mean["crps"] / scale,
        "fit_s": fit_time,
    }


def print_line(line):
    print(pd.DataFrame([line]).to_string(index=False, float_format="%.3f"), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("val", "test"), default="val")
    parser.add_argument(
        "--data",
        nargs="+",
        choices=("ridership", "quarterly", "monthly"),
        default=["ridership", "quarterly", "monthly"],
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=40, help="ridership GRUs")
    parser.add_argument("--select", action="store_true", help="every candidate")
    parser.add_argument("--quick", action="store_true", help="20 series, 1 epoch")
    parser.add_argument(
        "--methods", nargs="+", default=None, help="only these (AutoETS too)"
    )
    parser.add_argument("--csv", default=None, help="write the table here")
    args = parser.parse_args(argv)
    if args.select and args.mode != "val":
        parser.error("--select chooses on validation: use it with --mode val")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="keras")
    warnings.filterwarnings("ignore", message=".*too short for one training window")
    lines = []
    if "ridership" in args.data:
        epochs = 1 if args.quick else args.epochs
        run_ridership(args.mode, epochs, args.select, args.methods, lines)
    kinds = [k for k in ("quarterly", "monthly") if k in args.data]
    if kinds:
        seeds = args.seeds[:1] if args.quick else args.seeds
        run_tourism(
            args.mode, kinds, seeds, args.select, args.quick, args.methods, lines
        )
    table = pd.DataFrame(lines)
    print(
        f"\n{args.mode}: coverage in %, IS = interval score (ridership: thousands "
        "of boardings; Tourism: MSIS), CRPS from 19 quantiles (Tourism: scaled)"
    )
    print(table.to_string(index=False, float_format="%.3f"))
    if args.csv:
        table.to_csv(args.csv, index=False, float_format="%.4f")


if __name__ == "__main__":
    main()
