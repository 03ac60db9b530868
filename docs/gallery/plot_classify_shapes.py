"""
Classifying shapes: a UCR-style data set, of variable lengths
=============================================================

The UCR archive's *Cylinder-Bell-Funnel* problem (Saito, 1994) is a classic
benchmark of time series classification: a plateau (cylinder), a ramp up (bell)
or a ramp down (funnel) at a random place, in noise. It is defined by formulas,
so this example makes it, with one change: each series has its own length,
between 64 and 128 steps, which RNN classifiers read as they are.

skseq's classifiers take such data as a list of arrays (or an array padded with
NaN): they pad and mask inside, so padding never changes a prediction.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import train_test_split

from skseq import ConvClassifier, GRUClassifier

SHAPES = ("cylinder", "bell", "funnel")


def make_cbf(n_series, random_state=None):
    """Cylinder-Bell-Funnel series of 64 to 128 steps, and their shapes."""
    rng = np.random.default_rng(random_state)
    X, y = [], []
    for _ in range(n_series):
        n_steps = int(rng.integers(64, 129))
        t = np.arange(n_steps)
        start = rng.uniform(n_steps / 8, n_steps / 4)
        end = start + rng.uniform(n_steps / 4, 3 * n_steps / 4)
        inside = (t >= start) & (t <= end)
        shape = rng.choice(SHAPES)
        ramp = {"cylinder": 1.0, "bell": (t - start) / (end - start)}
        profile = ramp.get(shape, (end - t) / (end - start))
        series = (6 + rng.normal()) * inside * profile + rng.normal(size=n_steps)
        X.append(series[:, np.newaxis])  # (n_steps, 1 feature)
        y.append(shape)
    return X, np.array(y)


X, y = make_cbf(600, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
print("lengths of the first series:", [len(x) for x in X[:6]])

fig, axes = plt.subplots(1, 3, figsize=(9, 2.5), sharey=True)
for ax, shape in zip(axes, SHAPES, strict=True):
    for i in np.flatnonzero(y == shape)[:3]:
        ax.plot(X[i][:, 0], linewidth=0.8)
    ax.set(title=shape, xlabel="time step")
axes[0].set_ylabel("value")
fig.suptitle("Three series of each shape (lengths differ)")
fig.tight_layout()

# %%
# Two of the chapter's sequence-to-vector networks: a GRU whose last valid step
# feeds the softmax, and 1D convolutions with global max pooling. A few epochs
# keep the gallery fast. Beside them, the baseline: always the most frequent
# shape of the training series (about one in three).
models = {
    "baseline": DummyClassifier(),
    "GRU": GRUClassifier(16, epochs=6, learning_rate=0.01, random_state=0),
    "Conv1D": ConvClassifier(16, epochs=6, learning_rate=0.01, random_state=0),
}
for name, model in models.items():
    model.fit(X_train, y_train)
    print(f"{name:8} test accuracy {model.score(X_test, y_test):.3f}")

# %%
# Where the GRU errs: its confusion matrix on the test series.
display = ConfusionMatrixDisplay.from_estimator(models["GRU"], X_test, y_test)
display.ax_.set_title("GRU: test series per true and predicted shape")
plt.show()
