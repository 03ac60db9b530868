"""Where the classifiers lived before they were split into modules.

Pickles record a class by module and name, so pickles made then name this
module: it keeps those names importable. New code imports from the modules below.
"""

from ._classifier_base import BaseKerasClassifier
from ._conv_classifiers import ConvClassifier, WaveNetClassifier
from ._next_step import NextStepClassifier
from ._recurrent_classifiers import GRUClassifier, LSTMClassifier, RNNClassifier

__all__ = [
    "BaseKerasClassifier",
    "ConvClassifier",
    "GRUClassifier",
    "LSTMClassifier",
    "NextStepClassifier",
    "RNNClassifier",
    "WaveNetClassifier",
]
