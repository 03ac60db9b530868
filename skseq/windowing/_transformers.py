"""Transformers between series, 3D sequence batches and the 2D world of sklearn."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted, validate_data

from ..utils._doc_link import DocLinkMixin
from ..utils._validation import (
    check_bool,
    check_column_order,
    check_feature_names,
    check_int,
    check_sequences,
    column_attributes,
    named_check_array,
    set_fitted_attributes,
)
from ._order import check_time_order
from ._step_names import StepNamesMixin, kept_column_names, record_layout
from ._windows import as_series_array, count_windows, window_view

__all__ = [
    "FlattenSequence",
    "SequenceNormalizer",
    "SequenceScaler",
    "SlidingWindowTransformer",
]


_OUTPUTS = ("default", "pandas", "polars")


def _sequence_tags(tags):
    tags.input_tags.three_d_array = True
    return tags


class _ThreeDOutputMixin:
    """``set_output`` for transformers whose output is 3D, which no DataFrame holds.

    It stands left of ``TransformerMixin`` so that ``Pipeline.set_output`` finds it
    (sklearn only offers ``set_output`` to transformers with feature names).
    """

    def set_output(self, *, transform=None):
        """Accept sklearn's output configuration; it has no effect on 3D output.

        The output stays an ndarray of shape ``(n_samples, n_timesteps,
        n_features)`` whatever ``transform`` or
        ``sklearn.set_config(transform_output=...)`` say, so that
        ``Pipeline.set_output(transform="pandas")`` works: the 2D steps after
        :class:`FlattenSequence` give DataFrames.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Checked, then ignored.

        Returns
        -------
        self : estimator
        """
        if transform is not None and transform not in _OUTPUTS:
            raise ValueError(
                f"transform must be one of {list(_OUTPUTS)} or None; got {transform!r}."
            )
        return self


class SlidingWindowTransformer(
    DocLinkMixin, _ThreeDOutputMixin, TransformerMixin, BaseEstimator
):
    """Turn a series (rows = time) into overlapping windows of shape 3D.

    ``transform`` returns every window of ``window`` consecutive rows, so a series of
    ``n_steps`` rows gives ``(n_steps - window) // stride + 1`` windows: it changes
    the number of samples, so use it on a series before a sequence estimator, not
    inside a ``Pipeline`` that also carries ``y``. To get targets too, use
    :func:`skseq.make_windows`.

    Parameters
    ----------
    window : int
        Number of time steps per window.
    stride : int, default=1
        Step between the starts of consecutive windows. The grid is aligned on
        the end of ``X``: the last window ends at its last row (the latest
        data), and the first ``(n_steps - window) % stride`` rows are the ones
        no window reads (as :func:`skseq.make_windows` aligns it).

    Attributes
    ----------
    n_features_in_ : int
        Number of columns of the series seen in ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of a DataFrame seen in ``fit``; defined only when they
        are all strings. ``transform`` refuses a DataFrame with other columns
        or in another order.
    window_, stride_ : int
        ``window`` and ``stride`` as fitted: ``transform`` uses these, so that
        ``set_params`` takes effect at the next ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import SlidingWindowTransformer
    >>> SlidingWindowTransformer(window=3).fit_transform(np.arange(5.0)).shape
    (3, 3, 1)
    """

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        return [{"window": 2}]

    def __init__(self, window, *, stride=1):
        self.window = window
        self.stride = stride

    def fit(self, X, y=None):
        """Record the number of columns of the series.

        Parameters
        ----------
        X : array-like of shape (n_steps,) or (n_steps, n_features)
            The series; rows are time steps.
        y : None
            Ignored.

        Returns
        -------
        self : SlidingWindowTransformer
        """
        window = check_int(self.window, "window", min_value=1)
        stride = check_int(self.stride, "stride", min_value=1)
        # feature_names_in_ of a DataFrame, so that transform refuses its
        # columns in another order (as sklearn's transformers do)
        validate_data(self, X, skip_check_array=True, ensure_2d=False, reset=True)
        self.n_features_in_ = as_series_array(X, name="X").shape[1]
        set_fitted_attributes(
            self, {"_column_labels_in": column_attributes(X)["_column_labels_in"]}
        )
        self.window_, self.stride_ = window, stride
        return self

    def transform(self, X):
        """Return the windows of ``X`` as a read-only strided view.

        Parameters
        ----------
        X : array-like of shape (n_steps,) or (n_steps, n_features)
            The series; rows are time steps.

        Returns
        -------
        windows : ndarray of shape (n_windows, window, n_features)
        """
        check_is_fitted(self)
        check_time_order(X, "X")
        check_column_order(self, X)
        validate_data(self, X, skip_check_array=True, ensure_2d=False, reset=False)
        values = as_series_array(X, name="X")
        if values.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {values.shape[1]} features, but SlidingWindowTransformer "
                f"was fitted with {self.n_features_in_}."
            )
        n_windows = count_windows(len(values), self.window_, 0, stride=self.stride_)
        if n_windows == 0:
            raise ValueError(
                f"X has {len(values)} time steps, fewer than window={self.window_}."
            )
        offset = (len(values) - self.window_) % self.stride_
        return window_view(values[offset:], self.window_, stride=self.stride_)


class FlattenSequence(DocLinkMixin, TransformerMixin, BaseEstimator):
    """Flatten sequences of shape (n_samples, n_timesteps, n_features) to 2D.

    This lets any sklearn regressor work on sequences: ``make_pipeline(
    FlattenSequence(), Ridge())`` is the chapter's linear baseline. The result is a
    new array, never a view of the input: writing into one leaves the other as
    it was. 2D input (univariate sequences) comes back as a copy.

    Attributes
    ----------
    n_features_in_ : int
        Number of features per time step seen in ``fit``.
    n_timesteps_in_ : int
        Sequence length seen in ``fit``; ``transform`` requires the same.
    feature_names_in_ : ndarray of str of shape (n_timesteps,)
        Column names of the 2D DataFrame ``X`` of ``fit`` (one time step per
        column); defined only when they are all strings. ``transform`` refuses
        them in another order and warns about other names.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import FlattenSequence
    >>> FlattenSequence().fit_transform(np.zeros((4, 5, 2))).shape
    (4, 10)
    """

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        return [{}]

    def fit(self, X, y=None):
        """Record the sequence length and feature count.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences.
        y : None
            Ignored.

        Returns
        -------
        self : FlattenSequence
        """
        columns = column_attributes(X)
        record_layout(self, X)
        X = check_sequences(X, dtype=None)
        self.n_timesteps_in_, self.n_features_in_ = X.shape[1:]
        set_fitted_attributes(self, columns)
        return self

    def transform(self, X):
        """Flatten each sequence, time step by time step.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences of the length seen in ``fit``.

        Returns
        -------
        X_flat : ndarray of shape (n_samples, n_timesteps * n_features)
        """
        check_is_fitted(self)
        check_feature_names(self, X, stacklevel=3)
        X = check_sequences(X, dtype=None)
        expected = (self.n_timesteps_in_, self.n_features_in_)
        if X.shape[1:] != expected:
            raise ValueError(
                f"X has sequences of shape (n_timesteps, n_features) = {X.shape[1:]}, "
                f"but FlattenSequence was fitted on {expected}."
            )
        # A copy: a view would let a write into the result (centring it in
        # place) change the caller's X, and the reverse.
        return X.reshape(len(X), -1).copy()

    def get_feature_names_out(self, input_features=None):
        """Names of the flattened columns: ``t{step}_{feature}``, or for a 2D
        ``X`` (one column per time step, kept as they are) its column names.

        Parameters
        ----------
        input_features : array-like of str, optional
            Names of the features of each time step, or of the columns of a
            2D ``X`` (as ``SequenceScaler`` before it in a ``Pipeline`` passes).

        Returns
        -------
        names : ndarray of str of shape (n_timesteps * n_features,)
        """
        check_is_fitted(self)
        names = kept_column_names(self, input_features)
        if names is not None:
            return names
        if input_features is None:
            input_features = [f"x{j}" for j in range(self.n_features_in_)]
        elif len(input_features) != self.n_features_in_:
            columns = f" (or the {self.n_timesteps_in_} columns of its 2D X)"
            columns = columns if getattr(self, "_step_columns", None) else ""
            raise ValueError(
                f"input_features has {len(input_features)} names, but "
                f"FlattenSequence was fitted with {self.n_features_in_} features "
                f"per time step{columns}."
            )
        steps = range(self.n_timesteps_in_)
        return np.array([f"t{t}_{f}" for t in steps for f in input_features], object)

    def __sklearn_tags__(self):
        return _sequence_tags(super().__sklearn_tags__())


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
    "pandas")`` leave it as it is.

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
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences.
        y : None
            Ignored.

        Returns
        -------
        self : SequenceScaler
        """
        columns = column_attributes(X)
        data = X  # its layout is recorded once the fit has succeeded
        X = check_sequences(X, dtype=None)
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
        self.scaler_ = scaler.fit(X.reshape(-1, X.shape[2]))
        record_layout(self, data)
        self.n_features_in_ = X.shape[2]
        set_fitted_attributes(self, columns)
        return self

    def transform(self, X):
        """Scale each feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences of any length with ``n_features_in_`` features.

        Returns
        -------
        X_scaled : ndarray of the shape of ``X``
        """
        check_is_fitted(self)
        check_feature_names(self, X, stacklevel=3)
        return self._apply(X, "transform")

    def inverse_transform(self, X):
        """Undo the scaling.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Scaled sequences.

        Returns
        -------
        X : ndarray of the shape of ``X``
        """
        return self._apply(X, "inverse_transform")

    def _apply(self, X, method):
        check_is_fitted(self)
        X = check_sequences(X, dtype=None, keep_2d=True)
        n_features = 1 if X.ndim == 2 else X.shape[2]
        if n_features != self.n_features_in_:
            raise ValueError(
                f"X has {n_features} features per time step, but SequenceScaler "
                f"was fitted with {self.n_features_in_}."
            )
        scaled = getattr(self.scaler_, method)(X.reshape(-1, n_features))
        scaled = np.array(scaled, copy=np.shares_memory(scaled, X) or None)
        if scaled.ndim != 2 or scaled.shape[1] != n_features:
            raise ValueError(
                f"The scaler {self.scaler_!r} turned {n_features} features into "
                f"{scaled.shape[1] if scaled.ndim == 2 else scaled.shape}; "
                "SequenceScaler needs a scaler that keeps each feature "
                "(StandardScaler, MinMaxScaler, RobustScaler, ...)."
            )
        return scaled.reshape(X.shape)

    def __sklearn_tags__(self):
        return _sequence_tags(super().__sklearn_tags__())


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
