"""Bit-identity check for behaviour-preserving refactors.

Fits every discovered skseq estimator (``skseq.utils.discovery.all_estimators``)
with each of its test parameter sets and ``random_state=0`` on fixed small data,
and saves its predictions (``predict_proba`` for classifiers, ``forecast`` for
``WindowedForecaster``, ``transform`` for transformers), or compares them with a
saved file, array by array, exactly.

Run from the repository root, before and after a change, on the same machine and
backend:

    PYTHONPATH=. python benchmarks/prediction_digest.py save /tmp/before.npz
    PYTHONPATH=. python benchmarks/prediction_digest.py compare /tmp/before.npz

Issue "A forecasting layer a newcomer can read": 34 of 34 identical across the
refactor (window_view, carved WindowedForecaster, heads, persistence move).
The 18 global models on a small panel (``panel[...]``: feed, sampling, scale,
early stopping, a covariate, differences) were added for the panel feeder's
memory work (issue 27, item 7), identical across it.
"""

import sys
import warnings

import numpy as np

warnings.simplefilter("ignore")
from skseq.utils._testing import get_test_params  # noqa: E402
from skseq.utils.discovery import all_estimators  # noqa: E402

rng = np.random.default_rng(0)
X3 = rng.normal(size=(24, 10, 2)).astype("float64")
y_cls = np.array([0, 1, 2] * 8)
y_fc = rng.normal(size=(24, 3))
series = np.sin(np.arange(120) / 4.0)[:, None] + 0.1 * rng.normal(size=(120, 1))


def run(cls, params):
    kinds = {
        k
        for k in ("classifier", "forecaster", "transformer", "meta-estimator")
        if cls in dict(all_estimators(k)).values()
    }
    est = cls(**params)
    if "random_state" in est.get_params():
        est.set_params(random_state=0)
    name = cls.__name__
    if name == "NextStepClassifier":
        Xi = (np.abs(X3[..., 0]) * 3).astype(int) % 5
        est.fit(Xi)
        return est.predict_proba(Xi)
    if "meta-estimator" in kinds:
        if name == "WindowedForecaster":
            est.fit(series)
            return est.forecast(series)
        est.fit(X3[..., :1], y_fc)
        return est.predict(X3[..., :1])
    if "classifier" in kinds:
        est.fit(X3, y_cls)
        return est.predict_proba(X3)
    if "transformer" in kinds:
        data = series if name == "SlidingWindowTransformer" else X3
        return est.fit_transform(data)
    est.fit(X3[..., :1], y_fc)
    return est.predict(X3[..., :1])


def make_panel():
    """Six series of different lengths, starts and levels, with a covariate."""
    import pandas as pd

    frames = []
    for k, n in enumerate([40, 55, 33, 70, 20, 48]):
        dates = pd.date_range("2000-01-01", periods=n, freq="MS", name="date")
        level = 10.0**k * (1 + np.cumsum(rng.normal(scale=0.1, size=n)))
        frames.append(
            pd.DataFrame(
                {"id": f"s{k}", "y": level, "x": rng.normal(size=n)},
                index=dates + pd.DateOffset(months=k),
            )
        )
    return pd.concat(frames)


panel = make_panel()


def panel_cases():
    """Global models on ``panel``: feed, sampling, scale, early stopping,
    covariates and differences (``WindowedForecaster(series_id="id")``)."""
    cases = {}
    for feed in ("batches", "arrays"):
        for sampling in ("window", "series"):
            for stop in (False, True):
                for scale in (True, "window"):
                    key = f"panel[{feed},{sampling},stop={stop},scale={scale}]"
                    cases[key] = {"feed": feed, "sampling": sampling, "stop": stop}
                    cases[key]["scale"] = scale
    base = {"feed": "batches", "stop": True, "scale": True}
    cases["panel[batches,series,covariate]"] = {
        **base,
        "sampling": "series",
        "past_covariates": ["x"],
    }
    cases["panel[batches,dense,difference]"] = {
        **base,
        "sampling": "window",
        "difference": 1,
        "dense": True,
    }
    return cases


def run_panel(case):
    from skseq import DenseForecaster, GRUForecaster
    from skseq.forecasting import WindowedForecaster

    common = {"epochs": 2, "batch_size": 16, "random_state": 0}
    common.update(early_stopping=case["stop"], validation_fraction=0.25)
    est = (
        DenseForecaster(**common)
        if case.get("dense")
        else GRUForecaster(units=4, **common)
    )
    extra = {k: case[k] for k in ("past_covariates", "difference") if k in case}
    extra.setdefault("difference", None)  # the recorded digests: not "auto"
    data = panel if "past_covariates" in case else panel.drop(columns="x")
    model = WindowedForecaster(
        est,
        window=8,
        horizon=3,
        series_id="id",
        feed=case["feed"],
        sampling=case["sampling"],
        scale=case["scale"],
        **extra,
    ).fit(data)
    return model.forecast(data)["y"].to_numpy(dtype="float64")


def main(mode, path):
    out = {}
    runs = [
        (f"{name}[{i}]", run, (cls, params))
        for name, cls in all_estimators()
        for i, params in enumerate(get_test_params(cls))
    ]
    runs += [(key, run_panel, (case,)) for key, case in panel_cases().items()]
    for key, function, args in runs:
        try:
            out[key] = np.asarray(function(*args), dtype="float64")
        except Exception as exc:  # noqa: BLE001
            out[key] = np.array([np.nan])
            print(key, "ERROR", type(exc).__name__, str(exc)[:100])
    if mode == "save":
        np.savez(path, **out)
        print(f"saved {len(out)} predictions to {path}")
        return
    ref = np.load(path)
    bad = 0
    for key in sorted(set(ref) | set(out)):
        if key not in ref or key not in out:
            print(key, "missing in", "reference" if key not in ref else "current")
            continue
        same = ref[key].shape == out[key].shape and np.array_equal(
            ref[key], out[key], equal_nan=True
        )
        bad += not same
        print(f"{key:40s} {'identical' if same else 'DIFFERENT'}")
    print(f"{len(out) - bad} identical, {bad} different")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
