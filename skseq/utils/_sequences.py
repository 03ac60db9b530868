"""Sequences of different lengths: validated and NaN-padded into one 3D array.

Used by the classifiers, which mask the padding inside their networks.
"""

import numpy as np

from ._validation import as_float, check_sequence_shape, named_check_array

__all__ = ["check_padded_sequences", "check_tokens", "sequence_items"]


def sequence_items(X):
    """The sequences of a list or tuple of 1D/2D arrays, else None (an array).

    A 1D object array or pandas Series of arrays (a DataFrame column holding
    one sequence per row) counts as such a list.
    """
    if getattr(X, "ndim", None) == 1 and getattr(X, "dtype", None) == np.dtype("O"):
        X = list(X)
    if not isinstance(X, (list, tuple)) or not X:
        return None
    try:
        ndims = {np.ndim(item) for item in X}
    except ValueError:  # an item is itself ragged
        return None
    if 0 in ndims and ndims & {1, 2}:
        index = next(i for i, item in enumerate(X) if np.ndim(item) == 0)
        raise ValueError(
            f"X[{index}] is {X[index]!r}, not a sequence, while other items of X "
            "are sequences; every item must be an array of time steps."
        )
    return list(X) if ndims <= {1, 2} and ndims else None


def check_padded_sequences(X, *, input_name="X", dtype=np.float32):
    """Validate sequences of possibly different lengths; pad them with NaN.

    Parameters
    ----------
    X : list of array-like of shape (n_timesteps_i,) or (n_timesteps_i, \
            n_features), or array-like of shape (n_samples, n_timesteps[, n_features])
        Sequences (a 1D object array or pandas Series of arrays is a list of
        them). In an array, NaN time steps after the end of a sequence are
        padding; a 2D array holds univariate sequences.
    input_name : str, default="X"
        Name used in error messages.
    dtype : {np.float32, np.float64}, default=np.float32
        Float dtype of the result; float64 keeps integers up to 2**53 exact.

    Returns
    -------
    X : ndarray of shape (n_samples, max_timesteps, n_features), dtype ``dtype``
        The sequences, NaN after the end of each.
    lengths : ndarray of shape (n_samples,), dtype int
        Number of real time steps of each sequence.

    Examples
    --------
    >>> from skseq.estimators import check_padded_sequences
    >>> X, lengths = check_padded_sequences([[1, 2, 3], [4]])
    >>> X.shape, lengths.tolist()
    ((2, 3, 1), [3, 1])
    """
    if isinstance(X, (list, tuple)) and not X:
        raise ValueError(f"{input_name} is empty: it holds no sequence.")
    items = sequence_items(X)
    if items is None:
        X = _check_sequence_array(X, input_name, dtype)
    else:
        X = _pad_sequence_list(items, input_name, dtype)
    missing = np.isnan(X)
    step_missing = missing.any(axis=2)
    if (step_missing != missing.all(axis=2)).any():
        raise ValueError(
            f"{input_name} has time steps where only some features are NaN. NaN "
            "marks padding after the end of a sequence and must fill whole time "
            "steps; impute missing values first."
        )
    lengths = (~step_missing).sum(axis=1)
    padding = np.arange(X.shape[1]) >= lengths[:, np.newaxis]
    if (step_missing != padding).any():
        raise ValueError(
            f"{input_name} contains NaN inside a sequence: NaN marks padding, "
            "which may only follow the last real time step. Impute missing values "
            "or pass a list of sequences of different lengths."
        )
    if (lengths == 0).any():
        raise ValueError(
            f"{input_name} holds empty sequences (no time step, or only NaN) at "
            f"index {np.flatnonzero(lengths == 0)[:5].tolist()}."
        )
    return X, lengths


def _check_sequence_array(X, input_name, dtype):
    ndim = np.ndim(X) if isinstance(X, (list, tuple)) else getattr(X, "ndim", None)
    if ndim is not None and ndim not in (2, 3):
        hint = " Reshape your data: X.reshape(1, -1) for one sequence." * (ndim == 1)
        raise ValueError(
            f"{input_name} must be 2D (n_samples, n_timesteps), 3D (n_samples, "
            f"n_timesteps, n_features) or a list of sequences; got a {ndim}D "
            f"array.{hint}"
        )
    X = named_check_array(
        X,
        input_name,
        allow_nd=True,
        dtype="numeric",
        ensure_all_finite="allow-nan",
        ensure_min_features=0,
    )
    check_sequence_shape(X.shape, input_name)
    X = X[:, :, np.newaxis] if X.ndim == 2 else X
    return as_float(X, dtype, input_name, copy=True)


def _pad_sequence_list(items, input_name, dtype):
    arrays = []
    for index, item in enumerate(items):
        name = f"{input_name}[{index}]"
        item = named_check_array(
            item,
            name,
            ensure_2d=False,
            dtype="numeric",
            ensure_all_finite="allow-nan",
            ensure_min_samples=0,
            ensure_min_features=0,
        )
        if len(item) == 0:
            raise ValueError(f"{name} has 0 time steps; every sequence needs one.")
        item = as_float(item, dtype, name)
        arrays.append(item[:, np.newaxis] if item.ndim == 1 else item)
    n_features = {array.shape[1] for array in arrays}
    if len(n_features) > 1:
        raise ValueError(
            f"The sequences of {input_name} have different numbers of features: "
            f"{sorted(n_features)}."
        )
    n_features = n_features.pop()
    if n_features == 0:
        raise ValueError(f"{input_name} has 0 features per time step.")
    padded = np.full(
        (len(arrays), max(len(a) for a in arrays), n_features), np.nan, dtype
    )
    for row, array in zip(padded, arrays, strict=True):
        row[: len(array)] = array
    return padded


def check_tokens(X, vocab_size, input_name="X"):
    """Token ids must be integers in ``[0, vocab_size)``, one per time step."""
    if X.shape[2] != 1:
        raise ValueError(
            f"With vocab_size set, {input_name} holds one token id per time step: "
            f"got {X.shape[2]} features."
        )
    tokens = X[~np.isnan(X)]
    bad = (tokens != np.round(tokens)) | (tokens < 0) | (tokens >= vocab_size)
    if bad.any():
        raise ValueError(
            f"{input_name} holds values that are not token ids in [0, "
            f"vocab_size={vocab_size}): {np.unique(tokens[bad])[:5].tolist()}."
        )
