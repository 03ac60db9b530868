"""Scikit-learn estimators backed by Keras networks (Keras loads on first ``fit``)."""

from ..utils._sequences import check_padded_sequences
from ._base import BaseKerasEstimator
from ._classifier_base import BaseKerasClassifier
from ._conv_classifiers import ConvClassifier, WaveNetClassifier
from ._convolutional import ConvRNNForecaster, WaveNetForecaster
from ._forecaster_base import BaseKerasForecaster, BaseSequenceForecaster
from ._forecasters import (
    DenseForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    RNNForecaster,
    SimpleRNNForecaster,
)
from ._next_step import NextStepClassifier
from ._recurrent_classifiers import GRUClassifier, LSTMClassifier, RNNClassifier
from ._resnet import ResNetClassifier

__all__ = [
    "BaseKerasClassifier",
    "BaseKerasEstimator",
    "BaseKerasForecaster",
    "BaseSequenceForecaster",
    "ConvClassifier",
    "ConvRNNForecaster",
    "DenseForecaster",
    "GRUClassifier",
    "GRUForecaster",
    "LSTMClassifier",
    "LSTMForecaster",
    "NaiveForecaster",
    "NextStepClassifier",
    "RNNClassifier",
    "RNNForecaster",
    "ResNetClassifier",
    "SimpleRNNForecaster",
    "WaveNetClassifier",
    "WaveNetForecaster",
    "check_padded_sequences",
]
