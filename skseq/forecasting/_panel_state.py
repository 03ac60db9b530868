"""What a panel model keeps of each series, column by column.

A panel of 100,000 series must not cost 100,000 Python objects (scalers, small
arrays, a dataclass each: a few KiB per series). :class:`SeriesStates` keeps
every series' fitted numbers in a few contiguous arrays -- the means and scales
of its standardization, its static inputs, its window count, the offsets of
its training targets in one concatenation -- and builds a series'
:class:`SeriesState` only when it is asked for (a forecast reads one at a time).
Objects stay per series only where they cannot be numbers: a fitted
``target_transform``, a ``scale`` transformer other than standardization.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["SeriesState", "SeriesStates", "SeriesTargets", "Standardizer"]


@dataclass
class SeriesState:
    """What a panel model learned about one series.

    Attributes
    ----------
    transform : transformer or None
        The series' fitted target transform.
    lags : tuple of int
        Its differences.
    target_scaler, past_scaler : transformer or None
        Its scalers, fitted on its training rows.
    static : ndarray of shape (n_static_inputs,)
        Its constant inputs (static covariates, one-hot id), scaled.
    last_rows : tuple of ndarray
        Its last ``window + sum(lags)`` training rows (targets, past, future).
    train_targets : ndarray of shape (n_steps, n_targets)
        Its training targets, for MASE's scale.
    next_label : label or None
        The time label after its training rows.
    n_windows : int
        Its training windows (0: too short, left out of training).
    target_level : ndarray of shape (n_targets,) or None
        Its mean absolute training target, after its transform and
        differences: with ``scale="window"``, the scale of a window of zeros.
    """

    transform: object
    lags: tuple
    target_scaler: object
    past_scaler: object
    static: np.ndarray
    last_rows: tuple
    train_targets: np.ndarray
    next_label: object
    n_windows: int
    target_level: np.ndarray = None


class Standardizer:
    """``StandardScaler`` of one series of a panel, lean: a panel holds the
    means and scales of every series in two arrays, and a ``Standardizer``
    made of one row of each when a series is forecast.

    A constant column (a series that never varies in training, as a product
    before its launch) is divided by the size of its level, ``|mean|`` (1 for
    a column of zeros), not sklearn's 1: its forecasts then follow its units
    (the series times 1000 is forecast times 1000), and values that later move
    off that level still reach the network (a scale of 0 would pin every
    forecast to the training level)."""

    __slots__ = ("mean_", "scale_")

    def fit(self, values):
        values = np.asarray(values, dtype=np.float64)
        self.mean_ = values.mean(axis=0)
        self.scale_ = constant_safe_scale(values.std(axis=0), self.mean_)
        return self

    def transform(self, values):
        return (np.asarray(values, dtype=np.float64) - self.mean_) / self.scale_

    def inverse_transform(self, values):
        return np.asarray(values, dtype=np.float64) * self.scale_ + self.mean_


def constant_safe_scale(scale, mean):
    """``scale`` with a constant column's (a spread within rounding of its
    level, ``|mean|``) replaced by ``|mean|``, or 1 when that is 0.

    Within rounding *of its level*, as ``StandardScaler`` tells a constant
    column: a series in tiny units (a level of 1e-14, a spread of 1e-15) is
    standardized as the same series in any other units."""
    scale = np.array(scale, dtype=np.float64)
    size = np.abs(np.asarray(mean, dtype=np.float64))
    constant = scale <= 10 * np.finfo(np.float64).eps * size
    scale[constant] = np.where(size > 0, size, 1.0)[constant]
    return scale


class _Scalers:
    """One group's scaler of every series: standardizations as two arrays
    ``(n_series, n_columns)`` (``kind="standard"``), other transformers as a
    list; None where a series has none."""

    def __init__(self, n_series, n_columns, kind):
        self.kind = kind
        if kind == "standard":
            self.means = np.zeros((n_series, n_columns))
            self.scales = np.ones((n_series, n_columns))
            self.fitted = np.zeros(n_series, dtype=bool)
        else:
            self.objects = [None] * n_series if kind == "objects" else None

    def set(self, k, scaler):
        if scaler is None or self.kind is None:
            return
        if self.kind == "objects":
            self.objects[k] = scaler
            return
        self.means[k], self.scales[k], self.fitted[k] = scaler.mean_, scaler.scale_, 1

    def arrays(self):
        """``(means, scales)`` of every series, ``(n_series, n_columns)``, or
        ``(None, None)`` when no series has a standardization."""
        if self.kind != "standard" or not self.fitted.any():
            return None, None
        return self.means, self.scales

    def get(self, k):
        if self.kind is None:
            return None
        if self.kind == "objects":
            return self.objects[k]
        if not self.fitted[k]:
            return None
        scaler = Standardizer()
        scaler.mean_, scaler.scale_ = self.means[k], self.scales[k]
        return scaler


class SeriesStates(Sequence):
    """The fitted state of every series of a panel: ``states[k]`` is series
    ``k``'s :class:`SeriesState`, made from these arrays when asked for.

    Parameters
    ----------
    targets : ndarray of shape (n_rows, n_targets)
        Every series' training targets, series after series (``offsets``).
    offsets : ndarray of int of shape (n_series + 1,)
        Where each series' rows start in ``targets``.
    static : ndarray of shape (n_series, n_static_inputs)
        Each series' constant inputs.
    n_columns : tuple of int
        Columns of the targets, past and future covariates.
    lags : tuple or None
        The differences of every series; None: each series' own (``"auto"``).
    scalers : tuple of {"standard", "objects", None}
        How the targets' and the past covariates' scalers are kept.
    transforms : bool
        Whether each series has a fitted target transform.
    """

    def __init__(self, targets, offsets, static, n_columns, lags, scalers, transforms):
        n_series = len(offsets) - 1
        self.targets, self.offsets, self.static = targets, offsets, static
        self.lags = lags
        self.series_lags = np.empty(n_series, dtype=object) if lags is None else None
        self.transforms = [None] * n_series if transforms else None
        self.target_scalers = _Scalers(n_series, n_columns[0], scalers[0])
        self.past_scalers = _Scalers(n_series, n_columns[1], scalers[1])
        self.n_windows = np.zeros(n_series, dtype=np.int64)
        self.target_levels = np.zeros((n_series, n_columns[0]))
        self.next_labels = [None] * n_series  # an Index once every series is set
        # the last rows of the covariates (the targets' are in `targets`)
        self.n_last = np.zeros(n_series, dtype=np.int64)
        self._last = ([], [])
        self._n_columns = n_columns

    def set(self, k, state):
        """Keep series ``k``'s state, whose ``train_targets`` are already in
        ``targets``."""
        if self.series_lags is not None:
            self.series_lags[k] = state.lags
        if self.transforms is not None:
            self.transforms[k] = state.transform
        self.target_scalers.set(k, state.target_scaler)
        self.past_scalers.set(k, state.past_scaler)
        self.n_windows[k] = state.n_windows
        self.target_levels[k] = state.target_level
        self.next_labels[k] = state.next_label
        self.n_last[k] = len(state.last_rows[0])
        for part, rows in zip(self._last, state.last_rows[1:], strict=True):
            if rows.shape[1]:
                part.append(rows)

    def finish(self):
        """Pack what :meth:`set` gathered into arrays; returns ``self``."""
        import pandas as pd

        ends = np.zeros(len(self) + 1, dtype=np.int64)
        np.cumsum(self.n_last, out=ends[1:])
        self.last_offsets = ends
        self.last = tuple(
            np.concatenate(part) if part else np.empty((ends[-1], n))
            for part, n in zip(self._last, self._n_columns[1:], strict=True)
        )
        del self._last
        labels = self.next_labels
        if all(label is None for label in labels):
            self.next_labels = None
        elif not any(label is None for label in labels):
            self.next_labels = pd.Index(labels, tupleize_cols=False)
        else:
            self.next_labels = pd.Index(labels, dtype=object, tupleize_cols=False)
        return self

    def __len__(self):
        return len(self.offsets) - 1

    def __getitem__(self, k):
        if not -len(self) <= k < len(self):
            raise IndexError(f"series {k} out of range [0, {len(self)}).")
        k = int(k) % len(self)
        targets = self.targets[self.offsets[k] : self.offsets[k + 1]]
        start, stop = self.last_offsets[k], self.last_offsets[k + 1]
        last_rows = (targets[len(targets) - (stop - start) :],)
        last_rows += tuple(part[start:stop] for part in self.last)
        # none in a model saved before they were kept (windows of zeros scale by 1)
        levels = getattr(self, "target_levels", None)
        return SeriesState(
            transform=None if self.transforms is None else self.transforms[k],
            lags=self.lags if self.series_lags is None else self.series_lags[k],
            target_scaler=self.target_scalers.get(k),
            past_scaler=self.past_scalers.get(k),
            static=self.static[k],
            last_rows=last_rows,
            train_targets=targets,
            next_label=None if self.next_labels is None else self.next_labels[k],
            n_windows=int(self.n_windows[k]),
            target_level=None if levels is None else levels[k],
        )

    def __iter__(self):
        return (self[k] for k in range(len(self)))


class SeriesTargets(Mapping):
    """``train_targets_`` of a panel model: series id -> its training targets,
    ``ndarray of shape (n_steps, n_targets)``, a view of one concatenation."""

    def __init__(self, ids, states):
        self.ids = ids
        self.states = states

    def __getitem__(self, series_id):
        try:
            k = self.ids.get_loc(series_id)
        except (KeyError, TypeError):
            raise KeyError(series_id) from None
        if not isinstance(k, int | np.integer):  # a duplicated id: not a panel's
            raise KeyError(series_id)
        offsets = self.states.offsets
        return self.states.targets[offsets[k] : offsets[k + 1]]

    def __iter__(self):
        return iter(self.ids)

    def __len__(self):
        return len(self.ids)
