"""scikit-learn's own estimator checks over every skseq estimator and transformer."""

from sklearn.base import is_classifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from skseq import (
    ConformalForecaster,
    ConvClassifier,
    ConvRNNForecaster,
    DenseForecaster,
    FlattenSequence,
    GRUClassifier,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    ResNetClassifier,
    RNNForecaster,
    SequenceNormalizer,
    SequenceScaler,
    SimpleRNNForecaster,
    SlidingWindowTransformer,
    WaveNetForecaster,
)

FAST = {"epochs": 2, "batch_size": 16, "random_state": 0}

ESTIMATORS = [
    NaiveForecaster(),
    ConformalForecaster(NaiveForecaster()),
    DenseForecaster(hidden_units=(4,), **FAST),
    RNNForecaster(3, cell="simple", strategy="recursive", **FAST),
    SimpleRNNForecaster(3, **FAST),
    LSTMForecaster(3, strategy="seq2seq", **FAST),
    GRUForecaster((3, 2), **FAST),
    ConvRNNForecaster(3, kernel_size=2, units=2, padding="causal", **FAST),
    WaveNetForecaster(
        3, dilation_rates=(1, 2, 4, 8), architecture="full", strategy="seq2seq", **FAST
    ),
    # Classifiers: one recurrent and two convolutional (about 80 s of CPU each).
    # WaveNetClassifier shares their base and is left to tests/estimators, as is
    # NextStepClassifier, whose per-time-step labels sklearn's checks do not know.
    GRUClassifier(3, class_weight="balanced", **FAST),
    ConvClassifier(3, kernel_size=2, dense_units=4, **FAST),
    ResNetClassifier(2, kernel_size=2, **FAST),
    FlattenSequence(),
    SequenceScaler(),
    SequenceNormalizer(),
    SlidingWindowTransformer(window=2),
]

# skseq reads a 2D X as (n_samples, n_timesteps): univariate sequences. Its
# n_features_in_ is the number of features per time step (1 for 2D X), and models
# that are not tied to one length accept other sequence lengths; sklearn's checks
# take X.shape[1] for the feature count.
N_FEATURES = "n_features_in_ counts features per time step; 2D X is univariate"
SEQUENCE_FAILURES = {
    "check_n_features_in": N_FEATURES,
    "check_n_features_in_after_fitting": N_FEATURES,
}
# Float32 kernels (oneDNN's recurrent ones on TensorFlow, XLA's dense ones on JAX)
# round differently with the batch's size and order: predicting a subset or a
# reordered batch moves predictions by 1e-8 to 2e-7, around these checks'
# rtol=1e-7. Not strict: most runs pass.
BATCH_ROUNDING = "float32 kernels round by batch composition (1e-8 to 2e-7)"
BATCH_FAILURES = {
    "check_methods_sample_order_invariance": BATCH_ROUNDING,
    "check_methods_subset_invariance": BATCH_ROUNDING,
    # Weights are relative (mean 1), so a weight of 2 counts like a repeated
    # sample in the loss of a batch holding both; but repeating samples changes
    # the mini-batches and the number of steps (tests/estimators/
    # test_sample_weight.py checks zero weights = removal on one batch).
    "check_sample_weight_equivalence_on_dense_data": (
        "repeated samples change the mini-batches"
    ),
}
# For networks that take any sequence length, a 2D X with a column fewer holds
# univariate sequences one step shorter: valid input to partial_fit.
ANY_LENGTH_FAILURES = {"check_estimators_partial_fit_n_features": N_FEATURES}
# A series of n_steps rows becomes n_steps - window + 1 windows, so the number of
# samples changes by design (see its docstring).
SAMPLES_CHANGE = "turns a series of n rows into n - window + 1 windows"
WINDOW_FAILURES = {
    check: SAMPLES_CHANGE
    for check in (
        "check_transformer_data_not_an_array",
        "check_transformer_general",
        "check_transformer_general(readonly_memmap=True)",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_n_features_in_after_fitting",
    )
}
SERIES_1D = "a 1D X is a univariate series, which it accepts"
WINDOW_FAILURES["check_fit1d"] = SERIES_1D
WINDOW_FAILURES["check_fit2d_predict1d"] = SERIES_1D
# Per-feature scaling accepts univariate sequences of any length, so 2D X with one
# column fewer is valid input.
SCALER_FAILURES = {
    **SEQUENCE_FAILURES,
    "check_transformer_general": N_FEATURES,
    "check_transformer_general(readonly_memmap=True)": N_FEATURES,
}

# check_classifiers_train expects predict(X.T) to fail for a wrong feature count;
# for skseq, X.T is n_features univariate sequences of n_samples steps: valid input.
# (tests/estimators/test_classifiers.py checks predict_proba's rows and argmax.)
TRANSPOSED = "X.T holds valid univariate sequences of another length"
CLASSIFIER_FAILURES = {
    **SEQUENCE_FAILURES,
    **{
        f"check_classifiers_train{variant}": TRANSPOSED
        for variant in (
            "",
            "(readonly_memmap=True)",
            "(readonly_memmap=True,X_dtype=float32)",
        )
    },
}


BALANCED = "class_weight='balanced' is refused by partial_fit (one chunk's counts)"


def expected_failures(estimator):
    """sklearn checks that a skseq estimator fails on purpose, with the reason."""
    if isinstance(estimator, SlidingWindowTransformer):
        return WINDOW_FAILURES
    if isinstance(estimator, SequenceNormalizer):
        return SEQUENCE_FAILURES
    if isinstance(estimator, SequenceScaler):
        return SCALER_FAILURES
    keras_backed = BATCH_FAILURES if hasattr(estimator, "epochs") else {}
    if getattr(estimator, "_variable_length", True) and keras_backed:
        keras_backed = {**keras_backed, **ANY_LENGTH_FAILURES}
    if is_classifier(estimator):
        failures = {**CLASSIFIER_FAILURES, **keras_backed}
        if estimator.get_params().get("class_weight") == "balanced":
            failures["check_estimators_partial_fit_n_features"] = BALANCED
            failures["check_fit_score_takes_y"] = BALANCED  # it calls partial_fit too
        return failures
    return {**SEQUENCE_FAILURES, **keras_backed}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)
