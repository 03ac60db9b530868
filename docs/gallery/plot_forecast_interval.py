"""
Calibrated forecast intervals: conformal versus Monte Carlo dropout
===================================================================

:class:`skseq.ConformalForecaster` holds out the latest 20% of the training
windows, measures the absolute errors of the wrapped forecaster on them, and
widens each forecast step by the matching quantile of those errors: a 90%
interval then holds about 90% of the truth on new data.

For comparison, a GRU with dropout kept on at prediction time (Monte Carlo
dropout) gives the quantiles of its own stochastic forecasts. They measure the
network's uncertainty, not the noise of the data, and hold far less of the truth
than their nominal coverage. Both are measured below on 300 held-out series.
"""

import matplotlib.pyplot as plt
import numpy as np

from skseq import ConformalForecaster, GRUForecaster
from skseq.datasets import make_sine_series
from skseq.plotting import plot_forecast

series = make_sine_series(1000, 60, random_state=42)
X, y = series[:, :50], series[:, 50:, 0]  # 50 steps in, the next 10 out
X_train, y_train, X_valid, y_valid = X[:700], y[:700], X[700:], y[700:]

# a few epochs, to keep the gallery fast
conformal = ConformalForecaster(GRUForecaster(16, epochs=10, random_state=0))
conformal.fit(X_train, y_train)
mc_dropout = GRUForecaster(16, dropout=0.2, epochs=10, random_state=0)
mc_dropout.fit(X_train, y_train)


def measured_coverage(lower, upper):
    """Share of the held-out true values inside the interval."""
    return np.mean((lower <= y_valid) & (y_valid <= upper))


# %%
# The 90% interval of each method for one held-out series, with the share of
# all 3000 held-out values (300 series x 10 steps) it holds.
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True, layout="constrained")
models = {"split conformal": conformal, "MC dropout": mc_dropout}
for ax, (name, model) in zip(axes, models.items(), strict=True):
    lower, upper = model.predict_interval(X_valid, coverage=0.9)
    plot_forecast(
        X_valid[0, :, 0],
        model.predict(X_valid[:1])[0],
        actual=y_valid[0],
        lower=lower[0],
        upper=upper[0],
        coverage=0.9,
        ax=ax,
    )
    ax.set_title(f"{name}: holds {measured_coverage(lower, upper):.0%} of the truth")
axes[0].get_legend().remove()  # one legend, right of the second panel
axes[1].set_ylabel("")
fig.suptitle("GRU(16), 10-step forecasts and their nominal 90% intervals")
plt.show()
