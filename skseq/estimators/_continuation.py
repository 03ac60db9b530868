"""Is ``y`` the continuation of the target features of ``X``?

``strategy="recursive"`` and ``"seq2seq"`` forecasters, and the naive baselines,
read the target features of ``X`` as values in ``y``'s units. A wrapper that
rescales only one of them (a ``TransformedTargetRegressor`` or a ``Pipeline``
scaler around the forecaster) breaks that without an error. When ``X`` holds
sliding windows of one series cut at stride 1, the values that follow each
window are known (the last step of the next window), so ``y`` can be checked
against them. Anything else (windows cut at a larger stride, shuffled, drawn at
random as sklearn's estimator checks do) is left alone.
"""

import numpy as np

__all__ = ["check_continuation"]

# Fewest pairs of successive windows that make X "consecutive windows".
MIN_PAIRS = 5
# Tolerance of "y's first step is the next window's last value": loose, so
# that y rounded to float32 (or X rounded) never trips it; wrong units are off
# by far more.
MATCH_RTOL = 1e-3
DIRECT = "or use strategy='direct', which reads no target from X."


def check_continuation(X, y, owner, alternative=DIRECT):
    """Refuse ``y`` that is not the continuation of ``X``'s consecutive windows.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Validated input windows; the first ``n_targets`` features are the targets.
    y : ndarray of shape (n_samples, horizon, n_targets)
        Validated targets; ``y[i, 0]`` is the step after window ``i``.
    owner : str
        What reads the target features of ``X`` (for the message), e.g.
        ``"DenseForecaster(strategy='recursive')"``.
    alternative : str, default=DIRECT
        The last sentence of the message: another way to the same forecast.

    Raises
    ------
    ValueError
        When most pairs of successive windows of ``X`` are the same series
        shifted by one step, but ``y``'s first step differs from the next
        window's last target values on most of them.
    """
    n_targets = y.shape[2]
    pairs = consecutive_pairs(X, n_targets)
    if pairs is None:
        return
    implied = np.asarray(X[pairs + 1, -1, :n_targets], dtype=np.float64)
    given = np.asarray(y[pairs, 0, :], dtype=np.float64)
    same = _matches(given, implied)
    # Zero read as zero says nothing about units (a log1p or a scale factor
    # keeps it): intermittent demand would otherwise outvote its non-zeros.
    votes = ~((implied == 0) & (given == 0)).all(axis=1)
    # Windows of several series stacked may meet at a boundary that looks
    # consecutive; those few pairs differ legitimately, so only most count.
    if votes.sum() < MIN_PAIRS or same[votes].mean() >= 0.5:
        return
    i = pairs[np.flatnonzero(~same)[0]]
    raise ValueError(
        _message(owner, i, given[~same][0], implied[~same][0], alternative)
    )


def consecutive_pairs(X, n_targets):
    """Indices ``i`` of the windows whose successor ``X[i + 1]`` is ``X[i]``
    shifted by one step (all features), or None when too few pairs are, or
    they are too small a share of ``X``, to call it sliding windows."""
    n_samples, n_timesteps = X.shape[:2]
    if n_timesteps < 2 or n_samples <= MIN_PAIRS:
        return None
    shifted, flat = _informative_shifts(X, n_targets)
    pairs = np.flatnonzero(shifted & ~flat)
    # Windows that start flat count neither way: a series mostly zeros
    # (intermittent demand) is still checked.
    if len(pairs) < MIN_PAIRS or len(pairs) < 0.5 * np.count_nonzero(~flat):
        return None
    return pairs


def _informative_shifts(X, n_targets, chunk=4096):
    """For every ``i``: whether ``X[i + 1, :-1]`` equals ``X[i, 1:]`` (windows
    cut from one array hold the very same values; NaN equals NaN), and whether
    the targets of that overlap ``X[i + 1, :-1]`` are flat: a window that
    starts flat follows any window that ends so, as where series of zeros meet
    in a panel (``[..., 0, 0]`` then ``[0, 0, 3]``), which tells nothing about
    order (windows of 2 steps never tell). In chunks of windows, so that a
    large ``X`` is not copied whole."""
    shifts, flats = [], []
    for start in range(0, len(X) - 1, chunk):
        before, after = (
            X[start : start + chunk + 1][:-1],
            X[start + 1 : start + chunk + 1],
        )
        head, tail = after[:, :-1], before[:, 1:]
        same = (head == tail) | (np.isnan(head) & np.isnan(tail))
        targets = after[:, :-1, :n_targets]
        flat = (targets == targets[:, :1]).all(axis=(1, 2))
        shifts.append(same.all(axis=(1, 2)))
        flats.append(flat)
    return np.concatenate(shifts), np.concatenate(flats)


def _matches(given, implied):
    """Per pair, whether every target of ``given`` is ``implied`` to within
    ``MATCH_RTOL`` of that target's own largest value (a target in the
    millions must not hide another one in units), or to within the rounding
    of whichever of them is rounded to a few decimals (y rounded to cents
    while X is not continues X all the same)."""
    scale = np.abs(np.where(np.isfinite(implied), implied, 0.0)).max(axis=0)
    tolerance = MATCH_RTOL * (scale + np.abs(implied))
    close = np.abs(given - implied) <= tolerance
    if not close.all():
        rounding = np.maximum(_half_step(given), _half_step(implied))
        close = np.abs(given - implied) <= np.maximum(tolerance, rounding)
    both_nan = np.isnan(given) & np.isnan(implied)
    return (close | both_nan).all(axis=1)


def _message(owner, i, given, implied, alternative):
    return (
        f"y is not the continuation of the target features of X: X holds "
        f"consecutive windows of one series (stride 1), so y[{i}, 0] should be "
        f"the last target value(s) of X[{i + 1}], {np.round(implied, 6).tolist()}, "
        f"but it is {np.round(given, 6).tolist()}. {owner} reads the first "
        f"{len(implied)} feature(s) of X as y's targets, in y's order (as "
        f"make_windows puts them) and in y's units, so a TransformedTargetRegressor "
        f"or a Pipeline scaler around it (which changes only one of X and y) "
        f"makes its forecasts silently wrong. Fit skseq.WindowedForecaster on "
        f"the series instead and scale there (its target_transform and scale "
        f"change both), {alternative}"
    )


def _half_step(values, max_decimals=6):
    """Per target, half the step of the rounding to ``d`` decimals (1 to
    ``max_decimals``) that every finite value holds, or 0 when the values are
    whole numbers or not rounded: whole numbers are counts, whose match must
    stay exact. Relative slack 1e-6 lets float32 values pass; values large
    enough for it to pass unrounded get a step far below ``MATCH_RTOL``."""
    finite = np.where(np.isfinite(values), values, 0.0)
    half = np.zeros(values.shape[1])
    for column in range(values.shape[1]):
        for decimals in range(max_decimals + 1):
            shifted = finite[:, column] * 10.0**decimals
            if np.allclose(shifted, np.round(shifted), rtol=1e-6, atol=1e-6):
                half[column] = 0.5 * 10.0**-decimals if decimals else 0.0
                break
    return half
