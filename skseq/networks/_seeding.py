"""Explicit, per-layer seeds for initializers, so models never rely on global RNGs."""

import keras

__all__ = ["layer_seed", "glorot", "orthogonal"]


def layer_seed(seed, index):
    """Seed for the ``index``-th layer of a network seeded with ``seed`` (or None)."""
    return None if seed is None else seed + 7919 * (index + 1)


def glorot(seed, index):
    """Glorot-uniform initializer (the Keras default) with a per-layer seed."""
    return keras.initializers.GlorotUniform(seed=layer_seed(seed, index))


def orthogonal(seed, index):
    """Orthogonal initializer (the Keras default for recurrent kernels), seeded."""
    return keras.initializers.Orthogonal(seed=layer_seed(seed, index))
