"""Which windows a global model trains on when fed as arrays: their starts in
recency order, their series, and their weights with ``sampling="series"``.

Pure NumPy, for :mod:`._panel` (fed in batches, the panel feeder finds the same
windows from the series' window counts:
:class:`~skseq.windowing._panel_feeder.RecencyIndex`).
"""

import numpy as np

__all__ = ["recency_order", "series_of", "series_weights"]

RECENCY_BLOCK = 1 << 20  # window starts computed at a time


def recency_order(n_windows, first_rows):
    """Window starts of every series, oldest first across series: by distance
    from their series' last window (descending), then by series; and minus
    that distance, the key of the order.

    Series ``k`` has ``n_windows[k]`` windows, its design rows starting at row
    ``first_rows[k]``. The starts are made block by block, without an array
    per series or a sort, as int32 where they fit (int64 beyond 2**31 rows),
    the keys as int16 where they fit: memory of 6 bytes a window.
    """
    total = int(n_windows.sum())
    small = int(first_rows.max()) + int(n_windows.max()) < 2**31
    dtype = np.int32 if small else np.int64
    key_dtype = np.int16 if int(n_windows.max()) < 2**15 else np.int32
    starts, keys = np.empty(total, dtype=dtype), np.empty(total, dtype=key_dtype)
    counts = np.unique(n_windows[n_windows > 0])[::-1]
    position = 0
    for i, count in enumerate(counts):
        # distances d with count[i + 1] <= d < count: the same series have them
        low = int(counts[i + 1]) if i + 1 < len(counts) else 0
        series = np.flatnonzero(n_windows >= count)
        last = (first_rows[series] + n_windows[series] - 1).astype(dtype)
        step = max(1, RECENCY_BLOCK // len(series))
        for high in range(int(count), low, -step):
            distances = np.arange(high - 1, max(high - step, low) - 1, -1)
            block = (last[None, :] - distances[:, None].astype(dtype)).ravel()
            starts[position : position + len(block)] = block
            keys[position : position + len(block)] = np.repeat(-distances, len(series))
            position += len(block)
    return starts, keys


def series_of(starts, n_windows, first_rows):
    """The series of each window start (the series with windows have their
    design rows in series order)."""
    members = np.flatnonzero(n_windows > 0)
    found = np.searchsorted(first_rows[members], starts, side="right") - 1
    return members[found]


def series_weights(sampling, series, n_held_out=0):
    """``sampling='series'``: each window weighted by 1 / its series' window
    count, so every series counts the same; else None.

    ``series``: the series of each window, in training order. The last
    ``n_held_out`` windows (those early stopping validates on) are weighed
    apart from the others: the training windows of every series sum to the
    same weight, and so do their validation windows (each part mean 1).
    """
    if sampling == "window":
        return None
    n_train = len(series) - n_held_out
    weights = np.empty(len(series))
    weights[:n_train] = _equal_series_weights(series[:n_train])
    weights[n_train:] = _equal_series_weights(series[n_train:])
    return weights


def _equal_series_weights(series):
    """1 / the number of windows of each window's series, scaled to mean 1."""
    if not len(series):
        return np.empty(0)
    weights = 1.0 / np.bincount(series)[series]
    return weights * len(series) / weights.sum()
