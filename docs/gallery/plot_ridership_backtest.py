"""
Backtesting a ridership forecaster
==================================

The third edition forecasts the daily rail ridership of Chicago's transit authority
(shipped with skseq). :class:`~skseq.forecasting.WindowedForecaster` windows the
series inside ``fit``, scales it and adds the day type as a known-future
covariate; :func:`~skseq.forecasting.backtest` then forecasts each week of spring
2019 from the 28 days before it, beside the seasonal naive baseline (the same day a
week earlier).

The chapter's linear model reads 56 days. Here each day also carries its day type
and the next week's (22 columns), so 56 days would give the least-squares model
1,233 weights for about 1,100 training windows: it would fit the training windows
exactly and forecast arbitrarily (skseq warns with ``UnderdeterminedWarning``).
28 days give 617 weights.
"""

import matplotlib.pyplot as plt
import pandas as pd

from skseq import DenseForecaster, NaiveForecaster
from skseq.datasets import load_ridership
from skseq.forecasting import WindowedForecaster, backtest
from skseq.plotting import plot_forecast, plot_horizon_errors

ridership = pd.get_dummies(load_ridership(), columns=["day_type"], dtype=float)
history = ridership["2016-01":"2019-05"]
day_types = ["day_type_A", "day_type_U", "day_type_W"]

linear = WindowedForecaster(
    DenseForecaster(random_state=0),  # exact least squares
    window=28,
    horizon=7,
    target="rail",
    future_covariates=day_types,
    difference=None,  # the levels, as the chapter's linear model (see below)
)
naive = WindowedForecaster(
    NaiveForecaster(season=7), window=28, horizon=7, target="rail", scale=False
)

# %%
# Each model is fitted on the days before 2019-03-01 and forecasts the next seven
# days from every day of March to May 2019.
results = {}
for name, model in {"naive (a week earlier)": naive, "linear": linear}.items():
    errors, forecasts = backtest(model, history, start="2019-03-01")
    results[name] = errors
print(pd.DataFrame({name: e["rail"] for name, e in results.items()}).round(0))

# %%
# Mean absolute error in boardings per day, by day ahead: the linear model beats
# the naive forecast at every step (``skseq reproduce --only ridership`` runs the
# chapter's whole table). Both forecast the levels: ``difference=None`` keeps the
# chapter's model (the default, ``difference="auto"``, would choose a weekly
# difference, ``(7,)``, on this series; it never differences the naive baseline).
ax = plot_horizon_errors(results, ylabel="MAE (boardings)")
ax.set_title("Rail ridership, Mar-May 2019: error per day ahead")
plt.show()

# %%
# One forecast of the fitted linear model, made on 2019-03-31.
model = linear.fit(history[:"2019-03-31"])
future = history.loc["2019-04-01":"2019-04-07", day_types]
forecast = model.forecast(history[:"2019-03-31"], future=future)
ax = plot_forecast(
    history.loc["2019-02-04":"2019-03-31", "rail"],
    forecast,
    actual=history.loc[forecast.index, "rail"],
    ylabel="rail boardings per day",
)
ax.set_title("Linear model on 28 days: the week of 2019-04-01")
plt.show()
