"""
Backtesting a ridership forecaster
==================================

The third edition forecasts the daily rail ridership of Chicago's transit authority
(shipped with skseq). :class:`~skseq.forecasting.WindowedForecaster` windows the
series inside ``fit``, scales it and adds the day type as a known-future
covariate; :func:`~skseq.forecasting.backtest` then forecasts each day of spring 2019
from the 56 days before it.
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
    DenseForecaster(epochs=10, learning_rate=0.01, random_state=0),
    window=56,
    horizon=7,
    target="rail",
    future_covariates=day_types,
)
naive = WindowedForecaster(
    NaiveForecaster(season=7), window=56, horizon=7, target="rail", scale=False
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
# After only 10 epochs the linear model is still worse than the naive forecast;
# the chapter trains for up to 500 epochs with early stopping (run
# ``skseq reproduce --only ridership`` for its whole table).
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
ax.set_title("Linear model on 56 days: the week of 2019-04-01")
plt.show()
