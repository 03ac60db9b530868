"""The residual network classifier (Wang et al. 2017) as an estimator."""

import numbers

from ..utils._architecture import layer_sizes
from ..utils._validation import check_int, check_units
from ._classifier_base import BaseKerasClassifier
from ._docstrings import fill_doc

__all__ = ["ResNetClassifier"]


@fill_doc
class ResNetClassifier(BaseKerasClassifier):
    """Residual convolutional network, global average pooling, softmax head.

    The ResNet of Wang et al. (2017): residual blocks of three convolutions
    (widths 8, 5 and 3), each with batch normalisation and ReLU, whose input is
    added back through a shortcut (a 1x1 convolution and batch normalisation
    when the number of channels changes), then global average pooling over the
    real steps. With :class:`~skseq.ConvClassifier` (an FCN by default) it is
    among the strongest deep baselines for time series classification (Ismail
    Fawaz et al., 2019); ``benchmarks/classification.py`` measures both. Padding
    steps are zeroed after every convolution and skipped by the batch
    normalisation and the pooling. %(variable_length)s

    Parameters
    ----------
    filters : int or tuple of int, default=(64, 128, 128)
        Channels of the residual block, or of each stacked block.
    kernel_size : int or tuple of int, default=(8, 5, 3)
        Width of each convolution of a block (a block has one convolution per
        width), or an int: three convolutions of that width.
    %(tokens)s
    %(class_weight)s
    %(classifier_training)s

    Attributes
    ----------
    %(classifier_attributes)s

    See Also
    --------
    skseq.ConvClassifier : Stacked convolutions without shortcuts (FCN).
    skseq.networks.build_resnet_classifier : The network alone.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq import ResNetClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(20, 16))
    >>> y = np.where(X[:, :8].mean(axis=1) > 0, "up", "down")
    >>> model = ResNetClassifier(filters=(4, 4), kernel_size=3, epochs=2,
    ...                          random_state=0).fit(X, y)
    >>> model.predict_proba(X[:3]).shape
    (3, 2)
    """

    @classmethod
    def _get_test_params(cls):
        """Parameters of small instances for the tests; the first is the fast one."""
        fast = cls._fast_test_params
        return [
            # two blocks (a projection and an identity shortcut) of one
            # convolution each; the second instance has two convolutions
            fast(filters=(3, 3), kernel_size=(3,)),
            fast(filters=2, kernel_size=(3, 2)),
        ]

    def __init__(
        self,
        filters=(64, 128, 128),
        *,
        kernel_size=(8, 5, 3),
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
        check_units(self.filters, "filters")
        self._kernel_widths()

    def _kernel_widths(self):
        """Widths of a block's convolutions: three for an int."""
        if isinstance(self.kernel_size, numbers.Integral):
            return (check_int(self.kernel_size, "kernel_size", min_value=1),) * 3
        return check_units(self.kernel_size, "kernel_size")

    def _build_network(self, input_shape, n_classes, seed):
        from ..networks._resnet import build_resnet_classifier

        return build_resnet_classifier(
            input_shape,
            n_classes,
            filters=layer_sizes(self.filters),
            kernel_size=self._kernel_widths(),
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            seed=seed,
        )
