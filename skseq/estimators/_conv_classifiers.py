"""Convolutional sequence classifiers: Conv1D stacks (FCN by default) and WaveNet."""

from ..utils._architecture import (
    CLASSIFIER_POOLINGS,
    CONV_CLASSIFIER_PADDINGS,
    GLOBAL_POOLINGS,
    WAVENET_ARCHITECTURES,
    conv_classifier_widths,
    layer_sizes,
)
from ..utils._validation import (
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_units,
)
from ._classifier_base import BaseKerasClassifier
from ._docstrings import fill_doc

__all__ = ["ConvClassifier", "WaveNetClassifier"]


@fill_doc
class ConvClassifier(BaseKerasClassifier):
    """Conv1D layers, global pooling over time, and a dense softmax head.

    Convolutions detect local patterns (n-grams of tokens with ``vocab_size``)
    wherever they occur, and the global pooling summarises each filter's
    responses. Padding steps are zeroed after every convolution and skipped by
    the pooling and the batch normalisation. %(variable_length)s

    The defaults are the fully convolutional network (FCN) of Wang et al.
    (2017), a strong baseline for time series classification: three
    convolutions of 128, 256 and 128 filters and widths 8, 5 and 3, each with
    batch normalisation and ReLU, then global average pooling
    (``benchmarks/classification.py`` measures it against 1-NN and the
    published FCN). Small training sets need about 200 epochs. The chapter's
    sentiment model is ``ConvClassifier(32, kernel_size=3, batch_norm=False,
    pooling="max", vocab_size=...)``.

    Parameters
    ----------
    filters : int or tuple of int, default=(128, 256, 128)
        Channels of the convolution, or of each stacked convolution.
    kernel_size : "auto", int or tuple of int, default="auto"
        Width of every convolution, or of each one (one per layer of
        ``filters``). ``"auto"``: Wang et al.'s ``(8, 5, 3)`` for three
        convolutions, else 5 for each.
    padding : {"same", "causal"}, default="same"
        Padding of the convolutions (both keep the sequence length).
    activation : str, default="relu"
        Activation of the convolutions and hidden dense layers.
    batch_norm : bool, default=True
        Batch normalisation over the real steps between each convolution and its
        activation.
    pooling : {"max", "average"}, default="average"
        Global pooling over the real time steps.
    dense_units : int or tuple of int or None, default=None
        Sizes of hidden Dense layers before the softmax head; None for none.
    dropout : float, default=0.0
        Dropout rate before each dense layer.
    %(tokens)s
    %(class_weight)s
    %(classifier_training)s

    Attributes
    ----------
    %(classifier_attributes)s

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import ConvClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.integers(0, 50, size=n) for n in rng.integers(5, 20, size=40)]
    >>> y = [int((x == 7).any()) for x in X]
    >>> model = ConvClassifier(8, vocab_size=50, embedding_dim=4, epochs=2,
    ...                        random_state=0).fit(X, y)
    >>> model.predict(X[:4]).shape
    (4,)
    """

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [fast(filters=3, kernel_size=2, dense_units=4), fast(filters=2)]

    def __init__(
        self,
        filters=(128, 256, 128),
        *,
        kernel_size="auto",
        padding="same",
        activation="relu",
        batch_norm=True,
        pooling="average",
        dense_units=None,
        dropout=0.0,
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.padding = padding
        self.activation = activation
        self.batch_norm = batch_norm
        self.pooling = pooling
        self.dense_units = dense_units
        self.dropout = dropout
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

    def _check_architecture(self):
        filters = check_units(self.filters, "filters")
        if isinstance(self.kernel_size, str):
            check_choice(self.kernel_size, "kernel_size", ("auto",))
        else:
            check_units(self.kernel_size, "kernel_size")
        conv_classifier_widths(self.kernel_size, filters)
        check_choice(self.padding, "padding", CONV_CLASSIFIER_PADDINGS)
        check_bool(self.batch_norm, "batch_norm")
        check_choice(self.pooling, "pooling", GLOBAL_POOLINGS)
        if not isinstance(self.activation, str):
            raise TypeError(f"activation must be a str; got {self.activation!r}.")
        if self.dense_units is not None:
            check_units(self.dense_units, "dense_units")
        check_float(self.dropout, "dropout", low=0, high=1, high_inclusive=False)

    def _build_network(self, input_shape, n_classes, seed):
        from ..networks._conv_classifiers import build_conv_classifier

        filters = layer_sizes(self.filters)
        return build_conv_classifier(
            input_shape,
            n_classes,
            filters=filters,
            kernel_size=conv_classifier_widths(self.kernel_size, filters),
            padding=self.padding,
            activation=self.activation,
            batch_norm=self.batch_norm,
            pooling=self.pooling,
            dense_units=layer_sizes(self.dense_units or ()),
            dropout=self.dropout,
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            seed=seed,
        )


@fill_doc
class WaveNetClassifier(BaseKerasClassifier):
    """WaveNet classifier: causal dilated convolutions and a pooled softmax head.

    ``architecture`` is as in :class:`~skseq.WaveNetForecaster` (the chapter's
    simplified network, or the paper's gated residual one). The convolutions are
    causal, so padding after a sequence never reaches its real steps.
    %(variable_length)s

    Parameters
    ----------
    filters : int, default=20
        Channels of each dilated convolution.
    kernel_size : int, default=2
        Width of each dilated convolution.
    dilation_rates : tuple of int, default=(1, 2, 4, 8, 1, 2, 4, 8)
        Dilation of each layer, bottom to top.
    n_blocks : int, default=1
        Times the ``dilation_rates`` stack is repeated.
    architecture : {"simple", "full"}, default="simple"
        The chapter's simplified WaveNet or the paper's full one.
    residual_channels : int or None, default=None
        ``"full"`` only: width of the residual and skip connections.
    skip_channels : int or None, default=None
        ``"full"`` only: channels of the layer on the summed skips.
    batch_norm : bool, default=True
        ``"simple"`` only: batch normalisation (over the real steps) between
        each dilated convolution and its ReLU (ignored by ``"full"``, whose
        residual connections keep the signal). Without it, the eight default
        layers shrink the signal so much that training can stall at the
        chance-level loss (ArrowHead: one class predicted).
    pooling : {"max", "average", "last"}, default="average"
        Global pooling over the real steps, or the output at the last real step
        (which sees only the receptive field before it). The defaults were
        chosen by cross-validation on training data (see the user guide's
        classification benchmark).
    %(tokens)s
    %(class_weight)s
    %(classifier_training)s

    Attributes
    ----------
    %(classifier_attributes)s

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import WaveNetClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 16))
    >>> y = np.where(X[:, -4:].mean(axis=1) > 0, "pos", "neg")
    >>> model = WaveNetClassifier(4, dilation_rates=(1, 2, 4), epochs=2,
    ...                           random_state=0).fit(X, y)
    >>> model.predict(X[:2]).shape
    (2,)
    """

    # Pickled before batch_norm existed: fitted without it.
    _params_before_added = {"batch_norm": False}

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [fast(filters=2, dilation_rates=(1, 2))]

    def __init__(
        self,
        filters=20,
        *,
        kernel_size=2,
        dilation_rates=(1, 2, 4, 8, 1, 2, 4, 8),
        n_blocks=1,
        architecture="simple",
        residual_channels=None,
        skip_channels=None,
        batch_norm=True,
        pooling="average",
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
        self.filters = filters
        self.kernel_size = kernel_size
        self.dilation_rates = dilation_rates
        self.n_blocks = n_blocks
        self.architecture = architecture
        self.residual_channels = residual_channels
        self.skip_channels = skip_channels
        self.batch_norm = batch_norm
        self.pooling = pooling
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

    def _check_architecture(self):
        check_int(self.filters, "filters", min_value=1)
        check_int(self.kernel_size, "kernel_size", min_value=1)
        check_units(self.dilation_rates, "dilation_rates")
        check_int(self.n_blocks, "n_blocks", min_value=1)
        check_choice(self.architecture, "architecture", WAVENET_ARCHITECTURES)
        check_bool(self.batch_norm, "batch_norm")
        check_choice(self.pooling, "pooling", CLASSIFIER_POOLINGS)
        check_int(
            self.residual_channels, "residual_channels", min_value=1, allow_none=True
        )
        check_int(self.skip_channels, "skip_channels", min_value=1, allow_none=True)

    def _build_network(self, input_shape, n_classes, seed):
        from ..networks._conv_classifiers import build_wavenet_classifier

        return build_wavenet_classifier(
            input_shape,
            n_classes,
            filters=self.filters,
            kernel_size=self.kernel_size,
            dilation_rates=layer_sizes(self.dilation_rates),
            n_blocks=self.n_blocks,
            architecture=self.architecture,
            residual_channels=self.residual_channels,
            skip_channels=self.skip_channels,
            batch_norm=self.batch_norm,
            pooling=self.pooling,
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            seed=seed,
        )
