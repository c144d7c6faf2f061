"""Agreement between coders: Krippendorff's alpha (nominal, any number of coders, missing
data) with a bootstrap interval, Cohen's kappa per pair, Fleiss' kappa, Gwet's AC1 and percent
agreement; and the reliability data they are computed on, built from codings per unit.

Reliability data is a (coders x units) array of category codes, NaN where a coder gave no
value for a unit. For a code's presence, the categories are 1 (the coder used the code in the
unit) and 0 (the coder coded the unit, but not with this code).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from exitlens.aggregate.metrics import alpha_from_counts, krippendorff_alpha_nominal

UNITS = ("source", "case", "segment", "span")


def percent_agreement(data: np.ndarray) -> float | None:
    """The share of agreeing pairs among all pairs of values given to the same unit."""
    if np.isnan(np.asarray(data, dtype=float)).all():
        return None
    counts, raters = _counts(data)
    pairs = float((raters * (raters - 1)).sum())
    return float((counts * (counts - 1)).sum()) / pairs if pairs else None


def cohen_kappa(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Cohen's kappa of two coders over the units both coded."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both = ~(np.isnan(x) | np.isnan(y))
    x, y = x[both], y[both]
    if len(x) == 0:
        return None
    categories = np.unique(np.concatenate([x, y]))
    observed = float((x == y).mean())
    expected = float(sum((x == c).mean() * (y == c).mean() for c in categories))
    return None if expected == 1 else (observed - expected) / (1 - expected)


def _counts(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Units x categories counts, and each unit's number of values (units with two or more)."""
    arr = np.asarray(data, dtype=float)
    categories = np.unique(arr[~np.isnan(arr)])
    counts = np.stack([(arr == c).sum(axis=0) for c in categories], axis=1)
    raters = counts.sum(axis=1)
    keep = raters >= 2
    return counts[keep], raters[keep]


def fleiss_kappa(data: np.ndarray) -> float | None:
    """Fleiss' kappa over the units every coder coded."""
    arr = np.asarray(data, dtype=float)
    complete = arr[:, ~np.isnan(arr).any(axis=0)]
    if complete.shape[1] == 0 or complete.shape[0] < 2:
        return None
    counts, raters = _counts(complete)
    n = raters[0]
    p_unit = ((counts * (counts - 1)).sum(axis=1) / (n * (n - 1))).mean()
    shares = counts.sum(axis=0) / counts.sum()
    p_chance = float((shares ** 2).sum())
    return None if p_chance == 1 else float((p_unit - p_chance) / (1 - p_chance))


def gwet_ac1(data: np.ndarray) -> float | None:
    """Gwet's AC1 (2008) for any number of coders and missing values; stable where a code is
    rare, where kappa and alpha fall although coders agree."""
    arr = np.asarray(data, dtype=float)
    if np.isnan(arr).all():
        return None
    counts, raters = _counts(arr)
    q = counts.shape[1]
    if len(raters) == 0:
        return None
    if q < 2:
        return 1.0
    p_agree = float(((counts * (counts - 1)).sum(axis=1) / (raters * (raters - 1))).mean())
    pi = (counts / raters[:, None]).mean(axis=0)
    p_chance = float((pi * (1 - pi)).sum() / (q - 1))
    return (p_agree - p_chance) / (1 - p_chance)


def bootstrap_alpha(data: np.ndarray, *, draws: int = 1000, seed: int = 0,
                    level: float = 0.95) -> tuple[float, float] | None:
    """A percentile bootstrap interval for alpha, resampling units (seeded)."""
    arr = np.asarray(data, dtype=float)
    units = arr.shape[1]
    if units < 2:
        return None
    counts, _ = _counts(arr)
    if len(counts) < 2:
        return None
    rng = np.random.default_rng(seed)
    values = [alpha_from_counts(counts[rng.integers(0, len(counts), len(counts))])
              for _ in range(draws)]
    kept = np.array([v for v in values if v is not None])
    if len(kept) < draws / 2:
        return None
    tail = (1 - level) / 2 * 100
    return float(np.percentile(kept, tail)), float(np.percentile(kept, 100 - tail))


def agreement_table(data: np.ndarray, coders: Sequence[str], *, bootstrap: int = 1000,
                    seed: int = 0) -> dict[str, Any]:
    """Every statistic for one reliability array, with Cohen's kappa for each pair."""
    arr = np.asarray(data, dtype=float)
    interval = bootstrap_alpha(arr, draws=bootstrap, seed=seed) if bootstrap else None
    return {
        "units": int((~np.isnan(arr)).sum(axis=0).__ge__(2).sum()),
        "alpha": krippendorff_alpha_nominal(arr),
        "alpha_interval": list(interval) if interval else None,
        "fleiss_kappa": fleiss_kappa(arr), "gwet_ac1": gwet_ac1(arr),
        "percent_agreement": percent_agreement(arr),
        "cohen_kappa": {f"{coders[i]} / {coders[j]}": cohen_kappa(arr[i], arr[j])
                        for i, j in combinations(range(len(coders)), 2)},
    }


def presence_data(codings: pd.DataFrame, units: pd.DataFrame, coders: Sequence[str],
                  code: str) -> np.ndarray:
    """Reliability data for the presence of ``code``: ``units`` lists (unit, coder) pairs a
    coder coded at all; ``codings`` lists (unit, coder, top) for each coding. A coder who coded
    a unit but not with ``code`` gives 0; a coder who did not code the unit gives nothing."""
    unit_ids = sorted(units["unit"].unique(), key=str)
    position = {u: i for i, u in enumerate(unit_ids)}
    row = {c: i for i, c in enumerate(coders)}
    data = np.full((len(coders), len(unit_ids)), np.nan)
    for unit, coder in units[units["coder"].isin(coders)][["unit", "coder"]].itertuples(
            index=False):
        data[row[coder], position[unit]] = 0.0
    used = codings[(codings["top"] == code) & codings["coder"].isin(coders)]
    for unit, coder in used[["unit", "coder"]].itertuples(index=False):
        if unit in position:
            data[row[coder], position[unit]] = 1.0
    return data


def span_clusters(spans: Sequence[tuple[int, int]], overlap: float) -> list[list[int]]:
    """Spans (start, end) grouped into units: taken by start, a span joins the first cluster
    whose first span it overlaps by at least ``overlap`` of the shorter of the two, or starts
    its own. Gives the spans' indices per cluster."""
    clusters: list[list[int]] = []
    for i in sorted(range(len(spans)), key=lambda i: spans[i][0]):
        home = next((k for k in clusters if _overlaps(spans[k[0]], spans[i], overlap)), None)
        if home is None:
            clusters.append([i])
        else:
            home.append(i)
    return clusters


def _overlaps(a: tuple[int, int], b: tuple[int, int], share: float) -> bool:
    common = min(a[1], b[1]) - max(a[0], b[0])
    return common > 0 and common >= share * min(a[1] - a[0], b[1] - b[0])
