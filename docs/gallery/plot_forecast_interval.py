"""
Forecasts with Monte Carlo dropout intervals
============================================

A GRU with dropout on its inputs, kept on at prediction time, gives a
distribution of forecasts:
:meth:`~skseq.GRUForecaster.predict_interval` returns its quantiles and
:func:`skseq.plotting.plot_forecast` draws them around the mean forecast.
"""

import matplotlib.pyplot as plt

from skseq import GRUForecaster
from skseq.datasets import make_sine_series
from skseq.plotting import plot_forecast

series = make_sine_series(700, 60, random_state=42)
X, y = series[:, :50], series[:, 50:, 0]  # 50 steps in, the next 10 out
X_train, y_train, X_valid, y_valid = X[:600], y[:600], X[600:], y[600:]

model = GRUForecaster(
    16,
    dropout=0.1,
    mc_samples=30,
    epochs=5,  # a few epochs, to keep the gallery fast
    random_state=0,
)
model.fit(X_train, y_train)

# %%
# The mean of 30 stochastic forecasts and its 90% interval, for one validation
# series, against the truth.
mean, std = model.predict(X_valid[:1], return_std=True)
lower, upper = model.predict_interval(X_valid[:1], coverage=0.9)
ax = plot_forecast(
    X_valid[0, :, 0],
    mean[0],
    actual=y_valid[0],
    lower=lower[0],
    upper=upper[0],
    coverage=0.9,
)
ax.set_title("GRU(16) with dropout: 10-step forecast and 90% interval")
plt.show()
