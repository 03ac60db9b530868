"""
Your own data: from a CSV file to dated forecasts
=================================================

A daily series as it usually arrives: a CSV file with a date column, a day that
is missing, a text column and covariates. This example cleans it with pandas,
chooses the window with a time-ordered search, compares the chosen model with
the seasonal naive baseline, backtests both and plots a dated forecast, with a
calibrated interval, using :class:`~skseq.plotting.ForecastDisplay`. The model is
the exact linear one (:class:`~skseq.DenseForecaster`, solved by least squares
in milliseconds): the baseline any network must beat, searched the same way.
Only data up to May 2019 is used: later ridership is kept as a test period.
"""

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.model_selection import GridSearchCV, cross_validate

from skseq import ConformalForecaster, DenseForecaster, NaiveForecaster
from skseq.datasets import load_ridership
from skseq.forecasting import SeriesSplit, WindowedForecaster, backtest
from skseq.metrics import get_scorer
from skseq.plotting import (
    ForecastDisplay,
    plot_horizon_errors,
)

# %%
# A CSV file like yours
# ---------------------
# We write one from the ridership data shipped with skseq, and drop a day from it.
raw = load_ridership()["2016-01":"2019-05"].reset_index()
raw = raw[raw["date"] != "2018-10-11"]  # a day is missing
folder = Path(tempfile.mkdtemp())
raw.to_csv(folder / "ridership.csv", index=False)
print(*(folder / "ridership.csv").read_text().splitlines()[:3], sep="\n")

# %%
# Reading and cleaning
# --------------------
# ``parse_dates`` turns the date column into dates, ``index_col`` makes them the
# index. ``day_type`` holds text (W weekday, A Saturday, U Sunday/holiday): the
# network needs numbers, so it becomes one 0/1 column per day type.
frame = pd.read_csv(
    folder / "ridership.csv",
    parse_dates=["date"],
    index_col="date",
)
print(frame.dtypes)
all_days = pd.date_range(frame.index[0], frame.index[-1])
print("days missing:", len(all_days) - len(frame))

# %%
# A forecaster needs one row per day. ``asfreq("D")`` inserts the missing day (as
# NaN) and ``interpolate()`` fills it from its neighbours; the day type of a
# filled day comes from the calendar's neighbours too (``ffill``).
numbers = frame[["rail", "bus"]].asfreq("D").interpolate()
day_type = frame["day_type"].asfreq("D").ffill()
data = numbers.join(pd.get_dummies(day_type, prefix="day", dtype=float))
print(data.loc["2018-10-10":"2018-10-12"])

# %%
# A time-ordered search, and the baseline it must beat
# ----------------------------------------------------
# :class:`~skseq.forecasting.WindowedForecaster` cuts windows inside ``fit``, so
# ``window`` is a hyperparameter. The bus ridership is a past covariate (known up
# to today), the day types are known in advance (future covariates).
# :class:`~skseq.forecasting.SeriesSplit` always validates on days after the
# training days. The target is passed as ``y`` too, ``search.fit(train,
# train["rail"])``: it is what the scorers compare each forecast with, so that
# sklearn's names (``"neg_mean_absolute_error"``) and skseq's
# (:func:`skseq.metrics.get_scorer`) both work. A network goes in the same place,
# e.g. ``GRUForecaster(epochs=200, early_stopping=True)`` (minutes, not
# milliseconds), and must beat this linear model to be worth it.
day_types = ["day_A", "day_U", "day_W"]
train = data[:"2019-03-31"]
model = WindowedForecaster(
    DenseForecaster(),
    window=14,
    horizon=7,
    target="rail",
    past_covariates=["bus"],
    future_covariates=day_types,
)
scoring = {"mae": "neg_mean_absolute_error", "mase": get_scorer("neg_mase_7")}
cv = SeriesSplit(n_splits=3, test_size=28)
search = GridSearchCV(model, {"window": [14, 28]}, cv=cv, scoring=scoring, refit="mae")
search.fit(train, train["rail"])
best = search.best_estimator_
print(best.summary())

# %%
# The baseline: the same day last week (seasonal naive), scored on the same
# folds. Scores are negated errors; we print the errors: MAE in boardings, and
# MASE, the MAE over that of repeating last week inside the training days (below
# 1 beats it there).
naive = WindowedForecaster(
    NaiveForecaster(season=7), window=7, horizon=7, target="rail"
)
naive_cv = cross_validate(naive, train, train["rail"], cv=cv, scoring=scoring)
results = pd.DataFrame(search.cv_results_)
table = pd.DataFrame(
    {m: -results[f"mean_test_{m}"].to_numpy() for m in scoring},
    index=[f"linear, window={w}" for w in results["param_window"]],
)
table.loc["seasonal naive"] = [-naive_cv[f"test_{m}"].mean() for m in scoring]
print(table.round(3))

# %%
# Backtest
# --------
# Every day of April 2019, forecast the next seven days from the days before it,
# and measure the mean absolute error per day ahead (in boardings), for the
# chosen linear model and for the seasonal naive baseline.
recent = data[:"2019-05-07"]
errors, forecasts = backtest(best, recent, start="2019-04-01")
naive_errors, _ = backtest(naive, recent, start="2019-04-01")
errors = pd.concat(
    {"linear": errors.iloc[:, 0], "seasonal naive": naive_errors.iloc[:, 0]}, axis=1
)
print(errors.round(0))
ax = plot_horizon_errors(errors, ylabel="MAE (boardings)")
ax.set_title("Rail boardings, backtest from 2019-04-01: error per day ahead")
plt.show()

# %%
# A dated forecast with an interval
# ---------------------------------
# The forecast of the last week of May 2019, indexed by its dates, with the truth.
# It needs the day types of those seven days (``future``). Wrapping the model
# in a :class:`~skseq.ConformalForecaster` gives an interval calibrated on the
# latest training windows: ``forecast_interval`` returns dated bounds in boardings.
history = data[:"2019-05-24"]
future = data.loc["2019-05-25":"2019-05-31", day_types]
with_interval = WindowedForecaster(
    ConformalForecaster(DenseForecaster()),
    window=best.window_,
    horizon=7,
    target="rail",
    past_covariates=["bus"],
    future_covariates=day_types,
).fit(history)
lower, upper = with_interval.forecast_interval(history, coverage=0.8, future=future)
forecast = with_interval.forecast(history, future=future)
truth = data.loc["2019-05-25":"2019-05-31", "rail"]
print(pd.DataFrame({"lower": lower, "forecast": forecast, "upper": upper}).round(0))

# %%
# An 80% interval should hold about 5.6 of 7 true values (over many weeks:
# one week is a small sample).
inside = int(((truth >= lower) & (truth <= upper)).sum())
print(f"{inside} of {len(truth)} true values inside the 80% interval")
display = ForecastDisplay.from_estimator(
    with_interval, history, future=future, actual=data, coverage=0.8
)
display.ax_.set_title("Rail boardings: linear forecast, conformal 80% interval")
display.ax_.set_ylabel("boardings per day")
plt.show()
