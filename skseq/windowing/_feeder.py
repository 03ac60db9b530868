"""Batches of windows cut from a series on the fly, for Keras training.

``make_windows`` returns strided views, but Keras copies its inputs into tensors, so
training on every window of a long series costs ``n_windows * window * n_features``
values of memory. :class:`WindowBatches` (a ``keras.utils.PyDataset``) instead keeps
the series and cuts each batch of windows when Keras asks for it: memory grows with
the series and the batch size, not with ``window x n_windows``.

Keras is imported when ``WindowBatches`` is first used (module ``__getattr__``), so
importing this module, like the rest of :mod:`skseq.windowing`, needs only NumPy.
"""

import math

import numpy as np

from ..utils._validation import as_float, check_float, check_int, validation_size
from ..utils._weights import (
    check_sample_weight,
    is_uniform,
    per_step,
    relative_weights,
)
from ._windows import as_series_array, window_view

# WindowBatches is defined on first access, by the module __getattr__ below.
__all__ = ["WindowBatches", "window_batch"]  # noqa: F822


def window_batch(series, targets, starts, window, horizon):
    """Cut the windows starting at ``starts`` and the values that follow them.

    Only the rows between the first and the last window of the batch are viewed
    (:func:`~skseq.windowing.window_view` of that slice); the result holds just
    the batch.

    Parameters
    ----------
    series : ndarray of shape (n_steps, n_features)
        Inputs; rows are time steps.
    targets : ndarray of shape (n_steps_targets, n_targets)
        Target series on the same time axis: window ``i`` is followed by
        ``targets[i + window : i + window + horizon]``.
    starts : ndarray of int of shape (batch_size,)
        First row of each window, in any order.
    window, horizon : int
        Input and output lengths.

    Returns
    -------
    X : ndarray of shape (batch_size, window, n_features)
    y : ndarray of shape (batch_size, horizon, n_targets)

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.windowing._feeder import window_batch
    >>> series = np.arange(10.0).reshape(-1, 1)
    >>> X, y = window_batch(series, series, np.array([5, 0]), window=3, horizon=2)
    >>> X[:, :, 0], y[:, :, 0]
    (array([[5., 6., 7.],
           [0., 1., 2.]]), array([[8., 9.],
           [3., 4.]]))
    """
    starts = np.asarray(starts, dtype=np.intp)
    first, last = int(starts.min()), int(starts.max())
    offsets = starts - first
    inputs = window_view(series[first : last + window], window)
    outputs = window_view(targets[first + window : last + window + horizon], horizon)
    return inputs[offsets], outputs[offsets]


class _WindowBatchesLogic:
    """Everything of ``WindowBatches`` but the Keras base class (NumPy only)."""

    def _setup(
        self,
        series,
        targets,
        window,
        horizon,
        batch_size,
        shuffle,
        seed,
        starts,
        transform,
        sample_weight=None,
        split_order=None,
        window_scaling=None,
    ):
        self.window = check_int(window, "window", min_value=1)
        self.horizon = check_int(horizon, "horizon", min_value=1)
        self.batch_size = check_int(batch_size, "batch_size", min_value=1)
        self.series = _as_float32(series, "series")
        self.targets = (
            self.series if targets is None else _as_float32(targets, "targets")
        )
        n_windows = min(
            len(self.series) - self.window + 1,
            len(self.targets) - self.window - self.horizon + 1,
        )
        if n_windows < 1:
            raise ValueError(
                f"The series has {len(self.series)} time steps (targets: "
                f"{len(self.targets)}), too short for window={self.window} plus "
                f"horizon={self.horizon}."
            )
        if starts is None:
            starts = np.arange(n_windows)
        starts = np.asarray(starts)
        if starts.dtype.kind not in "iu":  # int32 starts stay int32: half the memory
            starts = np.asarray(starts, dtype=np.intp)
        if starts.ndim != 1 or not len(starts):
            raise ValueError("starts must be a non-empty 1D array of window starts.")
        if starts.min() < 0 or starts.max() >= n_windows:
            raise ValueError(
                f"starts must lie in [0, {n_windows - 1}], the windows of the series."
            )
        self.sample_weight = check_sample_weight(
            sample_weight, n_windows, unit="window of the series"
        )
        if split_order is not None:
            split_order = np.asarray(split_order)
            if split_order.shape != starts.shape:
                raise ValueError(
                    f"split_order has shape {split_order.shape}; it must give one "
                    f"key per start, shape {starts.shape}."
                )
        if self.sample_weight is not None and self.sample_weight[starts].any():
            # A window of weight 0 is left out, not batched: in a batch it would
            # still enter batch normalisation's statistics (as in fit's arrays).
            kept = self.sample_weight[starts] != 0
            starts = starts[kept]
            split_order = None if split_order is None else split_order[kept]
        self.split_order = split_order
        self.window_scaling = window_scaling
        self.starts = starts
        self._weights = None
        if self.sample_weight is not None and not is_uniform(
            self.sample_weight[starts]
        ):
            # Relative over the windows this source covers, like fit's arrays.
            self._weights = np.zeros(n_windows, dtype=np.float32)
            self._weights[starts] = relative_weights(
                self.sample_weight[starts], "the windows of this source"
            )
        self.shuffle = bool(shuffle)
        self.seed = seed
        self.transform = transform
        self._rng = np.random.default_rng(seed)
        self._order = self._rng.permutation(starts) if self.shuffle else starts

    @property
    def n_windows(self):
        """Number of windows this source covers."""
        return len(self.starts)

    def __len__(self):
        return math.ceil(len(self.starts) / self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"batch index {index} out of range [0, {len(self)}).")
        batch = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        X, y = self._cut(batch)
        X, y = (X, y) if self.transform is None else self.transform(X, y)
        if self._weights is None:
            return X, y
        return X, y, per_step(self._weights[batch], y)

    def on_epoch_end(self):
        if self.shuffle:
            self._order = self._rng.permutation(self.starts)

    def peek(self):
        """The first windows in time order, ``(X, y)`` with 3D ``y``, untransformed.

        Lets an estimator check shapes before training."""
        return self._cut(self.starts[: self.batch_size])

    def _cut(self, batch):
        """The windows starting at ``batch`` and their targets, each window
        divided by its scale with ``window_scaling``."""
        X, y = window_batch(self.series, self.targets, batch, self.window, self.horizon)
        if self.window_scaling is None:
            return X, y
        X, y, _ = self.window_scaling.apply(X, y)
        return X, y.astype(np.float32, copy=False)

    def replace(self, **changes):
        """A new source over the same series with some parameters changed."""
        params = {
            "series": self.series,
            "targets": self.targets,
            "window": self.window,
            "horizon": self.horizon,
            "batch_size": self.batch_size,
            "shuffle": self.shuffle,
            "seed": self.seed,
            "starts": self.starts,
            "transform": self.transform,
            "sample_weight": self.sample_weight,
            "split_order": self.split_order,
            "window_scaling": self.window_scaling,
        }
        keras_options = {"workers", "use_multiprocessing", "max_queue_size"}
        unknown = set(changes) - set(params) - keras_options
        if unknown:
            raise TypeError(f"Unknown WindowBatches parameter(s): {sorted(unknown)}.")
        return type(self)(**{**params, **self._dataset_kwargs, **changes})

    def split(self, fraction):
        """Hold out the last ``fraction`` of the windows, in time order.

        The same split as the estimators' ``early_stopping``: the validation
        windows are the ``ceil(n_windows * fraction)`` latest, never shuffled.

        Returns
        -------
        train, validation : WindowBatches
            ``validation`` does not shuffle.
        """
        fraction = check_float(fraction, "validation_fraction", low=0, high=1)
        key = self.starts if self.split_order is None else self.split_order
        order = np.argsort(key, kind="stable")
        starts = self.starts[order]
        keys = None if self.split_order is None else self.split_order[order]
        n_val = validation_size(len(starts), fraction, unit="window")
        return (
            self.replace(starts=starts[:-n_val], split_order=_part(keys, -n_val, 0)),
            self.replace(
                starts=starts[-n_val:],
                shuffle=False,
                split_order=_part(keys, -n_val, 1),
            ),
        )


def _part(keys, cut, second):
    """``keys[:cut]`` or ``keys[cut:]``, or None without keys."""
    if keys is None:
        return None
    return keys[cut:] if second else keys[:cut]


def _as_float32(values, name):
    values = as_series_array(values, name=name)
    return as_float(values, np.float32, name)


_DOC = """Batches of (window, horizon) pairs cut from a series when Keras asks.

    A ``keras.utils.PyDataset``: pass it to ``model.fit``, or to a Keras-backed
    skseq forecaster through :class:`skseq.forecasting.WindowedForecaster`. Batch
    ``k`` holds the windows ``series[i : i + window]`` and their targets
    ``targets[i + window : i + window + horizon]`` for the ``batch_size`` starts
    ``i`` in position ``k`` of the (optionally shuffled) order; they are identical
    to :func:`skseq.make_windows`'s ``X`` and 3D ``y`` at those rows. Only the
    series (as float32) and one batch are held in memory.

    Parameters
    ----------
    series : array-like of shape (n_steps,) or (n_steps, n_features)
        Model inputs; rows are time steps.
    targets : array-like of shape (n_steps_targets,) or \
            (n_steps_targets, n_targets), or None
        Series to forecast, on the time axis of ``series`` (it may be longer, as
        when the inputs hold known-future covariates); ``None`` uses ``series``.
    window : int
        Input time steps per window.
    horizon : int, default=1
        Target time steps after each window.
    batch_size : int, default=32
        Windows per batch; the last batch may be smaller.
    shuffle : bool, default=False
        Shuffle the windows, afresh at the end of every epoch. Pass
        ``shuffle=False`` to ``model.fit`` so that Keras keeps this order.
    seed : int or None, default=None
        Seed of the local shuffling generator.
    starts : array-like of int, default=None
        Window starts this source covers; ``None`` means every window.
    transform : callable, default=None
        ``transform(X, y) -> (X, y)`` applied to each batch, e.g. to turn ``y``
        into per-step targets for a sequence-to-sequence network.
    sample_weight : array-like of shape (n_windows_of_series,), default=None
        Weight of every window of the series, by start. If set, each batch is
        ``(X, y, weights)``, the weights scaled to mean 1 over ``starts``
        (relative weights, as the estimators' ``fit`` uses them). Windows of
        weight 0 are left out of ``starts``, so no batch holds them.
    split_order : array-like of shape (len(starts),), default=None
        The order in time of the windows of ``starts``, for :meth:`split`'s
        "latest windows" (default: the starts themselves, later rows being
        later). Panels concatenate series, so there the latest windows are
        those nearest to the end of *their* series.
    window_scaling : WindowNorm or None, default=None
        Normalize each window and its target values
        (:class:`~skseq.windowing._panel.WindowNorm`: by the window's mean
        absolute target, or its level), before ``transform``.
    **kwargs
        ``workers``, ``use_multiprocessing``, ``max_queue_size`` of
        ``keras.utils.PyDataset``.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.windowing._feeder import WindowBatches
    >>> series = np.arange(100.0)
    >>> batches = WindowBatches(series, None, window=10, horizon=2, batch_size=8)
    >>> len(batches), batches.n_windows
    (12, 89)
    >>> X, y = batches[0]
    >>> X.shape, y.shape
    ((8, 10, 1), (8, 2, 1))
    """


def _define_window_batches():
    from ..utils._keras import import_keras

    keras = import_keras()

    class WindowBatches(_WindowBatchesLogic, keras.utils.PyDataset):
        __doc__ = _DOC

        def __init__(
            self,
            series,
            targets,
            window,
            horizon=1,
            batch_size=32,
            *,
            shuffle=False,
            seed=None,
            starts=None,
            transform=None,
            sample_weight=None,
            split_order=None,
            window_scaling=None,
            **kwargs,
        ):
            keras.utils.PyDataset.__init__(self, **kwargs)
            self._dataset_kwargs = kwargs
            self._setup(
                series,
                targets,
                window,
                horizon,
                batch_size,
                shuffle,
                seed,
                starts,
                transform,
                sample_weight,
                split_order,
                window_scaling,
            )

    WindowBatches.__module__ = __name__
    return WindowBatches


def __getattr__(name):
    # PEP 562: build the Keras subclass on first use, not at import.
    if name == "WindowBatches":
        cls = _define_window_batches()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
