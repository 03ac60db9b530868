"""Sequence classifiers and the next-step classifier: labels, masking, errors."""

import pickle

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skseq import (
    ConvClassifier,
    GRUClassifier,
    LSTMClassifier,
    NextStepClassifier,
    ResNetClassifier,
    RNNClassifier,
    WaveNetClassifier,
)
from skseq.estimators import check_padded_sequences

FAST = {"epochs": 2, "batch_size": 16, "random_state": 0}


@pytest.fixture(scope="module")
def ragged():
    """60 bivariate sequences of 4 to 15 steps; the label is the sign of the
    first feature's mean, as strings."""
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) for n in rng.integers(4, 16, size=60)]
    y = np.array(["up" if x[:, 0].mean() > 0 else "down" for x in X])
    return X, y


@pytest.fixture(scope="module")
def fitted_rnn(ragged):
    return LSTMClassifier(4, **FAST).fit(*ragged)


# -- validation of sequences --------------------------------------------------------
def test_lists_and_nan_padded_arrays_give_the_same_sequences():
    X, lengths = check_padded_sequences([[1, 2, 3], np.array([4.0])])
    assert X.shape == (2, 3, 1) and X.dtype == np.float32
    assert lengths.tolist() == [3, 1] and np.isnan(X[1, 1:]).all()
    same, same_lengths = check_padded_sequences(X)
    np.testing.assert_array_equal(same, X)
    np.testing.assert_array_equal(same_lengths, lengths)
    # A DataFrame column of arrays (a Series, or its object array) is a list of
    # sequences; it was refused with a hint to reshape it into one sequence.
    for column in (pd.Series([[1, 2, 3], np.array([4.0])]), _object_column()):
        np.testing.assert_array_equal(check_padded_sequences(column)[0], X)


def _object_column():
    column = np.empty(2, dtype=object)
    column[:] = [np.array([1, 2, 3]), np.array([4.0])]
    return column


@pytest.mark.parametrize(
    "X, match",
    [
        ([[1.0, np.nan, 2.0]], "NaN inside a sequence"),
        (np.array([[[1.0, np.nan], [1.0, 2.0]]]), "only some features are NaN"),
        ([np.ones((3, 2)), np.ones((4, 3))], "different numbers of features"),
        ([[np.nan, np.nan]], "empty sequences"),
        (np.ones((2, 3, 1, 1)), "must be 2D"),
        ([[1.0, np.inf]], "infinity"),
        ([[1.0, 2.0], None], r"X\[1\] is None, not a sequence"),
        ([], "X is empty: it holds no sequence"),
    ],
)
def test_bad_sequences_are_refused_clearly(X, match):
    with pytest.raises(ValueError, match=match):
        check_padded_sequences(X)


# -- labels ---------------------------------------------------------------------------
def test_string_labels_round_trip(fitted_rnn, ragged):
    X, y = ragged
    assert fitted_rnn.classes_.tolist() == ["down", "up"]
    proba = fitted_rnn.predict_proba(X)
    assert proba.shape == (len(X), 2) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    predicted = fitted_rnn.predict(X)
    np.testing.assert_array_equal(predicted, fitted_rnn.classes_[proba.argmax(axis=1)])
    assert set(predicted) <= {"down", "up"}
    assert fitted_rnn.n_features_in_ == 2 and fitted_rnn.n_timesteps_in_ == 15


def test_labels_never_seen_in_fit_score_as_errors(fitted_rnn, ragged):
    X, y = ragged
    renamed = np.where(y == "up", "rising", y)  # one class renamed
    right = fitted_rnn.predict(X) == renamed
    assert fitted_rnn.score(X, renamed) == pytest.approx(right.mean())
    assert not right[renamed == "rising"].any()
    # No label known: a mix-up of label sets, said aloud.
    with pytest.warns(UserWarning, match=r"no label seen in fit: \['l', 'r'\]"):
        assert fitted_rnn.score(X[:4], ["l", "r", "r", "l"]) == 0


@pytest.mark.parametrize(
    "make_y",
    [
        lambda y: np.array([1, *y[1:]], dtype=object),  # sklearn's sort failed
        lambda y: [1, *y[1:]],  # NumPy made 1 the string "1", scored as an error
        lambda y: pd.Series([1, *y[1:]]),
    ],
)
def test_score_refuses_labels_mixing_strings_and_numbers(fitted_rnn, ragged, make_y):
    # As fit does, with the same message (not a TypeError from NumPy's sort).
    X, y = ragged
    with pytest.raises(TypeError, match="y mixes strings and numbers"):
        fitted_rnn.score(X, make_y(y))


def test_default_scoring_cv_with_a_class_missing_from_a_training_fold(ragged):
    # KFold on ordered labels: the last test fold holds the class "c" that its
    # training part lacks. The default scoring must give the accuracy, as
    # scoring="accuracy" does, not NaN and a "Scoring failed" warning.
    X, _ = ragged
    y = np.array(["a", "b"] * 22 + ["c"] * (len(X) - 44))
    model = ConvClassifier(2, **FAST)
    default = cross_val_score(model, X, y, cv=KFold(3))
    accuracy = cross_val_score(model, X, y, cv=KFold(3), scoring="accuracy")
    np.testing.assert_allclose(default, accuracy)
    assert np.isfinite(default).all()


def test_integer_multiclass_labels_keep_their_values():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(45, 6))
    y = np.repeat([3, 7, 42], 15)
    model = ConvClassifier(4, kernel_size=2, **FAST).fit(X, y)
    np.testing.assert_array_equal(model.classes_, [3, 7, 42])
    assert model.predict_proba(X).shape == (45, 3)
    assert set(model.predict(X)) <= {3, 7, 42}


def test_a_single_class_is_refused(ragged):
    X, _ = ragged
    with pytest.raises(ValueError, match="1 class.*at least two classes"):
        GRUClassifier(2, **FAST).fit(X, ["a"] * len(X))


def test_y_is_checked(ragged):
    X, y = ragged
    with pytest.raises(ValueError, match="requires y"):
        GRUClassifier(2, **FAST).fit(X, None)
    with pytest.raises(ValueError, match="Unknown label type"):
        GRUClassifier(2, **FAST).fit(X, np.linspace(0, 1, len(X)))
    with pytest.raises(ValueError, match="different numbers of samples"):
        GRUClassifier(2, **FAST).fit(X, y[:-1])


def test_predict_checks_the_number_of_features(fitted_rnn):
    with pytest.raises(ValueError, match="3 features per time step.*fitted with 2"):
        fitted_rnn.predict(np.ones((2, 5, 3)))


# -- variable length ------------------------------------------------------------------
def test_padding_never_changes_a_prediction(fitted_rnn, ragged):
    X, _ = ragged
    alone = fitted_rnn.predict_proba([X[0]])[0]
    in_batch = fitted_rnn.predict_proba(X)[0]
    np.testing.assert_allclose(in_batch, alone, rtol=1e-5)
    # The same batch as a NaN-padded 3D array.
    padded, _ = check_padded_sequences(X)
    np.testing.assert_allclose(
        fitted_rnn.predict_proba(padded), fitted_rnn.predict_proba(X), rtol=1e-5
    )
    # Padding longer than any training sequence changes nothing either.
    longer = np.concatenate([X[0], np.full((30, 2), np.nan)])
    np.testing.assert_allclose(fitted_rnn.predict_proba([longer])[0], alone, rtol=1e-5)


@pytest.mark.parametrize(
    "estimator",
    [
        ConvClassifier(3, kernel_size=3, **FAST),
        WaveNetClassifier(3, dilation_rates=(1, 2), pooling="last", **FAST),
    ],
    ids=["conv", "wavenet-last"],
)
def test_convolutional_classifiers_ignore_padding(estimator, ragged):
    X, y = ragged
    model = estimator.fit(X, y)
    np.testing.assert_allclose(
        model.predict_proba(X)[:3],
        np.concatenate([model.predict_proba([x]) for x in X[:3]]),
        rtol=1e-5,
        atol=1e-7,
    )


TOKENS = {"vocab_size": 20, "embedding_dim": 3, "learning_rate": 0.05, **FAST}


@pytest.mark.parametrize(
    "estimator",
    [
        # 10 epochs: after 2, this tiny network's output ignores the last steps.
        ConvClassifier(3, kernel_size=5, **{**TOKENS, "epochs": 10}),
        WaveNetClassifier(3, dilation_rates=(1, 2), **TOKENS),
        ResNetClassifier(3, kernel_size=5, **TOKENS),
        GRUClassifier(3, conv_filters=(3,), strides=2, **TOKENS),
        LSTMClassifier(3, conv_filters=(), **TOKENS),
        NextStepClassifier(3, conv_filters=(3,), batch_norm=True, **TOKENS),
    ],
    ids=["conv", "wavenet", "resnet", "gru-strided", "lstm", "next-step"],
)
def test_token_predictions_do_not_depend_on_the_other_sequences(estimator):
    """Padding steps of token input were embedded as token 0, which a "same"
    convolution read into the last real steps: a short sequence's probabilities
    moved with a longer one in the same call (ConvClassifier: by up to 0.17)."""
    rng = np.random.default_rng(0)
    X = [rng.integers(0, 20, size=n) for n in rng.integers(3, 12, size=32)]
    y = [int((x == 7).any()) for x in X]
    model = (
        estimator.fit(X)
        if isinstance(estimator, NextStepClassifier)
        else (estimator.fit(X, y))
    )
    short, long = rng.integers(1, 20, size=4), rng.integers(1, 20, size=15)
    alone = model.predict_proba([short])[0]
    in_batch = model.predict_proba([short, long])[0]
    np.testing.assert_allclose(in_batch, alone, rtol=1e-5, atol=1e-6)


def test_ragged_sequences_in_pipeline_grid_search_and_cross_validation(ragged):
    X, y = ragged
    scale = FunctionTransformer(lambda seqs: [s / 2.0 for s in seqs])
    pipeline = make_pipeline(scale, RNNClassifier(2, cell="gru", **FAST))
    scores = cross_val_score(pipeline, X, y, cv=2)
    assert scores.shape == (2,) and np.isfinite(scores).all()
    search = GridSearchCV(
        RNNClassifier(2, cell="simple", epochs=1, random_state=0),
        {"units": [2, 3]},
        cv=2,
    ).fit(X, y)
    assert search.best_params_["units"] in (2, 3)
    assert search.predict(X[:5]).shape == (5,)


# -- tokens, class weights, learning ---------------------------------------------
def test_token_classifier_learns_which_sequences_hold_a_token():
    rng = np.random.default_rng(0)
    X = [rng.integers(0, 20, size=n) for n in rng.integers(6, 20, size=200)]
    y = np.array([int((x == 7).any()) for x in X])
    model = ConvClassifier(
        16,
        kernel_size=1,
        vocab_size=20,
        embedding_dim=8,
        epochs=25,
        learning_rate=0.02,
        random_state=0,
    ).fit(X, y)
    assert model.score(X, y) > 0.9


def test_tokens_are_checked():
    model = ConvClassifier(2, vocab_size=5, **FAST)
    with pytest.raises(ValueError, match="not token ids"):
        model.fit([[0, 1, 5], [1, 2]], [0, 1])
    with pytest.raises(ValueError, match="not token ids"):
        model.fit([[0, 1.5], [1, 2]], [0, 1])
    with pytest.raises(ValueError, match="one token id per time step"):
        model.fit(np.zeros((2, 3, 2)), [0, 1])


def test_class_weight_shifts_predictions(ragged):
    X, y = ragged
    params = {"epochs": 5, "learning_rate": 0.02, "random_state": 0}
    heavy = GRUClassifier(4, class_weight={"up": 100.0, "down": 0.01}, **params)
    assert (heavy.fit(X, y).predict(X) == "up").all()
    balanced = GRUClassifier(4, class_weight="balanced", **params).fit(X, y)
    assert balanced.predict(X).shape == (len(X),)
    with pytest.raises(TypeError, match="class_weight"):
        GRUClassifier(4, class_weight=[1, 2], **FAST).fit(X, y)


def test_classifiers_pickle_with_their_networks(fitted_rnn, ragged):
    X, _ = ragged
    restored = pickle.loads(pickle.dumps(fitted_rnn))
    np.testing.assert_allclose(restored.predict_proba(X), fitted_rnn.predict_proba(X))


def test_bad_hyperparameters_raise_before_training(ragged):
    X, y = ragged
    with pytest.raises(ValueError, match="padding"):
        ConvClassifier(padding="valid", **FAST).fit(X, y)
    with pytest.raises(ValueError, match="pooling"):
        WaveNetClassifier(pooling="min", **FAST).fit(X, y)
    with pytest.raises(ValueError, match="cell"):
        RNNClassifier(cell="rnn", **FAST).fit(X, y)
    with pytest.raises(TypeError, match="vocab_size"):
        RNNClassifier(vocab_size=2.5, **FAST).fit(X, y)
    # float32 inputs read token 2**24 + 1 as 2**24: a silently wrong embedding
    with pytest.raises(ValueError, match=r"vocab_size must be <= 2\*\*24"):
        ConvClassifier(2, vocab_size=2**24 + 2, embedding_dim=1, **FAST).fit(
            np.full((4, 3), 2**24 + 1), [0, 1, 0, 1]
        )


@pytest.mark.parametrize(
    ("loss", "match"),
    [
        ("binary_crossentropy", "cannot train ConvClassifier"),
        ("categorical_crossentropy", "integer class indices"),
        ("mse", "integer class indices"),
        (keras.losses.SparseCategoricalCrossentropy(from_logits=True), "from_logits"),
        (lambda y_true, y_pred: keras.ops.mean(y_pred), "peaked on the true class"),
        # Blind to the labels but for a hair: a preference of float32 rounding's
        # size passed the check (the mean above did, by rounding, on PyTorch).
        (
            lambda y_true, y_pred: keras.ops.mean(y_pred) - 1e-6 * y_pred[0, 0],
            "peaked on the true class",
        ),
    ],
)
def test_losses_that_cannot_train_on_class_indices_are_refused(ragged, loss, match):
    # Keras failed deep in training on the first two, or, with from_logits=True
    # on the softmax output, trained a network that was silently off.
    with pytest.raises(ValueError, match=match):
        ConvClassifier(2, **FAST, loss=loss).fit(*ragged)


def test_per_step_classifier_checks_its_loss_on_per_step_labels():
    X = np.random.default_rng(0).integers(0, 4, size=(12, 6))
    loss = keras.losses.SparseCategoricalCrossentropy()
    model = NextStepClassifier(2, **FAST, loss=loss).fit(X)
    assert model.classes_.tolist() == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="integer class indices"):
        NextStepClassifier(2, **FAST, loss="mse").fit(X)


# -- next-step classification and generation ----------------------------------------
@pytest.fixture(scope="module")
def cycle_model():
    """Learns the cycle 0 1 2 3 0 1 ... from token sequences of different lengths."""
    X = [np.arange(n) % 4 for n in range(6, 18)] * 3
    return NextStepClassifier(
        16, vocab_size=6, epochs=40, learning_rate=0.02, random_state=0
    ).fit(X)


def test_next_step_model_learns_and_generates_the_cycle(cycle_model):
    assert cycle_model.classes_.tolist() == list(range(6))
    assert cycle_model.score([np.arange(12) % 4]) == 1.0
    sequence = cycle_model.generate([1, 2], n_steps=6, temperature=0.1, random_state=0)
    assert sequence.tolist() == [1, 2, 3, 0, 1, 2, 3, 0]
    hot = [
        cycle_model.generate([0], 10, temperature=50.0, random_state=seed).tolist()
        for seed in range(2)
    ]
    assert hot[0] != hot[1]
    again = cycle_model.generate([0], 10, temperature=50.0, random_state=0).tolist()
    assert again == hot[0]


def test_next_step_predictions_follow_the_input_shapes(cycle_model):
    X = np.tile(np.arange(8) % 4, (3, 1))
    assert cycle_model.predict(X).shape == (3, 8)
    assert cycle_model.predict_proba(X).shape == (3, 8, 6)
    ragged = cycle_model.predict([np.arange(5) % 4, np.arange(9) % 4])
    assert [len(row) for row in ragged] == [5, 9]
    np.testing.assert_array_equal(ragged[0], cycle_model.predict([np.arange(5) % 4])[0])


def test_next_step_inputs_and_seeds_are_checked(cycle_model):
    with pytest.raises(ValueError, match="not token ids"):
        cycle_model.predict([[0, 1, 9]])
    with pytest.raises(ValueError, match="temperature must be > 0"):
        cycle_model.generate([0, 1], 3, temperature=0)
    with pytest.raises(ValueError, match="seed_sequence must be 1D"):
        cycle_model.generate(np.zeros((3, 2)), 3)
    with pytest.raises(ValueError, match="at least two steps"):
        NextStepClassifier(2, **FAST).fit([[0, 1], [2]])


def test_next_step_temperature_is_checked_and_tiny_ones_are_greedy(cycle_model):
    """temperature=-1 said "must lie in [0, None]" (0 included); 5e-324 passed
    the check and overflowed to NaN probabilities in NumPy."""
    for bad in (-1.0, 0, -np.inf):
        with pytest.raises(ValueError, match=rf"temperature must be > 0, got {bad}"):
            cycle_model.generate([0, 1], 3, temperature=bad)
    with pytest.raises(ValueError, match="temperature must be finite, got inf"):
        cycle_model.generate([0, 1], 3, temperature=np.inf)
    with pytest.raises(TypeError, match="temperature must be a number"):
        cycle_model.generate([0, 1], 3, temperature="hot")
    seed = [1, 2, 3, 3, 0]  # the next step is not obvious: ties are unlikely
    greedy = list(seed)
    for _ in range(4):
        proba = cycle_model.predict_proba([greedy])[0][-1]
        greedy.append(int(cycle_model.classes_[np.argmax(proba)]))
    for temperature in (5e-324, 1e-300, 1e-8):
        for random_state in range(3):
            sequence = cycle_model.generate(
                seed, 4, temperature=temperature, random_state=random_state
            )
            assert sequence.tolist() == greedy


def test_next_step_labels_per_step_and_unseen_labels():
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 2)) for n in (5, 8, 6, 7) * 5]
    y = [np.where(x[:, 0] > 0, "pos", "neg") for x in X]
    model = NextStepClassifier(4, cell="gru", **FAST).fit(X, y)
    assert model.classes_.tolist() == ["neg", "pos"]
    assert 0 <= model.score(X, y) <= 1
    # An unseen label counts as an error, as in sklearn; none seen is said aloud.
    steps = np.array(["neg", "zero", "pos", "pos", "neg"])
    right = model.predict(X[:1])[0] == steps
    assert model.score(X[:1], [steps]) == pytest.approx(right.mean())
    with pytest.warns(UserWarning, match=r"no label seen in fit: \['zero'\]"):
        assert model.score(X[:1], [np.full(5, "zero")]) == 0
    with pytest.raises(TypeError, match="y mixes strings and numbers"):
        model.score(X[:1], [np.array(["neg", 1, "pos", "pos", "neg"], dtype=object)])
    with pytest.raises(ValueError, match="5 time steps but 4 labels"):
        model.fit(X[:1] * 2, [y[0][:4], y[0][:4]])
    with pytest.raises(ValueError, match="numeric classes"):
        model.generate([0.0], 2)


def test_next_step_refuses_labels_of_another_shape_than_x():
    """A 2D y of shape (9, 8) for X of shape (6, 5) was cut to X's shape: its
    extra rows and steps were dropped without a word (fit, and score 0.30)."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 5)), rng.integers(0, 3, size=(6, 5))
    model = NextStepClassifier(2, **FAST).fit(X, y)
    for y_shape in [(9, 8), (6, 8), (9, 5), (6, 4)]:
        bad = rng.integers(0, 3, size=y_shape)
        match = rf"y has shape \({y_shape[0]}, {y_shape[1]}\) but X has shape \(6, 5\)"
        with pytest.raises(ValueError, match=match):
            NextStepClassifier(2, **FAST).fit(X, bad)
        with pytest.raises(ValueError, match=match):
            model.score(X, bad)


def test_next_step_without_vocabulary_refuses_unseen_inputs():
    X = [[1.0, 5.0, 1.0, 5.0], [5.0, 1.0, 5.0]] * 4
    model = NextStepClassifier(3, **FAST).fit(X)
    assert model.classes_.tolist() == [1.0, 5.0]
    with pytest.raises(ValueError, match="never seen in fit"):
        model.predict([[1.0, 2.0]])
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(
        restored.predict_proba(X[:1]), model.predict_proba(X[:1])
    )


def test_next_step_reads_every_value_of_its_training_sequences():
    """classes_ are the values of X[:, 1:]; a start token found only at the first
    step made predict, score and generate refuse the training data itself."""
    rng = np.random.default_rng(0)
    X = np.column_stack([np.full(8, 5.0), rng.integers(0, 3, size=(8, 5))])
    model = NextStepClassifier(2, **FAST).fit(X)
    assert model.classes_.tolist() == [0.0, 1.0, 2.0]
    assert model.predict(X).shape == (8, 6)
    assert 0 <= model.score(X) <= 1
    assert model.generate([5.0, 1.0], 2, random_state=0)[:2].tolist() == [5.0, 1.0]
    assert model.input_values_.tolist() == [0.0, 1.0, 2.0, 5.0]
    with pytest.raises(ValueError, match=r"never seen in fit: \[4.0\]"):
        model.predict([[5.0, 4.0]])


# -- strong defaults: FCN ConvClassifier, learning-rate schedule, best weights ------
def test_conv_classifier_defaults_are_the_fcn(ragged):
    model = ConvClassifier(epochs=1, random_state=0).fit(*ragged)
    convs = [la for la in model.model_.layers if type(la).__name__ == "Conv1D"]
    assert [conv.filters for conv in convs] == [128, 256, 128]
    kinds = [type(la).__name__ for la in model.model_.layers]
    assert kinds.count("BatchNormalization") == 3
    assert model.model_.get_layer("pooling").mode == "average"
    # padding never changes a prediction, batch normalisation included
    X, _ = ragged
    alone = model.predict_proba(X[:1])
    np.testing.assert_allclose(model.predict_proba(X[:6])[:1], alone, atol=1e-6)


def test_wavenet_classifier_defaults_normalise_and_average(ragged):
    """The defaults are the ones documented: batch normalisation after each of
    the eight dilated convolutions, and average pooling (eight plain ReLU layers
    leave a nearly constant output that never learns on ArrowHead)."""
    model = WaveNetClassifier(4, **FAST).fit(*ragged)
    kinds = [type(la).__name__ for la in model.model_.layers]
    assert kinds.count("Conv1D") == kinds.count("BatchNormalization") == 8
    assert model.model_.get_layer("pooling").mode == "average"
    X, _ = ragged
    alone = model.predict_proba(X[:1])
    np.testing.assert_allclose(model.predict_proba(X[:6])[:1], alone, atol=1e-6)
    plain = WaveNetClassifier(4, batch_norm=False, **FAST).fit(*ragged)
    assert "BatchNormalization" not in [type(la).__name__ for la in plain.model_.layers]
    with pytest.raises(TypeError, match="batch_norm must be True or False"):
        WaveNetClassifier(3, batch_norm="yes", **FAST).fit(*ragged)


def test_conv_classifier_kernel_size_per_layer_and_errors(ragged):
    model = ConvClassifier((3, 2), kernel_size=(4, 2), **FAST).fit(*ragged)
    convs = [la for la in model.model_.layers if type(la).__name__ == "Conv1D"]
    assert [conv.kernel_size for conv in convs] == [(4,), (2,)]
    with pytest.raises(ValueError, match=r"kernel_size needs one width.*an int"):
        ConvClassifier((3, 2), kernel_size=(4,), **FAST).fit(*ragged)
    with pytest.raises(ValueError, match=r"kernel_size must be one of \['auto'\]"):
        ConvClassifier(3, kernel_size="wide", **FAST).fit(*ragged)


@pytest.mark.parametrize(
    "filters, widths", [((3, 2, 2), [8, 5, 3]), (3, [5]), ((3, 2), [5, 5])]
)
def test_conv_classifier_auto_kernel_size_is_the_fcn_widths(ragged, filters, widths):
    model = ConvClassifier(filters, **FAST).fit(*ragged)
    assert model.kernel_size == "auto"
    convs = [la for la in model.model_.layers if type(la).__name__ == "Conv1D"]
    assert [conv.kernel_size[0] for conv in convs] == widths


def test_classifier_training_parameter_errors(ragged):
    with pytest.raises(TypeError, match="batch_norm must be True or False"):
        ConvClassifier(3, batch_norm="yes", **FAST).fit(*ragged)
    with pytest.raises(ValueError, match="reduce_lr_patience must be >= 1"):
        ConvClassifier(3, reduce_lr_patience=0, **FAST).fit(*ragged)
    with pytest.raises(TypeError, match="restore_best_weights must be True or"):
        LSTMClassifier(3, restore_best_weights=1, **FAST).fit(*ragged)


def test_learning_rate_schedule_halves_on_plateau_and_restarts_on_refit(ragged):
    # A learning rate too small to move the loss by ReduceLROnPlateau's min_delta:
    # every epoch after the first is a plateau.
    model = GRUClassifier(
        3, epochs=4, learning_rate=1e-9, reduce_lr_patience=1, random_state=0
    )
    first = model.fit(*ragged).history_["learning_rate"]
    np.testing.assert_allclose(first, [1e-9, 1e-9, 5e-10, 2.5e-10], rtol=1e-5)
    second = model.fit(*ragged).history_["learning_rate"]
    np.testing.assert_allclose(second, first, rtol=1e-6)  # not 1.25e-10 onwards
    constant = model.set_params(reduce_lr_patience=None).fit(*ragged)
    assert "learning_rate" not in constant.history_


class _RecordWeights(keras.callbacks.Callback):
    """Keeps each epoch's loss and weights in a list shared by its copies."""

    def __init__(self, record):
        super().__init__()
        self.record = record

    def __deepcopy__(self, memo):
        return _RecordWeights(self.record)

    def on_epoch_end(self, epoch, logs=None):
        self.record.append((logs["loss"], self.model.get_weights()))


@pytest.mark.parametrize("restore", [True, False])
def test_restore_best_weights_keeps_the_lowest_training_loss(ragged, restore):
    record = []
    model = ConvClassifier(
        4,
        batch_norm=False,
        learning_rate=10.0,  # large enough for the loss to go up and down
        reduce_lr_patience=None,
        restore_best_weights=restore,
        callbacks=[_RecordWeights(record)],
        epochs=8,
        batch_size=16,
        random_state=1,
    ).fit(*ragged)
    losses = [loss for loss, _ in record]
    best = int(np.argmin(losses))
    assert best != len(losses) - 1, "the test needs a last epoch that is not best"
    expected = record[best if restore else -1][1]
    for got, want in zip(model.model_.get_weights(), expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_recurrent_classifiers_shorten_long_sequences_automatically():
    rng = np.random.default_rng(0)
    X_long = rng.normal(size=(8, 100))
    y = np.array([0, 1] * 4)
    model = GRUClassifier(2, conv_filters=(2, 2), epochs=1, random_state=0)
    assert model.fit(X_long, y).strides_ == 2  # ceil(100 / 2**2) = 25 <= 32 steps
    assert model.fit(X_long[:, :30], y).strides_ == 1  # short: left alone
    plain = RNNClassifier(2, conv_filters=(), epochs=1, random_state=0).fit(X_long, y)
    assert plain.strides_ == 1
    assert not [la for la in plain.model_.layers if type(la).__name__ == "Conv1D"]
    with pytest.raises(ValueError, match="strides must be >= 1"):
        model.set_params(strides=0).fit(X_long, y)


def test_auto_strides_follow_the_longest_sequence_not_the_padding():
    # NaN padding to 100 steps gave strides_=2, and other predictions, where
    # the same 30-step sequences as a list gave 1.
    X = np.random.default_rng(0).normal(size=(8, 30))
    padded = np.concatenate([X, np.full((8, 70), np.nan)], axis=1)
    model = GRUClassifier(2, conv_filters=(2, 2), epochs=1, random_state=0)
    model.fit(padded, np.array([0, 1] * 4))
    assert (model.strides_, model.n_timesteps_in_) == (1, 30)


@pytest.mark.parametrize("method", ["predict", "partial_fit"])
def test_dataframe_columns_of_time_steps_are_checked_by_name(method):
    # a 2D DataFrame holds one time step per column: the fit's columns reversed
    # were classified (or trained on) with their time steps shuffled, silently
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(24, 6)), columns=[f"t{i}" for i in range(6)])
    y = (frame["t5"] > 0).to_numpy(int)
    clf = GRUClassifier(2, **FAST).fit(frame, y)
    assert list(clf.feature_names_in_) == list(frame.columns)
    reversed_steps = frame[frame.columns[::-1]]
    with pytest.raises(ValueError, match="in another order"):
        if method == "predict":
            clf.predict(reversed_steps)
        else:
            clf.partial_fit(reversed_steps, y)
    with pytest.warns(UserWarning, match="other column names"):
        clf.predict_proba(frame.set_axis([f"s{i}" for i in range(6)], axis=1))
    clf.fit(frame.to_numpy(), y)  # refitted without names: none kept
    assert not hasattr(clf, "feature_names_in_")


def test_next_step_classifier_checks_dataframe_columns_by_name():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.integers(0, 3, size=(12, 5)), columns=list("abcde"))
    clf = NextStepClassifier(2, **FAST).fit(frame)
    with pytest.raises(ValueError, match="in another order"):
        clf.predict(frame[frame.columns[::-1]])
