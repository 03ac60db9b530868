"""Transformers between series, 3D sequence batches and the 2D world of sklearn."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._doc_link import DocLinkMixin
from ..utils._validation import (
    check_column_order,
    check_feature_names,
    check_int,
    check_sequences,
    column_attributes,
    set_fitted_attributes,
)
from ._order import check_time_order
from ._step_names import kept_column_names, record_layout
from ._windows import as_series_array, count_windows, window_view

__all__ = ["FlattenSequence", "SlidingWindowTransformer"]


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
    it was. 2D input (univariate sequences) comes back as a copy. NaN (the
    classifiers' padding of shorter sequences) passes through, for an estimator
    that handles it (``HistGradientBoostingClassifier``) or refuses it.

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
            Sequences; NaN passes through.
        y : None
            Ignored.

        Returns
        -------
        self : FlattenSequence
        """
        columns = column_attributes(X)
        record_layout(self, X)
        X = check_sequences(X, dtype=None, allow_nan=True)
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
        X = check_sequences(X, dtype=None, allow_nan=True)
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
        tags = _sequence_tags(super().__sklearn_tags__())
        tags.input_tags.allow_nan = True
        return tags
