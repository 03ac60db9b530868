"""Output heads: the last layers of every builder, written once.

A builder reads front -> backbone -> head: the front shapes the input (a cropping
and a strided convolution, an embedding, a padding mask), the backbone is the stack
of its architecture (:func:`~skseq.networks._rnn.recurrent_stack`,
:func:`~skseq.networks._conv.wavenet_stack`, ...), and the head maps its features
to the outputs. Forecasters end in a linear ``Dense(n_outputs)``: ``n_outputs =
horizon * n_targets`` for the ``"direct"`` strategy, one step's targets for
``"recursive"``, every step's (``sequence_output=True``) for ``"seq2seq"``; the
estimator reshapes the flat outputs. Classifiers end in the same layer with a
softmax. ``Dense`` acts on the last axis, so one head serves the last step and
every step alike.

Each layer's weights are seeded by its index among the layers of the builder
(``index``), so a head draws the weights it drew when written inline.
"""

import keras

from ._seeding import glorot, layer_seed

__all__ = ["dense_head", "softmax_head", "wavenet_head"]


def dense_head(
    hidden, n_outputs, *, index, seed=None, dropout=0.0, activation=None, name=None
):
    """A ``Dense(n_outputs)`` (linear unless ``activation``), after a ``Dropout``
    when ``dropout > 0``.

    ``index`` is the head's layer index for seeding (the dropout draws with the
    same index). ``name`` names the ``Dense`` layer (Keras' default when None).
    """
    if dropout:
        hidden = keras.layers.Dropout(dropout, seed=layer_seed(seed, index))(hidden)
    return keras.layers.Dense(
        n_outputs,
        activation=activation,
        kernel_initializer=glorot(seed, index),
        name=name,
    )(hidden)


def softmax_head(hidden, n_outputs, *, index, seed=None):
    """Class probabilities: a softmax ``Dense(n_outputs)`` named ``"output"``."""
    return dense_head(
        hidden, n_outputs, index=index, seed=seed, activation="softmax", name="output"
    )


def wavenet_head(
    hidden,
    n_outputs,
    *,
    architecture,
    filters,
    residual_channels,
    skip_channels,
    n_layers,
    activation=None,
    seed=None,
):
    """The pointwise WaveNet head, shared by the forecaster and classifier builders.

    Applied to ``wavenet_stack``'s output (every step, the last one, or a
    pooling of them). ``"simple"``: a ``Dense(n_outputs)`` (seed index
    ``n_layers``). ``"full"``: a ReLU ``Dense`` to ``skip_channels`` (default
    ``residual_channels``, then ``filters``; index ``n_layers + 1``), then the
    ``Dense(n_outputs)`` (index ``n_layers + 2``). ``activation`` is the output
    layer's: None for forecasts, ``"softmax"`` for class probabilities.
    """
    index = n_layers
    if architecture == "full":
        hidden = keras.layers.Dense(
            skip_channels or residual_channels or filters,
            activation="relu",
            kernel_initializer=glorot(seed, n_layers + 1),
            name="skip_conv",
        )(hidden)
        index = n_layers + 2
    return dense_head(
        hidden, n_outputs, index=index, seed=seed, activation=activation, name="output"
    )
