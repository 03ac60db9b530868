"""Batches of windows cut from a series on the fly, for Keras training.

``make_windows`` returns strided views, but Keras copies its inputs into tensors, so
training on every window of a long series costs ``n_windows * window * n_features``
values of memory. :class:`WindowBatches` (a ``keras.utils.PyDataset``) instead keeps
the series and cuts each batch of windows when Keras asks for it: memory grows with
the series and the batch size, not with ``window x n_windows``.

What a batch feeder does, this one and a panel's
(:class:`~skseq.windowing._panel_feeder.PanelBatches`), is written once, in
``_Batches``: serving the windows in time order or shuffled afresh every epoch,
cutting a batch from its window starts (:func:`window_batch`), scaling,
transforming and weighting it, and ``peek``/``replace``. A feeder says only
which windows it covers and where each starts.

Keras is imported when ``WindowBatches`` is first used (module ``__getattr__``,
:func:`keras_dataset`), so importing this module, like the rest of
:mod:`skseq.windowing`, needs only NumPy.
"""

import inspect
import math

import numpy as np

from ..utils._validation import as_float, check_float, check_int, validation_size
from ..utils._weights import (
    check_sample_weight,
    is_uniform,
    per_step,
    relative_weights,
)
from ._windows import as_series_array, no_training_message, purge_mask, window_view

# WindowBatches is defined on first access, by the module __getattr__ below.
__all__ = ["WindowBatches", "window_batch"]  # noqa: F822

KERAS_OPTIONS = {"workers", "use_multiprocessing", "max_queue_size"}


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


class _Batches:
    """The batches of windows numbered ``0 .. n_windows - 1`` in time order,
    served in that order or shuffled afresh every epoch, each cut when asked:
    what the feeders share, without the Keras base class (NumPy only).

    A feeder's ``__init__`` passes the parameters of the batch order here and
    stores all others under their own names, ``transform`` and
    ``window_scaling`` included (``replace`` reads them back, as sklearn's
    ``get_params`` does), and sets ``_weights`` (None: unweighted). It defines
    ``n_windows``, ``_rows()`` (the inputs and targets the windows are cut
    from) and ``_locate(ids)``: where the windows of those ids start, and the
    keys of their weights in ``_weights`` (and of their series in
    ``series_scaling``). A window's id is its position in time order unless
    the feeder's ``_ids`` says otherwise; a shuffled order holds ids.
    """

    series_scaling = None  # per-series standardization of the rows (panels)

    def __init__(self, window, horizon, batch_size, shuffle, seed, **kwargs):
        # in a feeder's MRO the next class is keras.utils.PyDataset
        super().__init__(**kwargs)
        self._dataset_kwargs = kwargs
        self.window = check_int(window, "window", min_value=1)
        self.horizon = check_int(horizon, "horizon", min_value=1)
        self.batch_size = check_int(batch_size, "batch_size", min_value=1)
        self.shuffle = bool(shuffle)
        self.seed = seed
        self.transform = self.window_scaling = None
        self._weights = None
        self._rng = np.random.default_rng(seed)
        self._order = None

    def __len__(self):
        return math.ceil(self.n_windows / self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"batch index {index} out of range [0, {len(self)}).")
        X, y, keys = self._cut(self._batch_ids(index))
        X, y = (X, y) if self.transform is None else self.transform(X, y)
        if self._weights is None:
            return X, y
        return X, y, per_step(self._weights[keys], y)

    def on_epoch_end(self):
        # the next epoch's order is drawn when first asked for, so that no
        # permutation outlives training (Keras keeps the source referenced);
        # an epoch that asked for none still uses up its draw
        if self.shuffle:
            if self._order is None:
                self._draw()
            self._order = None

    def peek(self):
        """The first windows in time order, ``(X, y)`` with 3D ``y``,
        untransformed. Lets an estimator check shapes before training."""
        X, y, _ = self._cut(self._ids(np.arange(min(self.batch_size, self.n_windows))))
        return X, y

    def replace(self, **changes):
        """A new source over the same rows with some parameters changed."""
        params = {name: getattr(self, name) for name in _param_names(type(self))}
        unknown = set(changes) - set(params) - KERAS_OPTIONS
        if unknown:
            name = type(self).__name__
            raise TypeError(f"Unknown {name} parameter(s): {sorted(unknown)}.")
        return type(self)(**{**params, **self._dataset_kwargs, **changes})

    def _ids(self, positions):
        """The ids of the windows at ``positions`` in time order."""
        return positions

    def _batch_ids(self, index):
        """The ids of the windows of batch ``index``."""
        low = index * self.batch_size
        high = min(low + self.batch_size, self.n_windows)
        if not self.shuffle:
            return self._ids(np.arange(low, high))
        if self._order is None:
            self._draw()
        return self._order[low:high]

    def _draw(self):
        """A fresh shuffled order of the ids: the draws of
        ``numpy.random.Generator.permutation`` of a list of starts."""
        order = np.arange(self.n_windows, dtype=_index_dtype(self.n_windows))
        self._rng.shuffle(order)
        self._order = self._ids(order)

    def _cut(self, ids):
        """The windows of ``ids`` and their targets, scaled per series and per
        window as asked, and the keys of their weights."""
        starts, keys = self._locate(ids)
        inputs, targets = self._rows()
        X, y = window_batch(inputs, targets, starts, self.window, self.horizon)
        if self.series_scaling is not None:
            X = self.series_scaling.apply(X, keys)
            y = self.series_scaling.apply(y, keys)
        if self.window_scaling is None:
            return X, y, keys
        X, y, _ = self.window_scaling.apply(X, y, fallback=self._fallback(keys))
        return X, y.astype(np.float32, copy=False), keys

    def _fallback(self, keys):
        """``window_scaling``'s scale of a window of zeros, per window of the
        batch (``keys``: their weight keys); None: 1 (a panel's feeder gives
        its series' own)."""
        return None


class _WindowBatchesLogic(_Batches):
    """Batches of (window, horizon) pairs cut from a series when Keras asks.

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
    purge : int, default=0
        :meth:`split` leaves out of training the windows whose starts lie
        ``purge`` or fewer rows from a validation window's (``horizon - 1``:
        those that forecast some of the same rows).
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
        purge=0,
        **kwargs,
    ):
        super().__init__(window, horizon, batch_size, shuffle, seed, **kwargs)
        self.transform, self.window_scaling = transform, window_scaling
        self.purge = check_int(purge, "purge", min_value=0)
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
        starts = _check_starts(starts, n_windows)
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
        self.starts = starts
        if self.sample_weight is not None and not is_uniform(
            self.sample_weight[starts]
        ):
            # Relative over the windows this source covers, like fit's arrays.
            self._weights = np.zeros(n_windows, dtype=np.float32)
            self._weights[starts] = relative_weights(
                self.sample_weight[starts], "the windows of this source"
            )

    @property
    def n_windows(self):
        """Number of windows this source covers."""
        return len(self.starts)

    def _rows(self):
        return self.series, self.targets

    def _ids(self, positions):
        # a window's id is its start: a shuffled order is then
        # permutation(starts), and a batch reads its starts in one run
        return self.starts[positions]

    def _locate(self, ids):
        """The starts are the ids; the weights go by start."""
        return ids, ids

    def split(self, fraction):
        """Hold out the last ``fraction`` of the windows, in time order.

        The same split as the estimators' ``early_stopping``: the validation
        windows are the ``ceil(n_windows * fraction)`` latest, never shuffled;
        the training windows within ``purge`` rows of one are left out.

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
        train = purge_mask(starts[:-n_val], starts[-n_val:], self.purge)
        if not train.any():
            raise ValueError(no_training_message(len(starts), n_val, self.purge))
        train_keys = _part(keys, -n_val, 0)
        return (
            self.replace(
                starts=starts[:-n_val][train],
                split_order=None if keys is None else train_keys[train],
            ),
            self.replace(
                starts=starts[-n_val:],
                shuffle=False,
                split_order=_part(keys, -n_val, 1),
            ),
        )


def _check_starts(starts, n_windows):
    """``starts`` (None: every window) as a 1D integer array in range."""
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
    return starts


def _part(keys, cut, second):
    """``keys[:cut]`` or ``keys[cut:]``, or None without keys."""
    if keys is None:
        return None
    return keys[cut:] if second else keys[:cut]


def _as_float32(values, name):
    values = as_series_array(values, name=name)
    return as_float(values, np.float32, name)


def _index_dtype(n):
    return np.int32 if n < 2**31 else np.int64


def _param_names(cls):
    """The parameters of ``cls.__init__``, but ``self`` and ``**kwargs``."""
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return [p.name for p in parameters if p.kind != p.VAR_KEYWORD]


def keras_dataset(logic, name, namespace):
    """The ``keras.utils.PyDataset`` subclass ``name`` of the feeder ``logic``.

    Called by a module's ``__getattr__`` (PEP 562) on the first use of
    ``name``, so that Keras is imported then, not at import; the class is kept
    in ``namespace`` (that module's globals) and named as defined there.
    """
    from ..utils._keras import import_keras

    keras = import_keras()
    cls = type(
        name,
        (logic, keras.utils.PyDataset),
        {
            "__doc__": logic.__doc__,
            "__module__": namespace["__name__"],
            "__qualname__": name,
        },
    )
    namespace[name] = cls
    return cls


def __getattr__(name):
    # PEP 562: build the Keras subclass on first use, not at import.
    if name == "WindowBatches":
        return keras_dataset(_WindowBatchesLogic, name, globals())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
