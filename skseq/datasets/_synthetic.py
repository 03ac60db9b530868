"""The chapter's synthetic series: a sum of two sines plus noise."""

import numpy as np
from sklearn.utils import check_random_state

from ..utils._validation import check_int, check_random_state_param

__all__ = ["make_sine_series"]


def make_sine_series(n_series, n_steps, *, random_state=None):
    """Generate the chapter's synthetic series (``generate_time_series``).

    For each series, ``freq1, freq2, offset1, offset2 ~ U(0, 1)`` and, with
    ``t = linspace(0, 1, n_steps)``::

        0.5 sin((t - offset1) (10 freq1 + 10))
        + 0.2 sin((t - offset2) (20 freq2 + 20))
        + 0.1 (U(0, 1) - 0.5)

    Parameters
    ----------
    n_series : int
        Number of independent series.
    n_steps : int
        Number of time steps of each series.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the frequencies, offsets and noise. An int or a ``RandomState``
        draws the series the chapter's ``np.random.rand`` draws; a NumPy
        ``Generator`` (``np.random.default_rng(seed)``) draws its own.

    Returns
    -------
    series : ndarray of shape (n_series, n_steps, 1), dtype float32
        The series in the 3D layout. ``series[:, :50]`` and ``series[:, 50, 0]``
        are the chapter's next-step inputs and targets for ``n_steps=51``.

    Examples
    --------
    >>> from skseq.datasets import make_sine_series
    >>> make_sine_series(3, 51, random_state=0).shape
    (3, 51, 1)
    """
    n_series = check_int(n_series, "n_series", min_value=1)
    n_steps = check_int(n_steps, "n_steps", min_value=1)
    uniform = _uniform(check_random_state_param(random_state))
    freq1, freq2, offset1, offset2 = uniform((4, n_series, 1))
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offset1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offset2) * (freq2 * 20 + 20))
    series += 0.1 * (uniform((n_series, n_steps)) - 0.5)
    return series[..., np.newaxis].astype(np.float32)


def _uniform(random_state):
    """``U(0, 1)`` draws of a given shape from ``random_state``: a ``Generator``'s
    own, else ``RandomState.random_sample`` (the stream of ``np.random.rand``)."""
    if isinstance(random_state, np.random.Generator):
        return random_state.random
    return check_random_state(random_state).random_sample
