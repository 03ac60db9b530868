"""Batches of windows of a panel, the windows of each batch found when asked.

A panel's design rows are the rows of its series, one series after the other;
its training windows lie inside one series each. Listing every window's start
(and, for early stopping, its recency) costs memory per window: 10 bytes a
window, 850 MB for 100,000 series of 120 monthly steps. :class:`RecencyIndex`
instead numbers the windows in their recency order (the oldest of every series
first, the latest of every series last) and finds the start of any window
number from each series' window count and first row, with memory per series.
:class:`PanelBatches` (a ``keras.utils.PyDataset``, as
:class:`~skseq.windowing._feeder.WindowBatches`) feeds a network from it: each
batch is a run of window numbers, shuffled as ``numpy.random.Generator.
permutation`` shuffles the list of starts, so that the batches, and the
networks trained on them, are those of a ``WindowBatches`` given every start.
The batch protocol itself (order, cutting, scaling, weights, ``peek``,
``replace``) is ``WindowBatches``' own (``skseq.windowing._feeder._Batches``):
a ``PanelBatches`` says only which windows it covers and where each starts.

Keras is imported when ``PanelBatches`` is first used (module ``__getattr__``).
"""

import math

import numpy as np

from ..utils._validation import check_float, check_int, validation_size
from ._feeder import _as_float32, _Batches, keras_dataset
from ._windows import no_training_message

# PanelBatches is defined on first access, by the module __getattr__ below.
__all__ = ["PanelBatches", "RecencyIndex", "SeriesScaling"]  # noqa: F822

SELECT_BLOCK = 256  # series per block of RecencyIndex's rank table


class RecencyIndex:
    """The training windows of a panel, numbered by recency, found on demand.

    Window number ``g`` (``0 <= g < n_windows``) counts windows by their
    distance ``d`` from the last window of their series, largest first, then by
    series: the order of ``skseq.forecasting._panel_windows.recency_order``. Its start
    is ``first_rows[k] + n_windows[k] - 1 - d``. Memory per series, none per
    window: each number is located by ``searchsorted`` on the distance blocks,
    and its series by a rank table over blocks of ``SELECT_BLOCK`` series.

    Parameters
    ----------
    n_windows : ndarray of int of shape (n_series,)
        Training windows of each series (0: none).
    first_rows : ndarray of int of shape (n_series,)
        Where each series' design rows start in the concatenation.

    Examples
    --------
    >>> import numpy as np
    >>> index = RecencyIndex(np.array([2, 0, 3]), np.array([0, 5, 9]))
    >>> index.starts(np.arange(index.n_windows)).tolist()
    [9, 0, 10, 1, 11]
    >>> index.distances(np.arange(5)).tolist()
    [2, 1, 1, 0, 0]
    """

    def __init__(self, n_windows, first_rows):
        counts = np.asarray(n_windows, dtype=np.int64)
        self.counts = counts
        self.first_rows = np.asarray(first_rows, dtype=np.int64)
        self.n_windows = int(counts.sum())
        depth = int(counts.max()) if len(counts) else 0
        # series with a window at distance d: sizes of the blocks d = depth-1..0
        sizes = np.bincount(counts, minlength=depth + 1)[::-1].cumsum()[:depth]
        self.block_starts = np.concatenate([[0], np.cumsum(sizes)])
        self.depth = depth
        # level of a series: its count's rank among the distinct counts, largest
        # first; a distance's series are those of level <= the distance's level
        distinct = np.unique(counts[counts > 0])
        self.distinct = distinct
        level = len(distinct) - 1 - np.searchsorted(distinct, counts)
        self.levels = np.where(counts > 0, level, len(distinct)).astype(np.int64)
        self.members = np.flatnonzero(counts > 0)
        self._rank_table()

    def _rank_table(self):
        """``table[b, i]``: series of level <= ``i`` before block ``b``."""
        n_levels = max(len(self.distinct), 1)
        n_blocks = math.ceil(len(self.counts) / SELECT_BLOCK)
        table = np.zeros((n_blocks + 1, n_levels), dtype=np.int64)
        for b in range(n_blocks):
            part = self.levels[b * SELECT_BLOCK : (b + 1) * SELECT_BLOCK]
            per_level = np.bincount(part[part < n_levels], minlength=n_levels)
            table[b + 1] = table[b] + np.cumsum(per_level)
        self.table = table

    def locate(self, numbers):
        """Series and distance of each window number: two int64 arrays."""
        numbers = np.asarray(numbers, dtype=np.int64)
        block = np.searchsorted(self.block_starts, numbers, side="right") - 1
        distance = self.depth - 1 - block
        rank = numbers - self.block_starts[block]
        level = (
            len(self.distinct)
            - 1
            - np.searchsorted(self.distinct, distance, side="right")
        )
        return self._select(level, rank), distance

    def _select(self, level, rank):
        """The series of rank ``rank`` (in series order) among those of level
        <= ``level``, for each pair."""
        series = np.empty(len(rank), dtype=np.int64)
        top = level == len(self.distinct) - 1  # every series with a window
        series[top] = self.members[rank[top]]
        rest = ~top
        if rest.any():
            series[rest] = self._scan(level[rest], rank[rest])
        return series

    def _scan(self, level, rank):
        """``_select`` through the rank table and one block of series."""
        columns = self.table[:, level]  # (n_blocks + 1, len(rank))
        block = (columns <= rank[None, :]).sum(axis=0) - 1
        inside = rank - columns[block, np.arange(len(rank))]
        first = block * SELECT_BLOCK
        span = np.minimum(
            first[:, None] + np.arange(SELECT_BLOCK)[None, :], len(self.levels) - 1
        )
        member = self.levels[span] <= level[:, None]
        # the (inside + 1)-th member of the block (a clipped span repeats the
        # last series, which a rank inside the panel never reaches)
        position = np.argmax(np.cumsum(member, axis=1) > inside[:, None], axis=1)
        return first + position

    def starts(self, numbers):
        """First design row of each window number."""
        return self.start_of(*self.locate(numbers))

    def start_of(self, series, distance):
        """First design row of the window of ``series`` at ``distance`` from
        its series' last window."""
        return self.first_rows[series] + self.counts[series] - 1 - distance

    def distances(self, numbers):
        """Distance of each window from its series' last window (0: the last)."""
        return self.locate(numbers)[1]

    def series_counts(self, stop):
        """Windows of each series among the numbers ``[0, stop)``."""
        if stop >= self.n_windows:
            return self.counts.copy()
        block = int(np.searchsorted(self.block_starts, stop, side="right")) - 1
        distance = self.depth - 1 - block
        counts = np.maximum(self.counts - 1 - distance, 0)
        partial = np.flatnonzero(self.counts > distance)
        counts[partial[: stop - int(self.block_starts[block])]] += 1
        return counts


class SeriesScaling:
    """Windows of unscaled rows standardized per series, as float32: each
    series' rows minus its mean, divided by its scale (float64, as
    ``StandardScaler.transform``), then cast, as design rows written into a
    float32 array are.

    Parameters
    ----------
    means, scales : ndarray of shape (n_series, n_columns) or None
        Each series' standardization (scales > 0, as ``Standardizer``'s);
        None: the rows are only cast.
    """

    def __init__(self, means=None, scales=None):
        self.means = means
        self.scales = scales

    def apply(self, windows, series):
        """``windows`` ``(n, steps, n_columns)`` of the ``series`` ``(n,)``."""
        windows = np.asarray(windows, dtype=np.float64)
        if self.means is not None:
            scales = self.scales[series][:, None, :]
            windows = (windows - self.means[series][:, None, :]) / scales
        return windows.astype(np.float32)


class _PanelBatchesLogic(_Batches):
    """Batches of a panel's windows, each batch's windows found when Keras asks.

    A ``keras.utils.PyDataset`` with the protocol of
    :class:`~skseq.windowing._feeder.WindowBatches` (``peek``, ``replace``,
    ``split``) that keeps the design rows and a :class:`RecencyIndex`, no list
    of windows: memory grows with the rows and the series, not the windows
    (while shuffling, a permutation of the window numbers: 4 bytes a window).

    Parameters
    ----------
    inputs : array-like of shape (n_rows, n_features)
        Every series' design inputs, concatenated.
    outputs : array-like of shape (n_rows, n_targets)
        Their targets, on the same rows.
    index : RecencyIndex
        The training windows of the series.
    window, horizon : int
        Input and output lengths.
    batch_size : int, default=32
    shuffle : bool, default=False
        Shuffle the windows, afresh at the end of every epoch.
    seed : int or None, default=None
        Seed of the local shuffling generator.
    numbers : tuple of int, default=None
        The window numbers ``[start, stop)`` covered; None: all.
    transform : callable, default=None
        ``transform(X, y) -> (X, y)`` applied to each batch.
    sampling : {"window", "series"}, default="window"
        ``"series"``: each batch is ``(X, y, weights)``, every window weighted by
        1 / its series' window count, scaled to mean 1 over the covered windows.
    window_scaling : WindowNorm or None, default=None
        Normalize each window and its target values, before ``transform``.
    series_scaling : SeriesScaling or None, default=None
        ``inputs`` and ``outputs`` are unscaled rows (float64, e.g. the
        training targets): each batch is standardized per series and cast to
        float32, the design rows never written. None: they are the design.
    window_fallback : ndarray of shape (n_series, n_targets) or None, default=None
        With ``window_scaling``: the scale of a window of zeros of each series
        (its mean absolute training target); None: 1.
    **kwargs
        ``workers``, ``use_multiprocessing``, ``max_queue_size`` of
        ``keras.utils.PyDataset``.
    """

    def __init__(
        self,
        inputs,
        outputs,
        index,
        window,
        horizon=1,
        batch_size=32,
        *,
        shuffle=False,
        seed=None,
        numbers=None,
        transform=None,
        sampling="window",
        window_scaling=None,
        series_scaling=None,
        window_fallback=None,
        purge=0,
        **kwargs,
    ):
        super().__init__(window, horizon, batch_size, shuffle, seed, **kwargs)
        self.transform, self.window_scaling = transform, window_scaling
        self.purge = check_int(purge, "purge", min_value=0)
        self.series_scaling = series_scaling
        self.window_fallback = window_fallback
        if series_scaling is None:
            inputs, outputs = (
                _as_float32(inputs, "series"),
                _as_float32(outputs, "targets"),
            )
        self.inputs, self.outputs = inputs, outputs
        self.index = index
        start, stop = (0, index.n_windows) if numbers is None else numbers
        if not 0 <= start < stop <= index.n_windows:
            raise ValueError(
                f"numbers must be a non-empty range within [0, {index.n_windows}]; "
                f"got {numbers}."
            )
        self.numbers = int(start), int(stop)
        self.sampling = sampling
        if sampling == "series":
            self._weights = _series_weights(index, self.numbers)

    @property
    def n_windows(self):
        """Number of windows this source covers."""
        return self.numbers[1] - self.numbers[0]

    def _rows(self):
        return self.inputs, self.outputs

    def _locate(self, ids):
        """The starts of the windows of ``ids``, their positions among
        ``numbers`` (a shuffled order holds those, 4 bytes a window); the
        weights (and ``series_scaling``) go by series."""
        numbers = ids.astype(np.int64) + self.numbers[0]
        series, distance = self.index.locate(numbers)
        return self.index.start_of(series, distance), series

    def _fallback(self, keys):
        """Each window's series' scale of a window of zeros (``keys``: the
        series of the batch's windows)."""
        fallback = self.window_fallback
        return None if fallback is None else fallback[keys]

    def split(self, fraction):
        """Hold out the latest ``fraction`` of the windows: the last
        ``ceil(n_windows * fraction)`` numbers, never shuffled (those nearest to
        the end of their series).

        Returns
        -------
        train, validation : PanelBatches
        """
        fraction = check_float(fraction, "validation_fraction", low=0, high=1)
        n_val = validation_size(self.n_windows, fraction, unit="window")
        start, stop = self.numbers
        validation = self.replace(numbers=(stop - n_val, stop), shuffle=False)
        if not self.purge:
            return self.replace(numbers=(start, stop - n_val)), validation
        return self._purged_training(n_val), validation

    def _purged_training(self, n_val):
        """The training part of :meth:`split`: each series' windows but its
        validation ones and the ``purge`` before them, the rule of
        :func:`~skseq.windowing._windows.purge_mask` (windows of different
        series never share rows), as a new index of the oldest windows."""
        if self.numbers != (0, self.index.n_windows):
            raise ValueError("split with purge needs a source over every window.")
        counts = self.index.counts
        held = counts - self.index.series_counts(self.index.n_windows - n_val)
        left = np.maximum(counts - held - np.where(held > 0, self.purge, 0), 0)
        if not left.any():
            raise ValueError(no_training_message(self.n_windows, n_val, self.purge))
        index = RecencyIndex(left, self.index.first_rows)
        return self.replace(index=index, numbers=None)


def _series_weights(index, numbers):
    """``sampling='series'``: the float32 weight of a window of each series,
    ``1 / its number of windows among those ``numbers`` covers``, scaled to
    mean 1 over them: every series' windows sum to the same weight in each part
    of a ``split`` too. None when they are all equal (unweighted, as
    ``WindowBatches``)."""
    start, stop = numbers
    covered = index.series_counts(stop) - index.series_counts(start)
    present = covered > 0
    counts = covered[present]
    if (counts == counts[0]).all():
        return None
    per_series = np.zeros(len(index.counts))
    per_series[present] = 1.0 / counts
    total = float(np.dot(covered, per_series))
    return (per_series * ((stop - start) / total)).astype(np.float32)


def __getattr__(name):
    # PEP 562: build the Keras subclass on first use, not at import.
    if name == "PanelBatches":
        return keras_dataset(_PanelBatchesLogic, name, globals())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
