"""Input and hyperparameter validation shared by windowing and estimators.

Every check raises a ``ValueError`` or ``TypeError`` whose message names the argument
and the problem, so that users never meet a deep Keras traceback for bad input.
"""

import math
import numbers
import warnings

import numpy as np
from sklearn.utils import check_array

from ._casts import (
    as_real_float64,
    refuse_dates,
    refuse_inexact_integers,
    refuse_masked,
    refuse_text_array,
)
from ._label_order import check_label_order
from ._sequence_columns import check_sequence_columns, sequence_columns

__all__ = [
    "as_float",
    "as_real_float64",
    "check_bool",
    "check_choice",
    "check_coverage",
    "check_float",
    "check_float_range",
    "check_int",
    "check_random_state_param",
    "check_sequence_shape",
    "check_sequences",
    "check_targets",
    "check_units",
    "check_column_order",
    "check_feature_names",
    "column_attributes",
    "feature_names",
    "named_check_array",
    "refuse_inexact_integers",
    "refuse_masked",
    "set_fitted_attributes",
    "warn_float32_rounding",
    "validation_size",
]

_MAX_SEED = 2**32 - 1


def check_int(value, name, *, min_value=None, allow_none=False):
    """Return ``value`` as an int after checking its type and lower bound."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int; got {value!r}.")
    if min_value is not None and value < min_value:
        raise ValueError(f"{name} must be >= {min_value}; got {value}.")
    return int(value)


def check_float(value, name, *, low=None, high=None, high_inclusive=True):
    """Return ``value`` as a float after checking it lies in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number; got {value!r}.")
    value = float(value)
    too_high = high is not None and (
        value > high or (value == high and not high_inclusive)
    )
    if not np.isfinite(value) or (low is not None and value < low) or too_high:
        if high is None:
            bound = "" if low is None else f" >= {low}"
            raise ValueError(f"{name} must be a finite number{bound}; got {value}.")
        bracket = "]" if high_inclusive else ")"
        raise ValueError(f"{name} must lie in [{low}, {high}{bracket}; got {value}.")
    return value


def check_coverage(coverage):
    """Return ``coverage`` as a float after checking it lies strictly in (0, 1)."""
    if isinstance(coverage, bool) or not isinstance(coverage, numbers.Real):
        raise TypeError(
            f"coverage must be a number in (0, 1), e.g. 0.9; got {coverage!r}."
        )
    if not 0 < coverage < 1:
        raise ValueError(
            "coverage must lie strictly between 0 and 1 (0.9 for a 90% interval); "
            f"got {coverage}."
        )
    return float(coverage)


def check_bool(value, name):
    """Return ``value`` after checking it is a bool (NumPy's included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}.")
    return bool(value)


def check_random_state_param(random_state, name="random_state"):
    """Check ``random_state`` is what sklearn's ``check_random_state`` accepts, or a
    NumPy ``Generator``; return it unchanged."""
    if random_state is None or isinstance(
        random_state, (np.random.RandomState, np.random.Generator)
    ):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(
        random_state, (bool, np.bool_)
    ):
        if not 0 <= random_state <= _MAX_SEED:
            raise ValueError(
                f"{name} must be an int in [0, 2**32 - 1]; got {random_state}."
            )
        return random_state
    raise TypeError(
        f"{name} must be None, an int in [0, 2**32 - 1], a numpy RandomState or a "
        f"numpy Generator; got {random_state!r}."
    )


def check_choice(value, name, choices):
    """Check that ``value`` is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}; got {value!r}.")
    return value


# Fewest samples a validation set of early stopping should hold: the loss of one
# is the error of one forecast, so the "best" epoch would be chosen by chance.
MIN_VALIDATION = 2


def validation_size(n_samples, fraction, unit="sample", *, n_zero_weight=0):
    """How many of the latest ``n_samples`` early stopping holds out.

    ``ceil(n_samples * fraction)``, refused unless at least one ``unit`` is left on
    each side; a warning when fewer than ``MIN_VALIDATION`` (2) are held out.
    ``n_zero_weight`` samples of weight 0 were left out before: the refusal
    counts the others as what they are.
    """
    n_val = math.ceil(n_samples * fraction)
    if n_val < 1 or n_val >= n_samples:
        kind = " of nonzero weight" if n_zero_weight else ""
        got = f"{n_samples} {unit}{'' if n_samples == 1 else 's'}{kind}"
        if n_zero_weight:
            got += f" ({n_zero_weight} of the {n_samples + n_zero_weight} weigh 0)"
        raise ValueError(
            f"early_stopping with validation_fraction={fraction} needs at least one "
            f"training and one validation {unit}{kind}; got {got}."
        )
    if n_val < MIN_VALIDATION:
        warnings.warn(
            f"early_stopping validates on {n_val} {unit} (validation_fraction="
            f"{fraction} of {n_samples}): the loss of so few picks the epoch to "
            f"keep by chance. Hold out at least {MIN_VALIDATION} (a larger "
            "validation_fraction, more data) or set early_stopping=False.",
            UserWarning,
            stacklevel=2,
        )
    return n_val


def check_units(units, name="units", *, allow_empty=False):
    """Return ``units`` (an int or a sequence of ints) as a tuple of ints.

    The tuple may be empty (``()``, no layer) only with ``allow_empty``.
    """
    layers = (units,) if isinstance(units, numbers.Integral) else units
    if isinstance(layers, str) or not hasattr(layers, "__iter__"):
        raise TypeError(f"{name} must be an int or a tuple of ints; got {units!r}.")
    layers = tuple(check_int(u, name, min_value=1) for u in layers)
    if not layers and not allow_empty:
        raise ValueError(f"{name} must hold at least one layer size; got {units!r}.")
    return layers


def _check_not_ragged(X, input_name):
    """Refuse a list of sequences of different lengths before NumPy hides it,
    and a 1D object array or pandas Series of sequences (a column holding one
    array per row), which NumPy keeps 1D: "reshape it" would be no advice."""
    dtype = getattr(X, "dtype", None)
    column = getattr(X, "ndim", None) == 1 and dtype == np.dtype("O")
    if column and len(X) and all(_is_sequence(item) for item in X):
        _refuse_different_lengths(X, input_name)
        raise ValueError(
            f"{input_name} is a 1D array of {len(X)} sequences, one object per "
            "row: stack them into one array of shape (n_samples, n_timesteps[, "
            f"n_features]) first, e.g. np.stack(list({input_name}))."
        )
    if isinstance(X, (list, tuple)) and X and hasattr(X[0], "__len__"):
        _refuse_different_lengths(X, input_name)


def _is_sequence(item):
    return hasattr(item, "__len__") and not isinstance(item, (str, bytes))


def _refuse_different_lengths(X, input_name):
    lengths = {len(item) if hasattr(item, "__len__") else None for item in X}
    if len(lengths) > 1:
        raise ValueError(
            f"{input_name} holds sequences of different lengths "
            f"({sorted(lengths, key=str)[:5]}...); this estimator needs "
            "sequences of equal length: cut windows with skseq.make_windows."
        )


def named_check_array(X, input_name, **options):
    """sklearn's ``check_array``, with the argument's name in every error.

    Dates and durations are refused: the cast to float would turn them into
    nanoseconds since 1970, numbers no model can use. So are masked arrays with
    masked values (NumPy's conversion drops the mask) and 64-bit integers
    beyond 2**53 (the cast to float rounds them).
    """
    refuse_dates(X, input_name)
    refuse_masked(X, input_name)
    refuse_inexact_integers(X, input_name)
    try:
        return check_array(X, input_name=input_name, **options)
    except (ValueError, TypeError) as exc:
        message = str(exc)
        if message.startswith("Complex data not supported"):
            # sklearn appends the whole array to this message: say it in one line.
            raise ValueError(
                f"{input_name} holds complex numbers (Complex data not supported); "
                f"pass real values, e.g. {input_name}.real or abs({input_name})."
            ) from None
        if input_name in message.split()[:3] or f"Input {input_name}" in message:
            raise
        if "setting an array element with a sequence" in message:
            raise ValueError(_nested_sequences_message(X, input_name)) from exc
        if "convert" in message or "numeric" in message:
            raise type(exc)(f"{input_name} must hold numbers only: {message}") from exc
        raise type(exc)(f"Invalid {input_name}: {message}") from exc


def _nested_sequences_message(X, input_name):
    """Say that ``X``'s cells hold whole sequences (a DataFrame column of arrays
    selected as ``df[["col"]]``), where NumPy spoke of setting an element."""
    columns = list(getattr(X, "columns", []))
    example = f"list(X[{columns[0]!r}])" if len(columns) == 1 else "list(df['col'])"
    return (
        f"{input_name} holds sequences (arrays or lists) as single values, e.g. a "
        "DataFrame whose cells are sequences: pass the sequences as a list of "
        f"arrays, e.g. {example}."
    )


def check_sequences(
    X,
    *,
    input_name="X",
    ensure_min_samples=1,
    dtype=np.float32,
    keep_2d=False,
    allow_nan=False,
):
    """Validate a batch of sequences and return it as a 3D float32 array.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_timesteps) or \
            (n_samples, n_timesteps, n_features)
        Sequences; a 2D array holds univariate sequences.
    input_name : str, default="X"
        Name used in error messages.
    ensure_min_samples : int, default=1
        Fewest sequences accepted.
    dtype : dtype or None, default=np.float32
        Dtype of the result; ``None`` keeps float32 or float64 input as it is.
    keep_2d : bool, default=False
        Return 2D input as it is instead of adding a feature axis.
    allow_nan : bool, default=False
        Accept NaN (padding of variable-length sequences); infinity never.

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Or (n_samples, n_timesteps) for 2D input with ``keep_2d=True``.
    """
    _check_not_ragged(X, input_name)
    refuse_text_array(X, input_name, "O")  # check_array parses objects' "1.5"
    ndim = np.ndim(X) if isinstance(X, (list, tuple)) else getattr(X, "ndim", None)
    if ndim is not None and ndim not in (2, 3):
        hint = (
            " Reshape your data: X.reshape(1, -1) for one sequence, or cut a "
            "series into windows with skseq.make_windows."
            if ndim == 1
            else ""
        )
        raise ValueError(
            f"{input_name} must be 2D (n_samples, n_timesteps) or 3D (n_samples, "
            f"n_timesteps, n_features); got a {ndim}D array of shape "
            f"{np.shape(X)}.{hint}"
        )
    X = named_check_array(
        X,
        input_name,
        allow_nd=True,
        dtype="numeric",
        ensure_min_samples=ensure_min_samples,
        ensure_min_features=0,  # checked below, in words of time steps
        ensure_all_finite="allow-nan" if allow_nan else True,
    )
    check_sequence_shape(X.shape, input_name)
    if X.dtype.kind != "f":
        X = X.astype(np.float64)
    if X.ndim == 2 and not keep_2d:
        X = X[:, :, np.newaxis]
    return X if dtype is None else as_float(X, dtype, input_name)


def as_float(values, dtype, input_name="X", *, copy=False):
    """``values`` cast to the float ``dtype``, refusing values the cast would
    turn into infinity (float64 beyond float32's range, ~3.4e38): a network
    would then return NaN, and a classifier its first class, without a word.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.utils._validation import as_float
    >>> as_float(np.array([1.0, 2.0]), np.float32).dtype
    dtype('float32')
    >>> as_float(np.array([1.0, 1e39]), np.float32, "series")
    Traceback (most recent call last):
    ...
    ValueError: series holds values too large for float32 (|x| > 3.4e+38), ...
    """
    check_float_range(values, dtype, input_name)
    return values.astype(dtype, copy=copy)


def check_float_range(values, dtype, input_name="X"):
    """Refuse ``values`` the cast to the float ``dtype`` would turn into
    infinity (the check of :func:`as_float`, without the cast)."""
    dtype = np.dtype(dtype)
    if _beyond(values, dtype):
        with np.errstate(invalid="ignore"):
            too_large = np.abs(values) > np.finfo(dtype).max
        if too_large.any():
            raise ValueError(
                f"{input_name} holds values too large for {dtype.name} (|x| > "
                f"{np.finfo(dtype).max:.2g}), e.g. {values[too_large][0]:.3g}; "
                "rescale it (e.g. divide by a constant, or use "
                "skseq.SequenceScaler)."
            )


def _beyond(values, dtype):
    """Whether float ``values`` hold a finite value beyond ``dtype``'s range, by
    two reductions that skip NaN (padding) and allocate nothing."""
    if values.dtype.kind != "f" or values.dtype.itemsize <= dtype.itemsize:
        return False
    if values.size == 0:
        return False
    limit = np.finfo(dtype).max
    return bool(np.fmax.reduce(values, axis=None) > limit) or bool(
        np.fmin.reduce(values, axis=None) < -limit
    )


def check_sequence_shape(shape, input_name="X"):
    """Refuse sequences of 0 time steps or 0 features.

    Keras networks fail on them deep inside a layer, and oneDNN aborts the whole
    process on a ``Dense`` layer over 0 inputs, so they are refused up front.

    Parameters
    ----------
    shape : tuple of int
        ``(n_samples, n_timesteps)`` or ``(n_samples, n_timesteps, n_features)``.
    input_name : str, default="X"
        Name used in error messages.
    """
    if shape[1] == 0 and len(shape) == 2:
        # sklearn's wording too, which its common checks look for
        raise ValueError(
            f"{input_name} has sequences of 0 time steps: found array with 0 "
            f"feature(s) (shape={shape}) while a minimum of 1 is required (a 2D "
            f"{input_name} holds univariate sequences, a column per time step)."
        )
    if shape[1] == 0:
        raise ValueError(
            f"{input_name} has sequences of 0 time steps (shape {shape}); every "
            "sequence needs at least one time step."
        )
    if len(shape) == 3 and shape[2] == 0:
        raise ValueError(
            f"{input_name} has 0 features per time step (shape {shape}); every "
            "time step needs at least one feature."
        )


def check_targets(y, n_samples, *, input_name="y", dtype=np.float32):
    """Validate forecasting targets and return them as a 3D float array.

    Parameters
    ----------
    y : array-like of shape (n_samples,), (n_samples, horizon) or \
            (n_samples, horizon, n_targets)
        One step ahead, several steps ahead of one series, or several series.
    n_samples : int
        Number of sequences in ``X``; ``y`` must have as many rows.
    dtype : dtype or None, default=np.float32
        Dtype of the result; ``None`` keeps float64 (integers become float64),
        for estimators that compute without Keras.

    Returns
    -------
    y : ndarray of shape (n_samples, horizon, n_targets), dtype ``dtype``
    ndim : int
        The number of dimensions ``y`` came with, so predictions can take it back.
    """
    if y is None:
        raise ValueError(
            "This estimator requires y to be passed, but the target y is None."
        )
    refuse_text_array(y, input_name)  # check_array would parse "1.5" silently
    y = named_check_array(
        y,
        input_name,
        ensure_2d=False,
        allow_nd=True,
        dtype=[np.float64, np.float32] if dtype is None else [np.float32, np.float64],
    )
    if y.ndim > 3:
        raise ValueError(
            f"{input_name} must be 1D, 2D (n_samples, horizon) or 3D (n_samples, "
            f"horizon, n_targets); got shape {y.shape}."
        )
    if y.shape[0] != n_samples:
        raise ValueError(
            f"X and {input_name} have different numbers of samples: "
            f"{n_samples} and {y.shape[0]}."
        )
    ndim = y.ndim
    y = y.reshape(y.shape[0], -1, 1) if ndim < 3 else y
    if y.shape[1] == 0 or y.shape[2] == 0:
        raise ValueError(f"{input_name} is empty: shape {y.shape}.")
    return (y if dtype is None else as_float(y, dtype, input_name)), ndim


def feature_names(X):
    """The column names of a 2D pandas DataFrame ``X`` when all are strings
    (sklearn's rule for ``feature_names_in_``), as an object array; else None."""
    columns = getattr(X, "columns", None)
    if columns is None or getattr(X, "ndim", None) != 2:
        return None
    names = np.asarray(columns, dtype=object)
    if not all(isinstance(name, str) for name in names):
        return None
    return names


def column_attributes(X):
    """The fitted attributes that remember the columns of a 2D DataFrame ``X``.

    ``feature_names_in_`` when its labels are all strings (sklearn's rule);
    other labels (integers, dates) are kept, as text, in the private
    ``_column_labels_in``, so that :func:`check_feature_names` still refuses
    them in another order (and ``skseq.save`` can store them).
    ``_sequence_columns_in``: the columns of a list of DataFrames (one per
    sequence), which :func:`sequence_columns` refuses in different orders.
    ``None`` values make :func:`set_fitted_attributes` drop the attribute.
    """
    names = feature_names(X)
    labels = None
    if names is None and getattr(X, "ndim", None) == 2 and hasattr(X, "columns"):
        labels = [str(label) for label in X.columns]
    return {
        "feature_names_in_": names,
        "_column_labels_in": labels,
        "_sequence_columns_in": sequence_columns(X),
    }


def check_column_order(estimator, X):
    """Refuse a 2D DataFrame ``X`` whose non-string column labels are those
    seen in ``fit`` in another order (columns are read by position)."""
    fitted = getattr(estimator, "_column_labels_in", None)
    columns = getattr(X, "columns", None)
    if fitted is None or columns is None or getattr(X, "ndim", None) != 2:
        return
    check_label_order(
        [str(label) for label in columns],
        fitted,
        reordered=(
            f"X has the columns {type(estimator).__name__} was fitted on, in "
            "another order: its columns are read by position, so the time "
            "steps (or features) would be shuffled. Put them in the order of "
            "fit: {fitted}."
        ),
    )


def check_feature_names(estimator, X, stacklevel=4):
    """Compare the columns of a 2D DataFrame ``X`` with ``feature_names_in_``.

    A 2D ``X`` holds one time step per column, and the network reads them by
    position. The names seen in ``fit`` in another order would feed it the time
    steps shuffled, a wrong forecast without a word: a ``ValueError``. Other
    names (later dates, another length) may be meant, so they get a warning.
    The same for the columns of a list of DataFrames (one per sequence, see
    :func:`check_sequence_columns`).
    """
    check_column_order(estimator, X)
    check_sequence_columns(estimator, X, stacklevel=stacklevel + 1)
    fitted, names = getattr(estimator, "feature_names_in_", None), feature_names(X)
    if fitted is None or names is None:
        return
    name = type(estimator).__name__
    check_label_order(
        names.tolist(),
        [str(label) for label in fitted],
        reordered=(
            f"X has the columns {name} was fitted on, in another order: a 2D X "
            "holds one time step per column, read by position, so the time "
            "steps would be shuffled. Put them in the order of fit: "
            "X[estimator.feature_names_in_]."
        ),
        renamed=(
            f"X has other column names than the X {name} was fitted on ({{seen}} "
            "instead of {fitted}): its columns are read by position, as time "
            "steps. Pass X.to_numpy() if that is meant."
        ),
        stacklevel=stacklevel,
    )


# Fitted attributes that exist only after a fit on named columns.
_DROPPED_IF_NONE = ("feature_names_in_", "_column_labels_in", "_sequence_columns_in")


def set_fitted_attributes(estimator, attributes):
    """Set the fitted ``attributes`` (a dict) on ``estimator``;
    ``feature_names_in_=None`` removes that attribute instead, as sklearn has it
    only after a fit on named columns."""
    for name, value in attributes.items():
        if name in _DROPPED_IF_NONE and value is None:
            estimator.__dict__.pop(name, None)
        else:
            setattr(estimator, name, value)


# Share of the values' spread that float32 rounding may reach before fit warns.
_ROUNDING_SHARE = 0.01
# Values the spread is estimated from (evenly spaced), so the check stays cheap.
_SPREAD_SAMPLE = 100_000


def warn_float32_rounding(values, input_name="X"):
    """Warn when casting float64 ``values`` to float32 rounds them by more than
    1% of their spread.

    Large values that vary little (a level of 1e8 moving by tens) are rounded
    to float32's spacing at that level (8 at 1e8): the network sees the
    changes coarsened and forecasts with that error, plausible numbers
    without a word. Returns nothing; the cast itself is left to the caller.
    """
    if values.dtype != np.float64 or values.size < 2:
        return
    flat = values.reshape(-1)
    # two reductions that skip NaN and allocate nothing (no np.abs copy)
    largest = max(float(np.fmax.reduce(flat)), -float(np.fmin.reduce(flat)), 0.0)
    rounding = largest * 2.0**-24  # half of float32's spacing at that magnitude
    sample = flat[:: max(1, flat.size // _SPREAD_SAMPLE)]
    spread = float(np.nanstd(sample))
    if not spread > 0 or rounding <= _ROUNDING_SHARE * spread:
        return
    warnings.warn(
        f"{input_name} holds large values that vary little (up to {largest:.4g}, "
        f"standard deviation {spread:.3g}): the network computes in float32, "
        f"which rounds them by up to {rounding:.2g} "
        f"({100 * rounding / spread:.0f}% of their spread), so forecasts carry "
        "that error. Take out the level first: subtract a constant or each "
        "sequence's last value, or scale (SequenceScaler for X, "
        "TransformedTargetRegressor for y).",
        UserWarning,
        stacklevel=7,  # the caller of fit (via _validate_fit)
    )
