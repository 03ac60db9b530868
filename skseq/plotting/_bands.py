"""Quantile bands of a fan chart: levels paired around the median, drawn nested.

A band needs two sides, so levels are paired symmetrically (``q`` with
``1 - q``); a level without its partner is refused rather than drawn as a lone
line, which a reader would take for a bound of some interval.
"""

import numbers

import numpy as np

__all__ = ["draw_quantile_bands", "fill_band", "quantile_table"]

# Two levels pair when they sum to 1 up to float rounding (0.05 + 0.95).
_PAIR_TOLERANCE = 1e-9


def quantile_table(quantiles, levels, horizon):
    """``(values (horizon, n_levels), levels)``, both sorted by level.

    ``quantiles`` is a DataFrame whose columns are the levels (``levels`` then
    None or equal to them), or an array of shape (horizon, n_levels) with
    ``levels`` given.
    """
    if hasattr(quantiles, "columns"):
        columns = list(quantiles.columns)
        others = [c for c in columns if not _is_level(c)]
        if others:
            raise ValueError(
                f"quantiles has columns that are not levels: {others}. A panel's "
                "predict_quantiles output holds every series: select one series' "
                "rows and its level columns, e.g. q.loc[q['id'] == name, levels]; "
                "with several targets, one target's columns."
            )
        if levels is not None and not _same_levels(levels, columns):
            raise ValueError(
                f"levels={list(levels)} differ from the columns of quantiles "
                f"{columns}; pass levels only with an array."
            )
        levels = columns
    elif levels is None:
        raise ValueError(
            "quantiles is an array: pass levels=, the quantile level of each of "
            "its columns (a DataFrame's columns name them)."
        )
    levels = _as_levels(levels)
    values = np.asarray(quantiles, dtype=float)
    if values.ndim == 1 and len(levels) == 1:
        values = values[:, None]
    if values.ndim != 2 or values.shape[1] != len(levels):
        raise ValueError(
            f"quantiles must be of shape (horizon, n_levels) = ({horizon}, "
            f"{len(levels)}); got shape {values.shape}."
        )
    if len(values) != horizon:
        raise ValueError(
            f"quantiles has {len(values)} steps; the forecast has {horizon}."
        )
    order = np.argsort(levels)
    return values[:, order], levels[order]


def _is_level(column):
    return isinstance(column, numbers.Real) and not isinstance(column, bool)


def _same_levels(levels, columns):
    levels = _as_levels(levels)
    return len(levels) == len(columns) and np.allclose(levels, columns)


def _as_levels(levels):
    """Levels as a float array in (0, 1), without repeats."""
    for level in levels:
        if isinstance(level, bool) or not isinstance(level, numbers.Real):
            raise TypeError(
                f"quantile levels must be real numbers in (0, 1); got {level!r}."
            )
    levels = np.asarray(levels, dtype=float).reshape(-1)
    if len(levels) == 0:
        raise ValueError("quantiles must hold at least one level.")
    if not np.all((levels > 0) & (levels < 1)):
        raise ValueError(f"quantile levels must lie in (0, 1); got {list(levels)}.")
    if len(np.unique(levels)) != len(levels):
        raise ValueError(f"quantile levels are repeated: {list(levels)}.")
    return levels


def band_pairs(levels):
    """Column pairs ``(i, j)`` of the bands, widest first, and the column of
    the median (None if 0.5 is not a level).

    Raises
    ------
    ValueError
        If a level has no symmetric partner ``1 - level``.
    """
    median = None
    pairs, unpaired = [], []
    for i, level in enumerate(levels):
        if abs(level - 0.5) <= _PAIR_TOLERANCE:
            median = i
            continue
        partners = np.flatnonzero(np.abs(levels + level - 1) <= _PAIR_TOLERANCE)
        if len(partners) == 0:
            unpaired.append(float(level))
        elif level < 0.5:
            pairs.append((i, int(partners[0])))
    if unpaired:
        raise ValueError(
            f"Quantile levels {unpaired} have no symmetric partner (1 - level): "
            "a fan chart draws bands between level pairs such as (0.05, 0.95) "
            "and (0.25, 0.75), plus the median 0.5. Add the partners, or drop "
            "these levels."
        )
    if not pairs and median is None:
        raise ValueError("quantiles hold no level to draw.")
    return pairs, median  # levels are sorted: the first pair is the widest


def draw_quantile_bands(ax, x, values, levels, color="C3", forecast=None):
    """Draw the nested bands (widest, lightest first) and the median line.

    Each band is opaque, a shade of ``color`` mixed with white that darkens
    inwards, so what the legend shows is what the axes show. The median line is
    left out when it is ``forecast`` (a quantile model's point forecast is its
    median): returns whether it was.
    """
    from matplotlib.colors import to_rgb

    pairs, median = band_pairs(levels)
    base = np.asarray(to_rgb(color))
    for k, (i, j) in enumerate(pairs):
        strength = 0.15 + 0.35 * (k + 1) / len(pairs)
        shade = 1 - strength * (1 - base)
        label = f"{_percent(levels[j] - levels[i])} interval"
        fill_band(ax, x, values[:, i], values[:, j], color=shade, lw=0, label=label)
    if median is None:
        return False
    if forecast is not None and np.allclose(values[:, median], forecast):
        return True
    ax.plot(x, values[:, median], "--", color=color, label="median")
    return False


def fill_band(ax, x, low, high, **kwargs):
    """The band between ``low`` and ``high`` over the steps ``x``; over a
    single step, where the area has no width, its edge drawn as a thick bar
    (bevelled: it ends at the bounds)."""
    if len(x) == 1:
        kwargs.update(lw=10, joinstyle="bevel")
    return ax.fill_between(x, low, high, **kwargs)


def _percent(share):
    """0.9 -> "90%", 0.975 -> "97.5%" (no rounding noise of 0.95 - 0.05)."""
    return f"{100 * share:.3g}%"
