"""scikit-learn's own estimator checks over every skseq estimator and transformer."""

import pytest
from sklearn.base import is_classifier
from sklearn.utils.estimator_checks import (
    estimator_checks_generator,
    parametrize_with_checks,
)

from skseq import (
    LSTMClassifier,
    NextStepClassifier,
    ResNetClassifier,
    RNNClassifier,
    SequenceNormalizer,
    SequenceScaler,
    SimpleRNNForecaster,
    SlidingWindowTransformer,
    WaveNetClassifier,
    WindowedForecaster,
)
from skseq.utils._testing import test_instances

# Classes sklearn's checks do not run on, with the reason. Every other public
# estimator is checked, with the first (fast) dict of its _get_test_params.
NOT_CHECKED = {
    # About 80 s of CPU per classifier: GRUClassifier and ConvClassifier stand for
    # the recurrent and convolutional classifiers, which share their base and
    # differ only in their network (tests/estimators checks the others); their
    # own __init__ gets the parameter checks (test_sklearn_parameter_checks).
    LSTMClassifier: "shares GRUClassifier's base",
    RNNClassifier: "shares GRUClassifier's base",
    WaveNetClassifier: "shares ConvClassifier's base",
    ResNetClassifier: "shares ConvClassifier's base",
    # Likewise for the forecasters: GRUForecaster stands for the fixed-cell
    # recurrent forecasters (the direct strategy), with RNNForecaster
    # (recursive) and LSTMForecaster (seq2seq) for the others.
    SimpleRNNForecaster: "shares GRUForecaster's base",
    # sklearn's checks know neither per-time-step labels nor self-supervised fit.
    NextStepClassifier: "labels each time step",
    # Takes one series, not (X, y) samples (tests/forecasting).
    WindowedForecaster: "fits one series",
}

ESTIMATORS = [
    estimator
    for _, estimator in test_instances(variants=False)
    if type(estimator) not in NOT_CHECKED
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


# sklearn's checks of the constructor and parameters, which fit nothing: they
# run on the classes that share a checked class's base too, as each has its own
# __init__ (the checks that fit would only repeat the base's code paths).
PARAMETER_CHECKS = {
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_estimator_tags_renamed",
    "check_estimators_unfitted",
    "check_get_params_invariance",
    "check_mixin_order",
    "check_no_attributes_set_in_init",
    "check_parameters_default_constructible",
    "check_set_params",
    "check_valid_tag_types",
}
SHARED_BASE = [
    estimator
    for _, estimator in test_instances(variants=False)
    if NOT_CHECKED.get(type(estimator), "").startswith("shares ")
]


def _parameter_checks():
    for estimator in SHARED_BASE:
        for _, check in estimator_checks_generator(estimator):
            name = check.func.__name__
            if name in PARAMETER_CHECKS:
                yield pytest.param(
                    estimator, check, id=f"{type(estimator).__name__}-{name}"
                )


@pytest.mark.parametrize("estimator, check", list(_parameter_checks()))
def test_sklearn_parameter_checks(estimator, check):
    check(estimator)


def test_parameter_checks_cover_every_shared_base_class():
    names = {type(e).__name__ for e in SHARED_BASE}
    assert names == {
        "LSTMClassifier",
        "RNNClassifier",
        "ResNetClassifier",
        "SimpleRNNForecaster",
        "WaveNetClassifier",
    }
    assert len(list(_parameter_checks())) == len(SHARED_BASE) * len(PARAMETER_CHECKS)
