"""Recurrent sequence classifiers: SimpleRNN, LSTM or GRU layers, optionally
after a causal strided convolutional front-end."""

from ..utils._architecture import RECURRENT_CELLS, layer_sizes
from ..utils._validation import check_choice, check_float, check_int, check_units
from ._classifier_base import BaseKerasClassifier
from ._docstrings import fill_doc

__all__ = ["GRUClassifier", "LSTMClassifier", "RNNClassifier"]

# Most steps the recurrent classifiers' layers see with strides="auto". Measured
# on ArrowHead (length 251, GRU(32), 100 epochs): 251 steps 30% test accuracy
# (one class), 63 steps 32%, 32 steps 59%, 16 steps 61%.
_AUTO_RNN_STEPS = 32


class _BaseRNNClassifier(BaseKerasClassifier):
    def _cell(self):
        return self.cell

    def _check_architecture(self):
        check_choice(self._cell(), "cell", RECURRENT_CELLS)
        check_units(self.units)
        check_units(self.conv_filters, "conv_filters", allow_empty=True)
        check_int(self.kernel_size, "kernel_size", min_value=1)
        if self.strides != "auto":
            check_int(self.strides, "strides", min_value=1)
        for name in ("dropout", "recurrent_dropout"):
            check_float(getattr(self, name), name, low=0, high=1, high_inclusive=False)

    def _resolve_strides(self, n_timesteps):
        """``strides``, or with "auto" the smallest stride that leaves the
        recurrent layers at most ``_AUTO_RNN_STEPS`` steps."""
        if self.strides != "auto":
            return int(self.strides)
        n_convs = len(layer_sizes(self.conv_filters))
        strides = 1
        while n_convs and -(-n_timesteps // strides**n_convs) > _AUTO_RNN_STEPS:
            strides += 1
        return strides

    def _new_network(self, data, seed):
        from ..networks._classifiers import build_rnn_classifier

        # Set with the other fitted attributes once training succeeds; a network
        # trained further keeps the strides it was built with.
        data.fitted["strides_"] = self._resolve_strides(data.fitted["n_timesteps_in_"])
        return build_rnn_classifier(
            (None, data.X.shape[2]),
            len(data.fitted["classes_"]),
            cell=self._cell(),
            units=layer_sizes(self.units),
            conv_filters=layer_sizes(self.conv_filters),
            kernel_size=self.kernel_size,
            strides=data.fitted["strides_"],
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            seed=seed,
        )


_RNN_DOC = """%(summary)s

    The chapter's sequence-to-vector model: the recurrent layers read the whole
    sequence and a softmax layer classifies their last output. %%(variable_length)s

    By default two causal strided convolutions first shorten long sequences to
    at most 32 steps: recurrent layers alone forget the start of sequences of
    hundreds of steps, and their gradients fade (``GRUClassifier`` on ArrowHead,
    length 251: test accuracy 0.30 without, 0.61 with). ``conv_filters=()`` gives
    the chapter's plain model.

    Parameters
    ----------
    units : int or tuple of int, default=32
        Units of the recurrent layer, or of each stacked layer bottom to top.%(cell)s
    conv_filters : int or tuple of int, default=(32, 32)
        Channels of each causal ReLU ``Conv1D`` before the recurrent layers;
        ``()`` for none.
    kernel_size : int, default=8
        Width of those convolutions.
    strides : int or "auto", default="auto"
        Stride of each of those convolutions: each divides the number of steps
        by ``strides`` (rounding up). ``"auto"``: the smallest stride that
        leaves at most 32 steps of the longest training sequence (1 for short
        sequences).
    dropout : float, default=0.0
        Dropout rate on the inputs of each recurrent layer.
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state of each layer.
    %%(tokens)s
    %%(class_weight)s
    %%(classifier_training)s

    Attributes
    ----------
    %%(classifier_attributes)s
    strides_ : int
        Stride of the convolutions before the recurrent layers, as fitted.

    See Also
    --------
    skseq.ConvClassifier : 1D convolutions and global max pooling.
    skseq.WaveNetClassifier : Causal dilated convolutions, for long sequences.
    skseq.NextStepClassifier : A class at every step, and generation.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import %(name)s
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.normal(size=(n, 2)) for n in rng.integers(5, 15, size=40)]
    >>> y = ["up" if x[:, 0].sum() > 0 else "down" for x in X]
    >>> model = %(name)s(8, epochs=2, random_state=0).fit(X, y)
    >>> model.classes_.tolist(), model.predict_proba(X[:3]).shape
    (['down', 'up'], (3, 2))
"""


@fill_doc
class RNNClassifier(_BaseRNNClassifier):
    __doc__ = _RNN_DOC % {
        "summary": "Recurrent classifier: stacked SimpleRNN, LSTM or GRU layers.",
        "cell": """
    cell : {"simple", "lstm", "gru"}, default="lstm"
        Recurrent layer: ``SimpleRNN``, ``LSTM`` or ``GRU``.""",
        "name": "RNNClassifier",
    }

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [fast(units=2, cell="simple")]

    def __init__(
        self,
        units=32,
        *,
        cell="lstm",
        conv_filters=(32, 32),
        kernel_size=8,
        strides="auto",
        dropout=0.0,
        recurrent_dropout=0.0,
        vocab_size=None,
        embedding_dim=16,
        class_weight=None,
        epochs=20,
        batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        optimizer_params=None,
        loss="sparse_categorical_crossentropy",
        clipnorm=None,
        clipvalue=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        reduce_lr_patience=10,
        restore_best_weights=True,
        callbacks=None,
        verbose="auto",
        random_state=None,
        warm_start=False,
    ):
        self.units = units
        self.cell = cell
        self.conv_filters = conv_filters
        self.kernel_size = kernel_size
        self.strides = strides
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.class_weight = class_weight
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_params = optimizer_params
        self.loss = loss
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.reduce_lr_patience = reduce_lr_patience
        self.restore_best_weights = restore_best_weights
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start


class _FixedCellRNNClassifier(_BaseRNNClassifier):
    _cell_name = None

    def __init__(
        self,
        units=32,
        *,
        conv_filters=(32, 32),
        kernel_size=8,
        strides="auto",
        dropout=0.0,
        recurrent_dropout=0.0,
        vocab_size=None,
        embedding_dim=16,
        class_weight=None,
        epochs=20,
        batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        optimizer_params=None,
        loss="sparse_categorical_crossentropy",
        clipnorm=None,
        clipvalue=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        reduce_lr_patience=10,
        restore_best_weights=True,
        callbacks=None,
        verbose="auto",
        random_state=None,
        warm_start=False,
    ):
        self.units = units
        self.conv_filters = conv_filters
        self.kernel_size = kernel_size
        self.strides = strides
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.class_weight = class_weight
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_params = optimizer_params
        self.loss = loss
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.reduce_lr_patience = reduce_lr_patience
        self.restore_best_weights = restore_best_weights
        self.callbacks = callbacks
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start

    def _cell(self):
        return self._cell_name


@fill_doc
class LSTMClassifier(_FixedCellRNNClassifier):
    __doc__ = _RNN_DOC % {
        "summary": "Recurrent classifier built of stacked ``LSTM`` layers.",
        "cell": "",
        "name": "LSTMClassifier",
    }
    _cell_name = "lstm"

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [fast(units=2)]


@fill_doc
class GRUClassifier(_FixedCellRNNClassifier):
    __doc__ = _RNN_DOC % {
        "summary": "Recurrent classifier built of stacked ``GRU`` layers.",
        "cell": "",
        "name": "GRUClassifier",
    }
    _cell_name = "gru"

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [fast(units=3, class_weight="balanced"), fast(units=2)]
