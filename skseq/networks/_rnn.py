"""Recurrent networks: SimpleRNN, LSTM and GRU stacks, with or without a linear head."""

import keras

from ..utils._architecture import OUTPUT_HEADS, RECURRENT_CELLS, check_output_head
from ..utils._scalars import with_python_scalars
from ._heads import dense_head
from ._layers import LayerNormGRUCell, LayerNormLSTMCell, LayerNormSimpleRNNCell
from ._seeding import glorot, layer_seed, orthogonal

__all__ = ["OUTPUT_HEADS", "RNN_CELLS", "build_rnn", "recurrent_stack"]

# Keras' fused layers by name; the names themselves are RECURRENT_CELLS.
RNN_CELLS = dict(
    zip(
        RECURRENT_CELLS,
        (keras.layers.SimpleRNN, keras.layers.LSTM, keras.layers.GRU),
        strict=True,
    )
)

LAYER_NORM_CELLS = dict(
    zip(
        RECURRENT_CELLS,
        (LayerNormSimpleRNNCell, LayerNormLSTMCell, LayerNormGRUCell),
        strict=True,
    )
)


@with_python_scalars
def build_rnn(
    input_shape,
    n_outputs,
    *,
    cell="lstm",
    units=(32,),
    dropout=0.0,
    recurrent_dropout=0.0,
    layer_norm=False,
    batch_norm=False,
    sequence_output=False,
    output_head="dense",
    seed=None,
):
    """Stack recurrent layers, with a linear ``Dense`` head on top or none.

    Parameters
    ----------
    input_shape : tuple of int or None
        ``(n_timesteps, n_features)``; ``n_timesteps`` may be ``None`` so that the
        model accepts sequences of any length.
    n_outputs : int
        Size of the output: of the linear head, or the units of the last
        recurrent layer when ``output_head`` is None.
    cell : {"simple", "lstm", "gru"}, default="lstm"
        Recurrent layer type.
    units : tuple of int, default=(32,)
        Units of each recurrent layer, bottom to top.
    dropout : float, default=0.0
        Dropout rate on the hidden states: on the inputs of every recurrent layer
        but the first, and on the output of the last one, before the head. The
        raw inputs are never dropped: Keras draws one input mask per sequence, so
        with a single feature it would keep or zero the whole window, and Monte
        Carlo dropout would give only two distinct forecasts.
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state (disables the fused cuDNN kernels).
    layer_norm : bool, default=False
        Use the layer-normalised cells of :mod:`skseq.networks` (normalisation
        over the units at every time step, inside the recurrence) instead of
        Keras' fused layers: steadier training on long sequences, slower steps.
    batch_norm : bool, default=False
        Put a ``BatchNormalization`` layer between stacked recurrent layers (on
        their outputs, over batch and time). No effect with a single layer.
    sequence_output : bool, default=False
        If True, the head is applied at every time step (sequence-to-sequence);
        otherwise only to the last step (sequence-to-vector).
    output_head : {"dense", None}, default="dense"
        ``"dense"`` puts a linear ``Dense(n_outputs)`` on the last recurrent
        layer. None uses that layer's output as the forecast, as the chapter's
        ``SimpleRNN(1)`` does: its units must then equal ``n_outputs``, its
        activation (tanh for the default cells) bounds the output, and
        ``dropout`` is not applied to it.
    seed : int or None, default=None
        Seed of the weight initializers and dropout masks.

    Returns
    -------
    model : keras.Model
        Maps ``(batch, n_timesteps, n_features)`` to ``(batch, n_outputs)``, or to
        ``(batch, n_timesteps, n_outputs)`` when ``sequence_output`` is True.
    """
    _check_output_head(output_head, units, n_outputs)
    inputs = keras.Input(shape=tuple(input_shape))
    hidden = recurrent_stack(
        inputs,
        cell,
        units,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        drop_inputs=False,
        layer_norm=layer_norm,
        batch_norm=batch_norm,
        return_sequences=sequence_output,
        seed=seed,
    )
    if output_head is None:
        return keras.Model(inputs, hidden, name=_network_name(cell, layer_norm))
    outputs = dense_head(
        hidden, n_outputs, index=len(units), seed=seed, dropout=dropout
    )
    return keras.Model(inputs, outputs, name=_network_name(cell, layer_norm))


def _network_name(cell, layer_norm):
    return f"{'layer_norm_' if layer_norm else ''}{cell}_rnn"


def _check_output_head(output_head, units, n_outputs):
    """Without a head the last recurrent layer is the output: sizes must agree."""
    if check_output_head(output_head) is None and units[-1] != n_outputs:
        raise ValueError(
            f"output_head=None uses the last recurrent layer as the output, so it "
            f"needs {n_outputs} unit(s), the size of the output; got "
            f"units[-1]={units[-1]}. Set the last layer's units to {n_outputs} or "
            "use output_head='dense'."
        )


def recurrent_stack(
    hidden,
    cell,
    units,
    *,
    dropout=0.0,
    recurrent_dropout=0.0,
    drop_inputs=True,
    layer_norm=False,
    batch_norm=False,
    return_sequences=False,
    mask=None,
    seed=None,
    start=0,
):
    """Stacked recurrent layers on ``hidden``, bottom to top: every builder's loop.

    Parameters
    ----------
    hidden : KerasTensor of shape (batch, n_timesteps, n_channels)
        Input of the first layer.
    cell : {"simple", "lstm", "gru"}
        Recurrent layer type.
    units : sequence of int
        Units of each layer; empty returns ``hidden`` as it is.
    dropout, recurrent_dropout : float, default=0.0
        Dropout rates on the inputs and on the recurrent state of each layer.
    drop_inputs : bool, default=True
        Whether the first layer drops its inputs too (False for raw series).
    layer_norm : bool, default=False
        Layer-normalised cells in a ``keras.layers.RNN`` instead of Keras' fused
        layers.
    batch_norm : bool, default=False
        ``BatchNormalization`` between stacked layers.
    return_sequences : bool, default=False
        Whether the top layer returns every step (the lower ones always do).
    mask : KerasTensor of shape (batch, n_timesteps) or None, default=None
        Boolean mask of the real steps, passed to every layer.
    seed : int or None, default=None
        Seed of the network; layer ``i`` is seeded with index ``start + i``.
    start : int, default=0
        Seed index of the first layer.

    Returns
    -------
    hidden : KerasTensor
        Output of the top layer.
    """
    make_layer = _layer_norm_layer if layer_norm else _fused_layer
    for offset, n_units in enumerate(units):
        is_last = offset == len(units) - 1
        layer = make_layer(
            cell,
            n_units,
            return_sequences=return_sequences or not is_last,
            dropout=dropout if drop_inputs or offset > 0 else 0.0,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            index=start + offset,
        )
        hidden = layer(hidden) if mask is None else layer(hidden, mask=mask)
        if batch_norm and not is_last:
            hidden = keras.layers.BatchNormalization()(hidden)
    return hidden


def _fused_layer(
    cell, units, *, return_sequences, dropout, recurrent_dropout, seed, index
):
    """One of Keras' own recurrent layers (cuDNN-capable), seeded per layer."""
    return RNN_CELLS[cell](
        units,
        return_sequences=return_sequences,
        kernel_initializer=glorot(seed, index),
        recurrent_initializer=orthogonal(seed, index),
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        seed=layer_seed(seed, index),
    )


def _layer_norm_layer(
    cell, units, *, return_sequences, dropout, recurrent_dropout, seed, index
):
    """A ``keras.layers.RNN`` running one of skseq's layer-normalised cells."""
    return keras.layers.RNN(
        LAYER_NORM_CELLS[cell](
            units,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=layer_seed(seed, index),
        ),
        return_sequences=return_sequences,
    )
