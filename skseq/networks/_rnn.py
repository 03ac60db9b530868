"""Recurrent networks: SimpleRNN, LSTM and GRU stacks with a linear head."""

import keras

from ._seeding import glorot, layer_seed, orthogonal

__all__ = ["RNN_CELLS", "build_rnn"]

RNN_CELLS = {
    "simple": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
}


def build_rnn(
    input_shape,
    n_outputs,
    *,
    cell="lstm",
    units=(32,),
    dropout=0.0,
    recurrent_dropout=0.0,
    sequence_output=False,
    seed=None,
):
    """Stack recurrent layers and put a linear ``Dense`` head on top.

    Parameters
    ----------
    input_shape : tuple of int or None
        ``(n_timesteps, n_features)``; ``n_timesteps`` may be ``None`` so that the
        model accepts sequences of any length.
    n_outputs : int
        Size of the linear output layer.
    cell : {"simple", "lstm", "gru"}, default="lstm"
        Recurrent layer type.
    units : tuple of int, default=(32,)
        Units of each recurrent layer, bottom to top.
    dropout : float, default=0.0
        Dropout rate on the inputs of each recurrent layer.
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state (disables the fused cuDNN kernels).
    sequence_output : bool, default=False
        If True, the head is applied at every time step (sequence-to-sequence);
        otherwise only to the last step (sequence-to-vector).
    seed : int or None, default=None
        Seed of the weight initializers and dropout masks.

    Returns
    -------
    model : keras.Model
        Maps ``(batch, n_timesteps, n_features)`` to ``(batch, n_outputs)``, or to
        ``(batch, n_timesteps, n_outputs)`` when ``sequence_output`` is True.
    """
    layer_type = RNN_CELLS[cell]
    inputs = keras.Input(shape=tuple(input_shape))
    hidden = inputs
    for index, n_units in enumerate(units):
        is_last = index == len(units) - 1
        hidden = layer_type(
            n_units,
            return_sequences=sequence_output or not is_last,
            kernel_initializer=glorot(seed, index),
            recurrent_initializer=orthogonal(seed, index),
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=layer_seed(seed, index),
        )(hidden)
    outputs = keras.layers.Dense(
        n_outputs, kernel_initializer=glorot(seed, len(units))
    )(hidden)
    return keras.Model(inputs, outputs, name=f"{cell}_rnn")
