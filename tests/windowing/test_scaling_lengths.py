"""SequenceScaler takes the classifiers' variable-length layouts (NaN padding,
lists of sequences of different lengths), and FlattenSequence passes NaN
padding on: they refused them ("Input X contains NaN."; "needs sequences of
equal length"), so that ``make_pipeline(SequenceScaler(), GRUClassifier())``
failed on the very data the classifier accepts."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from skseq import FlattenSequence, GRUClassifier, SequenceScaler


@pytest.fixture
def ragged():
    rng = np.random.default_rng(0)
    return [rng.normal(10.0, 3.0, size=(n, 2)) for n in (3, 5, 4, 6)]


def _padded(sequences):
    X = np.full((len(sequences), 6, 2), np.nan)
    for i, x in enumerate(sequences):
        X[i, : len(x)] = x
    return X


@pytest.mark.parametrize("scaler", [None, MinMaxScaler()])
def test_nan_padding_is_left_out_of_the_statistics_and_stays_nan(ragged, scaler):
    X = _padded(ragged)
    model = SequenceScaler(scaler).fit(X)
    reference = (StandardScaler() if scaler is None else MinMaxScaler()).fit(
        np.concatenate(ragged)
    )
    Xt = model.transform(X)
    for i, x in enumerate(ragged):
        np.testing.assert_allclose(Xt[i, : len(x)], reference.transform(x))
        assert np.isnan(Xt[i, len(x) :]).all()
    np.testing.assert_allclose(model.inverse_transform(Xt), X)


def test_a_list_of_sequences_of_different_lengths_gives_a_list(ragged):
    Xt = SequenceScaler().fit_transform(ragged)
    expected = SequenceScaler().fit_transform(_padded(ragged))
    assert isinstance(Xt, list)
    for i, x in enumerate(Xt):
        assert x.shape == ragged[i].shape
        np.testing.assert_allclose(x, expected[i, : len(x)])


def test_infinity_is_still_refused(ragged):
    X = _padded(ragged)
    X[0, 0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        SequenceScaler().fit(X)


def test_all_padding_is_refused():
    with pytest.raises(ValueError, match="no time step that is not NaN"):
        SequenceScaler().fit(np.full((2, 3), np.nan))


def test_pipeline_with_a_classifier_on_sequences_of_different_lengths(ragged):
    y = ["a", "b", "a", "b"]
    model = make_pipeline(
        SequenceScaler(), GRUClassifier(units=2, epochs=1, random_state=0)
    )
    model.fit(ragged, y)
    assert model.predict_proba(ragged).shape == (4, 2)
    assert model.predict_proba(_padded(ragged)).shape == (4, 2)


def test_flatten_sequence_passes_nan_padding_to_an_estimator_that_takes_it(ragged):
    X = _padded(ragged)
    flat = FlattenSequence().fit_transform(X)
    np.testing.assert_array_equal(flat, X.reshape(len(X), -1))
    model = make_pipeline(
        SequenceScaler(), FlattenSequence(), HistGradientBoostingClassifier(max_iter=2)
    ).fit(X, ["a", "b", "a", "b"])
    assert model.predict(X).shape == (4,)
    X[0, 0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        FlattenSequence().fit(X)
