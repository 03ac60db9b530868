"""
Cutting a series into windows
=============================

A forecaster learns from windows: ``window`` steps of input and the ``horizon``
steps that follow. :func:`skseq.make_windows` cuts them out of a series (as strided
views, without copying), and :func:`skseq.plotting.plot_windows` shows which steps
each window holds.
"""

import matplotlib.pyplot as plt

from skseq import make_windows
from skseq.datasets import make_sine_series
from skseq.plotting import plot_windows

series = make_sine_series(1, 60, random_state=0)[0, :, 0]  # one series, 60 steps
X, y = make_windows(series, window=20, horizon=5, stride=4)
print("X:", X.shape, " y:", y.shape)

# %%
# Each row is one training pair: blue input steps, orange target steps. With
# ``stride=4`` consecutive windows start four steps apart.
ax = plot_windows(series, window=20, horizon=5, stride=4, n_windows=5)
ax.set_title("make_windows(series, window=20, horizon=5, stride=4)")
plt.show()
