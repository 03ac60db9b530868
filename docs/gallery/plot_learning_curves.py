"""
Learning curves and early stopping
==================================

Every Keras-backed estimator keeps its losses per epoch in ``history_``. With
``early_stopping=True`` the latest 10% of the samples are held out and
``val_loss`` is recorded too; :func:`skseq.plotting.plot_learning_curves` draws both.
"""

import matplotlib.pyplot as plt
import numpy as np

from skseq import NaiveForecaster, SimpleRNNForecaster
from skseq.datasets import make_sine_series
from skseq.plotting import plot_learning_curves

series = make_sine_series(1000, 51, random_state=42)
X, y = series[:, :50], series[:, 50, 0]

model = SimpleRNNForecaster(
    (20, 20), epochs=8, early_stopping=True, patience=3, random_state=0
)
model.fit(X, y)
print({key: [round(v, 4) for v in values] for key, values in model.history_.items()})

# %%
# ``val_loss`` is the MSE on the latest 10% of the sequences (``validation_fraction``);
# the baseline there, the last value repeated, scores:
held_out = slice(len(X) - len(X) // 10, None)
naive = NaiveForecaster().fit(X, y)
naive_mse = np.mean((naive.predict(X[held_out]) - y[held_out]) ** 2)
print(f"naive forecast, same held-out sequences: MSE {naive_mse:.4f}")

# %%
ax = plot_learning_curves(model, log_scale=True)
ax.set_title("Deep SimpleRNN (20, 20): training and validation loss")
plt.show()
