"""
Three ways to forecast ten steps
================================

The chapter forecasts 10 steps ahead by feeding a one-step model its own forecasts
(``strategy="recursive"``), by predicting the 10 values at once from the last state
(``"direct"``), or by forecasting 10 steps at every time step (``"seq2seq"``). Here
each strategy trains a small GRU for a few epochs and the error of each step ahead
is compared with :func:`skseq.plotting.plot_horizon_errors`.
"""

import matplotlib.pyplot as plt
import pandas as pd

from skseq import GRUForecaster, NaiveForecaster
from skseq.datasets import make_sine_series
from skseq.plotting import plot_horizon_errors

series = make_sine_series(1000, 60, random_state=42)
X, y = series[:, :50], series[:, 50:, 0]
X_train, y_train, X_valid, y_valid = X[:800], y[:800], X[800:], y[800:]

models = {"naive": NaiveForecaster()}
for strategy in ("recursive", "direct", "seq2seq"):
    models[strategy] = GRUForecaster(
        16, strategy=strategy, epochs=4, learning_rate=0.01, random_state=0
    )

errors = {}
for name, model in models.items():
    y_pred = model.fit(X_train, y_train).predict(X_valid)
    mse = ((y_pred - y_valid) ** 2).mean(axis=0)  # one MSE per step ahead
    errors[name] = pd.Series(mse, index=pd.RangeIndex(1, 11, name="step"))
print(pd.DataFrame(errors).round(4))

# %%
# Errors grow with the step ahead; the recursive forecast accumulates its own
# mistakes, while the sequence-to-sequence model gets the most training signal.
ax = plot_horizon_errors(errors, ylabel="validation MSE")
ax.set_title("GRU(16), 4 epochs: error per step ahead")
plt.show()
