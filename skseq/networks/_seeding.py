"""Explicit, per-layer seeds for initializers, so models never rely on global RNGs."""

import keras

__all__ = ["layer_seed", "glorot", "orthogonal", "sub_seed"]


def layer_seed(seed, index):
    """Seed for the ``index``-th layer of a network seeded with ``seed`` (or None)."""
    return None if seed is None else seed + 7919 * (index + 1)


def sub_seed(seed, index):
    """Seed of the ``index``-th initializer inside a layer seeded with ``seed``.

    Mixed rather than added: :func:`layer_seed` steps by 7919 per layer, so an
    additive step inside a layer would land on the seed of a later layer and
    two weight matrices of one network would start proportional to each other.
    """
    if seed is None:
        return None
    return (seed * 1_000_003 + 7919 * (index + 1)) % (2**31 - 1)


def glorot(seed, index):
    """Glorot-uniform initializer (the Keras default) with a per-layer seed."""
    return keras.initializers.GlorotUniform(seed=layer_seed(seed, index))


def orthogonal(seed, index):
    """Orthogonal initializer (the Keras default for recurrent kernels), seeded."""
    return keras.initializers.Orthogonal(seed=layer_seed(seed, index))
