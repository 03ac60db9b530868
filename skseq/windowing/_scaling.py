"""Scaling of sequence batches: pooled per feature (``SequenceScaler``) or per
sequence (``SequenceNormalizer``); both take the classifiers' variable-length
layouts (NaN padding, lists of sequences of different lengths)."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted

from ..utils._doc_link import DocLinkMixin
from ..utils._validation import (
    check_bool,
    check_feature_names,
    check_sequences,
    column_attributes,
    named_check_array,
    set_fitted_attributes,
)
from ._step_names import StepNamesMixin, record_layout
from ._transformers import _sequence_tags, _ThreeDOutputMixin

__all__ = ["SequenceNormalizer", "SequenceScaler"]


class SequenceScaler(
    DocLinkMixin,
    StepNamesMixin,
    _ThreeDOutputMixin,
    TransformerMixin,
    BaseEstimator,
    auto_wrap_output_keys=None,  # 3D output: sklearn must not wrap it
):
    """Scale each feature of 3D sequences with any sklearn scaler.

    Statistics are pooled over samples and time steps, so every time step of a
    feature is scaled alike (per-feature, not per-position, scaling). The output
    is always a new ndarray of the shape of ``X`` (2D for univariate 2D ``X``),
    never a view of it: ``set_output`` and ``sklearn.set_config(transform_output=
    "pandas")`` leave it as it is. The classifiers' variable-length layouts
    pass through: NaN padding after the end of a sequence stays NaN and is left
    out of the statistics, and a list of sequences of different lengths gives a
    list back.

    Parameters
    ----------
    scaler : sklearn transformer, default=None
        Scaler applied to the ``(n_samples * n_timesteps, n_features)`` view of
        the data; ``None`` means ``StandardScaler()``. It is cloned in ``fit``.

    Attributes
    ----------
    scaler_ : sklearn transformer
        The fitted clone of ``scaler``.
    n_features_in_ : int
        Number of features per time step seen in ``fit``.
    feature_names_in_ : ndarray of str of shape (n_timesteps,)
        Column names of the 2D DataFrame ``X`` of ``fit`` (one time step per
        column); defined only when they are all strings. ``transform`` refuses
        them in another order and warns about other names.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import SequenceScaler
    >>> X = np.arange(12.0).reshape(2, 3, 2)
    >>> Xt = SequenceScaler().fit_transform(X)
    >>> Xt.shape, np.allclose(Xt.reshape(-1, 2).mean(axis=0), 0)
    ((2, 3, 2), True)
    """

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        return [{}]

    def __init__(self, scaler=None):
        self.scaler = scaler

    def fit(self, X, y=None):
        """Learn the per-feature statistics.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]), or list \
                of array-like of shape (n_timesteps_i[, n_features])
            Sequences; NaN steps after the end of a sequence are padding, left
            out of the statistics.
        y : None
            Ignored.

        Returns
        -------
        self : SequenceScaler
        """
        columns = column_attributes(X)
        sequences = _checked_sequences(X)
        scaler = StandardScaler() if self.scaler is None else self.scaler
        if not all(hasattr(scaler, name) for name in ("fit", "transform")):
            raise TypeError(
                "scaler must be a sklearn transformer (with fit and transform), "
                f"e.g. MinMaxScaler(), or None; got {scaler!r}."
            )
        scaler = clone(scaler)
        if hasattr(scaler, "set_output"):
            # ndarrays inside, whatever the global transform_output says
            scaler.set_output(transform="default")
        n_features = _feature_count(sequences)
        steps = _real_steps(_flat_steps(sequences, n_features))
        if not len(steps):
            raise ValueError("X holds no time step that is not NaN padding.")
        self.scaler_ = scaler.fit(steps)
        record_layout(self, X)
        self.n_features_in_ = n_features
        set_fitted_attributes(self, columns)
        return self

    def transform(self, X):
        """Scale each feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]), or list \
                of array-like of shape (n_timesteps_i[, n_features])
            Sequences of any length with ``n_features_in_`` features; NaN
            padding stays NaN.

        Returns
        -------
        X_scaled : ndarray of the shape of ``X``, or list of ndarray
            A list when ``X`` is a list of sequences of different lengths.
        """
        check_is_fitted(self)
        check_feature_names(self, X, stacklevel=3)
        return self._apply(X, "transform")

    def inverse_transform(self, X):
        """Undo the scaling.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]), or list \
                of array-like of shape (n_timesteps_i[, n_features])
            Scaled sequences.

        Returns
        -------
        X : ndarray of the shape of ``X``, or list of ndarray
        """
        return self._apply(X, "inverse_transform")

    def _apply(self, X, method):
        check_is_fitted(self)
        sequences = _checked_sequences(X)
        n_features = _feature_count(sequences)
        if n_features != self.n_features_in_:
            raise ValueError(
                f"X has {n_features} features per time step, but SequenceScaler "
                f"was fitted with {self.n_features_in_}."
            )
        if isinstance(sequences, list):
            return [self._scale(x, method) for x in sequences]
        return self._scale(sequences, method)

    def _scale(self, X, method):
        """``method`` of the scaler on the real steps of ``X``; a new array of
        the shape of ``X`` whose padding steps stay NaN."""
        flat = _flat_steps(X, self.n_features_in_)
        real = ~np.isnan(flat).all(axis=1)
        scaled = getattr(self.scaler_, method)(flat[real])
        scaled = np.array(scaled, copy=np.shares_memory(scaled, X) or None)
        if scaled.ndim != 2 or scaled.shape[1] != self.n_features_in_:
            raise ValueError(
                f"The scaler {self.scaler_!r} turned {self.n_features_in_} features "
                f"into {scaled.shape[1] if scaled.ndim == 2 else scaled.shape}; "
                "SequenceScaler needs a scaler that keeps each feature "
                "(StandardScaler, MinMaxScaler, RobustScaler, ...)."
            )
        if not real.all():
            padded = np.full(flat.shape, np.nan, np.result_type(scaled, np.float32))
            padded[real] = scaled
            scaled = padded
        return scaled.reshape(X.shape)

    def __sklearn_tags__(self):
        tags = _sequence_tags(super().__sklearn_tags__())
        tags.input_tags.allow_nan = True
        return tags


class SequenceNormalizer(
    DocLinkMixin,
    StepNamesMixin,
    _ThreeDOutputMixin,
    TransformerMixin,
    BaseEstimator,
    auto_wrap_output_keys=None,  # 3D output: sklearn must not wrap it
):
    """Z-normalise each sequence on its own, feature by feature (UCR convention).

    Every feature of every sequence is shifted to mean 0 and scaled to standard
    deviation 1 over that sequence's real time steps, so that classifiers see
    shapes, not levels or amplitudes (the convention of the UCR/UEA time series
    classification archive). Nothing is learned in ``fit``: each sequence is
    normalised with its own statistics, so it is safe inside a ``Pipeline`` and
    under cross-validation. A constant feature becomes 0. NaN padding after the
    end of a sequence (the classifiers' variable-length layout) stays NaN and is
    left out of the statistics; a list of sequences of different lengths gives a
    list back.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract each sequence's mean.
    with_std : bool, default=True
        Divide by each sequence's standard deviation (population, ``ddof=0``).

    Attributes
    ----------
    n_features_in_ : int
        Number of features per time step seen in ``fit``.
    feature_names_in_ : ndarray of str of shape (n_timesteps,)
        Column names of the 2D DataFrame ``X`` of ``fit`` (one time step per
        column); defined only when they are all strings. ``transform`` refuses
        them in another order and warns about other names.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import SequenceNormalizer
    >>> X = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]])
    >>> SequenceNormalizer().fit_transform(X).round(3).tolist()
    [[-1.225, 0.0, 1.225], [-1.225, 0.0, 1.225]]
    """

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        return [{}]

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None):
        """Check the parameters and record the number of features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]), or list \
                of array-like of shape (n_timesteps_i[, n_features])
            Sequences; NaN steps after the end of a sequence are padding.
        y : None
            Ignored.

        Returns
        -------
        self : SequenceNormalizer
        """
        check_bool(self.with_mean, "with_mean")
        check_bool(self.with_std, "with_std")
        self.n_features_in_ = _feature_count(_as_sequences(X))
        record_layout(self, X)
        set_fitted_attributes(self, column_attributes(X))
        return self

    def transform(self, X):
        """Z-normalise each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]), or list \
                of array-like of shape (n_timesteps_i[, n_features])
            Sequences (with ``n_features_in_`` features once fitted; nothing
            needs to be learned, so an unfitted normaliser works too).

        Returns
        -------
        X_normalised : ndarray of the shape of ``X``, or list of ndarray
            A list when ``X`` is a list of sequences of different lengths.
        """
        check_feature_names(self, X, stacklevel=3)
        sequences = _as_sequences(X)
        n_features = _feature_count(sequences)
        # Stateless: usable unfitted; once fitted, the feature count must match.
        if n_features != getattr(self, "n_features_in_", n_features):
            raise ValueError(
                f"X has {n_features} features per time step, but SequenceNormalizer "
                f"was fitted with {self.n_features_in_}."
            )
        if isinstance(sequences, list):
            return [self._normalise(x[np.newaxis])[0] for x in sequences]
        return self._normalise(sequences)

    def _normalise(self, X):
        """Normalise a 2D or 3D array along its time axis (axis 1), NaN aside;
        always a new array, never the caller's ``X``."""
        if not (self.with_mean or self.with_std):
            return X.copy()
        real = ~np.isnan(X)
        count = np.maximum(real.sum(axis=1, keepdims=True), 1).astype(X.dtype)
        values = np.where(real, X, 0)
        mean = values.sum(axis=1, keepdims=True) / count
        if self.with_mean:
            X = X - mean
        if self.with_std:
            deviation = np.where(real, X - (0 if self.with_mean else mean), 0)
            std = np.sqrt((deviation**2).sum(axis=1, keepdims=True) / count)
            # A constant feature has nothing to scale: it stays as it is (0).
            X = X / np.where(std > 0, std, 1)
        return X

    def __sklearn_tags__(self):
        tags = _sequence_tags(super().__sklearn_tags__())
        tags.input_tags.allow_nan = True
        tags.requires_fit = False
        return tags


def _as_sequences(X):
    """A float array (2D or 3D) or, for sequences of different lengths, a list."""
    if isinstance(X, (list, tuple)) and X and len({np.shape(x)[:1] for x in X}) > 1:
        items = [
            named_check_array(
                x,
                f"X[{i}]",
                ensure_2d=False,
                dtype=FLOAT_DTYPES,
                ensure_all_finite="allow-nan",
            )
            for i, x in enumerate(X)
        ]
        if {x.ndim for x in items} - {1, 2}:
            raise ValueError("Each sequence of X must be 1D or 2D (n_timesteps, n).")
        return items
    X = named_check_array(
        X,
        "X",
        allow_nd=True,
        dtype=FLOAT_DTYPES,
        ensure_all_finite="allow-nan",
    )
    if X.ndim not in (2, 3):
        raise ValueError(
            "X must be 2D (n_samples, n_timesteps), 3D (n_samples, n_timesteps, "
            f"n_features) or a list of sequences; got a {X.ndim}D array."
        )
    return X


def _feature_count(sequences):
    if isinstance(sequences, list):
        counts = {1 if x.ndim == 1 else x.shape[1] for x in sequences}
        if len(counts) > 1:
            raise ValueError(
                f"The sequences of X have different numbers of features: {counts}."
            )
        return counts.pop()
    return 1 if sequences.ndim == 2 else sequences.shape[2]


def _checked_sequences(X):
    """``X`` as :func:`check_sequences` validates it (2D kept), NaN padding
    allowed; a list of sequences of different lengths as a list of arrays."""
    if isinstance(X, (list, tuple)) and X and len({np.shape(x)[:1] for x in X}) > 1:
        return _as_sequences(X)
    return check_sequences(X, dtype=None, keep_2d=True, allow_nan=True)


def _flat_steps(X, n_features):
    """The ``(n_steps, n_features)`` steps of an array (1D, 2D or 3D) or of a
    list of sequences."""
    if isinstance(X, list):
        return np.concatenate([x.reshape(-1, n_features) for x in X])
    return X.reshape(-1, n_features)


def _real_steps(steps):
    """The steps (rows) that are not all NaN: padding carries no statistics."""
    return steps[~np.isnan(steps).all(axis=1)]
