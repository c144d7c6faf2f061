"""Quality measures of coding against gold labels: precision, recall, F1, Krippendorff's alpha.

Krippendorff's alpha here is the nominal version for any number of coders with missing data,
computed from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's alpha-
reliability"): alpha = 1 - (n - 1) * D_o / D_e over pairable values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    @property
    def prevalence(self) -> float | None:
        n = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.fn) / n if n else None

    @property
    def accuracy(self) -> float | None:
        n = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / n if n else None


def binary_scores(truth: Sequence[bool], predicted: Sequence[bool]) -> Scores:
    t = np.asarray(truth, dtype=bool)
    p = np.asarray(predicted, dtype=bool)
    return Scores(tp=int((t & p).sum()), fp=int((~t & p).sum()), fn=int((t & ~p).sum()),
                  tn=int((~t & ~p).sum()))


def krippendorff_alpha_nominal(reliability: np.ndarray) -> float | None:
    """Alpha for a (coders x units) array of category codes, NaN where a coder gave none.

    Returns None when it is undefined (fewer than two pairable values, or no variation).
    """
    data = np.asarray(reliability, dtype=float)
    if data.ndim != 2:
        raise ValueError("expected a coders x units array")
    values = np.unique(data[~np.isnan(data)])
    if len(values) == 0:
        return None
    # units x categories: how many coders gave each value to each unit
    return alpha_from_counts(np.stack([(data == v).sum(axis=0) for v in values], axis=1))


def alpha_from_counts(counts: np.ndarray) -> float | None:
    """Alpha from a (units x categories) array of how many coders gave each value."""
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    weighted = counts / (m - 1)[:, None]
    # coincidences: sum over units of (n n^T - diag(n)) / (m - 1)
    coincidence = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    n = coincidence.sum()
    if n <= 1:
        return None
    marginals = coincidence.sum(axis=0)
    observed = n - np.trace(coincidence)
    expected = (n * n - (marginals ** 2).sum()) / (n - 1)
    if expected == 0:
        return None
    return float(1 - observed / expected)


def presence_alpha(truth: Sequence[bool], predicted: Sequence[bool]) -> float | None:
    """Alpha of two coders (gold and machine) on presence (1) or absence (0) per unit."""
    return krippendorff_alpha_nominal(np.array([np.asarray(truth, dtype=float),
                                                np.asarray(predicted, dtype=float)]))
