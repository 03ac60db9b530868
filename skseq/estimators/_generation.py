"""Generation by :meth:`NextStepClassifier.generate`: the checks of its
arguments and the loop that samples one step at a time and feeds it back."""

import numbers

import numpy as np
from sklearn.utils import check_random_state

from ..utils._validation import check_random_state_param

__all__ = ["check_temperature", "sample_steps", "seed_values", "sharpened"]


def check_temperature(temperature):
    """``temperature`` as a float, after checking it is finite and > 0."""
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise TypeError(f"temperature must be a number > 0; got {temperature!r}.")
    temperature = float(temperature)
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}.")
    if not np.isfinite(temperature):
        raise ValueError(f"temperature must be finite, got {temperature}.")
    return temperature


def sharpened(proba, temperature):
    """Unnormalised weights ``proba ** (1 / temperature)``, computed in log space
    from the largest log-probability down, so that the most probable class
    weighs 1 and a tiny temperature leaves it alone (greedy decoding) instead
    of overflowing to NaN."""
    log_proba = np.log(np.maximum(np.asarray(proba, np.float64), 1e-30))
    with np.errstate(over="ignore"):  # (a - max) / 1e-300 is -inf: weight 0
        return np.exp((log_proba - log_proba.max()) / temperature)


def seed_values(seed_sequence):
    """``seed_sequence`` as a 1D array: ``(n_timesteps, 1)`` is flattened, other
    shapes are refused."""
    seed = np.asarray(seed_sequence)
    if seed.ndim == 2 and seed.shape[1] == 1:
        seed = seed[:, 0]
    if seed.ndim != 1:
        raise ValueError(
            "seed_sequence must be 1D (n_timesteps,) or (n_timesteps, 1); got "
            f"shape {seed.shape}."
        )
    return seed


def sample_steps(run_network, classes, seed, n_steps, temperature, random_state):
    """Indices into ``classes`` of ``n_steps`` steps sampled after ``seed`` (its
    real steps, validated), each fed back as the next input of ``run_network``."""
    n_seed = len(seed)
    # One buffer of the final length, NaN (padding) after the steps so far:
    # the network is causal, so the padding never changes the last real step's
    # output, and one input shape spares a retrace of the graph at every step.
    buffer = np.full((1, n_seed + n_steps, 1), np.nan, dtype=np.float32)
    buffer[0, :n_seed, 0] = seed
    rng = check_random_state_param(random_state)
    if not isinstance(rng, np.random.Generator):  # both have choice(n, p=)
        rng = check_random_state(rng)
    indices = np.zeros(n_steps, dtype=np.intp)
    for step in range(n_steps):
        proba = run_network(buffer)[0, n_seed + step - 1]
        weights = sharpened(proba, temperature)
        indices[step] = rng.choice(len(weights), p=weights / weights.sum())
        buffer[0, n_seed + step, 0] = classes[indices[step]]
    return indices
