"""Fully connected baseline: the chapter's linear model and small MLPs."""

import keras

from ..utils._scalars import with_python_scalars
from ._heads import dense_head
from ._seeding import glorot

__all__ = ["build_dense"]


@with_python_scalars
def build_dense(
    input_shape, n_outputs, *, hidden_units=(), activation="relu", seed=None
):
    """Flatten a fixed-length window and map it through Dense layers.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_timesteps, n_features)``; the length must be fixed.
    n_outputs : int
        Size of the linear output layer.
    hidden_units : tuple of int, default=()
        Sizes of the hidden layers; ``()`` gives a linear model.
    activation : str, default="relu"
        Activation of the hidden layers.
    seed : int or None, default=None
        Seed of the weight initializers.

    Returns
    -------
    model : keras.Model
        Maps ``(batch, n_timesteps, n_features)`` to ``(batch, n_outputs)``.
    """
    inputs = keras.Input(shape=tuple(input_shape))
    hidden = keras.layers.Flatten()(inputs)
    for index, units in enumerate(hidden_units):
        hidden = keras.layers.Dense(
            units, activation=activation, kernel_initializer=glorot(seed, index)
        )(hidden)
    outputs = dense_head(hidden, n_outputs, index=len(hidden_units), seed=seed)
    return keras.Model(inputs, outputs, name="dense")
