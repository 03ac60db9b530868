"""Plots of forecasts, learning curves, per-horizon errors and windows.

matplotlib is an optional dependency (``pip install "skseq[plot]"``); it is imported
inside each function, so ``import skseq.plotting`` stays light. Every function draws
on ``ax`` (a new figure's axes when ``None``) and returns the axes it drew on;
:class:`ForecastDisplay` is the scikit-learn-style Display of a forecast.
"""

from ._display import ForecastDisplay
from ._horizon_errors import plot_horizon_errors
from ._plots import plot_forecast, plot_learning_curves, plot_windows

__all__ = [
    "ForecastDisplay",
    "plot_forecast",
    "plot_horizon_errors",
    "plot_learning_curves",
    "plot_windows",
]
