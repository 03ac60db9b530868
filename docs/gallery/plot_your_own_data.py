"""
Your own data: from a CSV file to dated forecasts
=================================================

A daily series as it usually arrives: a CSV file with a date column, a day that
is missing, a text column and covariates. This example cleans it with pandas,
chooses the window with a time-ordered search, backtests the chosen model and
plots a dated forecast, with a calibrated interval, using
:class:`~skseq.plotting.ForecastDisplay`. The models are tiny so that the page
builds in seconds; see the comments for real settings. Only data up to May 2019
is used: later ridership is kept as a test period.
"""

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.model_selection import GridSearchCV

from skseq import ConformalForecaster, DenseForecaster
from skseq.datasets import load_ridership
from skseq.forecasting import SeriesSplit, WindowedForecaster, backtest
from skseq.plotting import (
    ForecastDisplay,
    plot_horizon_errors,
    plot_learning_curves,
)

# %%
# A CSV file like yours
# ---------------------
# We write one from the ridership data shipped with skseq, and drop a day from it.
raw = load_ridership()["2018-09":"2019-05"].reset_index()
raw = raw.drop(index=40)  # 2018-10-11 is missing
folder = Path(tempfile.mkdtemp())
raw.to_csv(folder / "ridership.csv", index=False)
print((folder / "ridership.csv").read_text().splitlines()[:3])

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
# A time-ordered search
# ---------------------
# :class:`~skseq.forecasting.WindowedForecaster` cuts windows inside ``fit``, so
# ``window`` is a hyperparameter. The bus ridership is a past covariate (known up
# to today), the day types are known in advance (future covariates).
# :class:`~skseq.forecasting.SeriesSplit` always validates on days after the
# training days. (Real settings: ``epochs=200`` with ``early_stopping=True``.)
day_types = ["day_A", "day_U", "day_W"]
train = data[:"2019-03-31"]
model = WindowedForecaster(
    DenseForecaster(epochs=5, learning_rate=0.01, random_state=0),
    window=14,
    horizon=7,
    target="rail",
    past_covariates=["bus"],
    future_covariates=day_types,
)
grid = {"window": [14, 28]}
search = GridSearchCV(model, grid, cv=SeriesSplit(n_splits=2))
search.fit(train)
print(pd.DataFrame(search.cv_results_)[["param_window", "mean_test_score"]])
best = search.best_estimator_
print(best.summary())

# %%
# Learning curves of the refitted best model: the loss is the MSE of the scaled
# rail ridership.
plot_learning_curves(best)
plt.show()

# %%
# Backtest
# --------
# Every day of April 2019, forecast the next seven days from the days before it,
# and measure the mean absolute error per day ahead (in boardings).
errors, forecasts = backtest(best, data[:"2019-05-07"], start="2019-04-01")
print(errors.round(0))
plot_horizon_errors(errors, ylabel="MAE (boardings)")
plt.show()

# %%
# A dated forecast with an interval
# ---------------------------------
# The forecast of the last week of May 2019, indexed by its dates, with the truth.
# It needs the day types of those seven days (``future``). Wrapping the network
# in a :class:`~skseq.ConformalForecaster` gives an interval calibrated on the
# latest training windows: ``predict_interval`` returns dated bounds in boardings.
history = data[:"2019-05-24"]
future = data.loc["2019-05-25":"2019-05-31", day_types]
with_interval = WindowedForecaster(
    ConformalForecaster(DenseForecaster(epochs=5, learning_rate=0.01, random_state=0)),
    window=best.window_,
    horizon=7,
    target="rail",
    past_covariates=["bus"],
    future_covariates=day_types,
).fit(history)
lower, upper = with_interval.predict_interval(history, coverage=0.8, future=future)
forecast = with_interval.forecast(history, future=future)
print(pd.DataFrame({"lower": lower, "forecast": forecast, "upper": upper}).round(0))
ForecastDisplay.from_estimator(
    with_interval, history, future=future, actual=data, coverage=0.8
)
plt.show()
