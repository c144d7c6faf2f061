"""Case-level findings, pandas in and pandas out: the case x code matrix, counts with Wilson
intervals, crosstabs by case attribute with a test of association, and code co-occurrence.

Inputs are two frames with the columns of ``CASE_COLUMNS`` and ``CODING_COLUMNS`` (built by
``services/findings.py`` from the store, or by anyone from an export). A case *cites* a code
when any counted coding attributed to it carries the code or one of its sub-codes; the caller
rolls sub-codes up (column ``top``) and decides which codings count.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
UNKNOWN = "unknown"
RESAMPLES = 9999
"""Tables drawn for Fisher's test beyond 2 x 2."""

CASE_COLUMNS = ("case", "collective", "gender", "country_of_origin", "group_left", "exit_year")
CODING_COLUMNS = ("case", "top")


def wilson_interval(cases: np.ndarray | Sequence[int] | int, n: np.ndarray | Sequence[int] | int,
                    z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of the share ``cases / n`` (NaN where n is 0)."""
    k = np.asarray(cases, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / total
        denominator = 1 + z * z / total
        centre = (p + z * z / (2 * total)) / denominator
        half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def case_code_table(cases: pd.DataFrame, codings: pd.DataFrame, codes: Sequence[str]
                    ) -> pd.DataFrame:
    """One row per case of ``cases`` (index: its ``case``), one boolean column per code: does
    the case cite it? Codings of other cases or other codes are ignored."""
    index = pd.Index(cases["case"], name="case")
    wanted = codings[codings["top"].isin(list(codes)) & codings["case"].isin(index)]
    pairs = wanted[["case", "top"]].drop_duplicates()
    matrix = pd.DataFrame(False, index=index, columns=pd.Index(list(codes), name="code"))
    if len(pairs):
        rows = index.get_indexer(pairs["case"])
        cols = matrix.columns.get_indexer(pairs["top"])
        values = matrix.to_numpy(copy=True)
        values[rows, cols] = True
        matrix = pd.DataFrame(values, index=index, columns=matrix.columns)
    return matrix


def code_counts_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per code: cases citing it, of how many, the share and its Wilson 95% interval."""
    n = len(matrix)
    counts = matrix.sum(axis=0).astype(int).to_numpy()
    low, high = wilson_interval(counts, np.full(len(counts), n))
    return pd.DataFrame({"code": list(matrix.columns), "cases": counts, "n": n,
                         "share": counts / n if n else np.nan, "ci_low": low, "ci_high": high})


def attribute_values(cases: pd.DataFrame, by: str) -> pd.Series:
    """The attribute as text per case, missing values as "unknown" (years without decimals)."""
    column = cases[by]
    if pd.api.types.is_numeric_dtype(column):
        column = column.astype("Int64").astype("string")
    return column.astype("string").fillna(UNKNOWN).replace({"": UNKNOWN}).set_axis(
        cases["case"].to_numpy())


def crosstab_table(matrix: pd.DataFrame, cases: pd.DataFrame, by: str) -> pd.DataFrame:
    """Long table: for each value of case attribute ``by`` and each code, the cases with that
    value citing the code, the cases with that value, the share and its Wilson interval."""
    values = attribute_values(cases, by).reindex(matrix.index)
    grouped = matrix.groupby(values.to_numpy(), sort=True)
    cited = grouped.sum().astype(int)
    sizes = grouped.size()
    long = cited.stack().rename("cases").reset_index()
    long.columns = ["value", "code", "cases"]
    long["n"] = sizes.reindex(long["value"]).to_numpy()
    long["share"] = long["cases"] / long["n"]
    long["ci_low"], long["ci_high"] = wilson_interval(long["cases"].to_numpy(),
                                                      long["n"].to_numpy())
    long.insert(0, "attribute", by)
    return long


def association_table(matrix: pd.DataFrame, cases: pd.DataFrame, by: str,
                      seed: int = 0) -> pd.DataFrame:
    """Per code, is citing it associated with attribute ``by``? Cases whose value is unknown
    are left out. Pearson's chi-square where every expected count is at least 5, else Fisher's
    exact test (a permutation test with a fixed seed for large tables beyond 2 x 2), with the
    caveat said in ``note``."""
    values = attribute_values(cases, by).reindex(matrix.index)
    known = (values != UNKNOWN).to_numpy()
    groups, labels = pd.factorize(values[known])
    sizes = np.bincount(groups, minlength=len(labels))
    cited = matrix.to_numpy(dtype=float)[known]
    rows = []
    for j, code in enumerate(matrix.columns):
        yes = np.bincount(groups, weights=cited[:, j], minlength=len(labels)).astype(np.int64)
        table = np.column_stack([sizes - yes, yes])
        rows.append({"attribute": by, "code": code, **_test(table, seed)})
    return pd.DataFrame(rows, columns=["attribute", "code", "test", "statistic", "dof",
                                       "p_value", "cases", "groups", "small_cells", "note"])


def _test(table: np.ndarray, seed: int) -> dict[str, object]:
    from scipy import stats

    n = int(table.sum())
    groups = table.shape[0]
    empty: dict[str, object] = {"test": None, "statistic": np.nan, "dof": None,
                                "p_value": np.nan, "cases": n, "groups": groups,
                                "small_cells": 0}
    if groups < 2 or (table.sum(axis=0) == 0).any():
        return empty | {"note": "no test: needs two or more known values and a code that "
                                "some but not all of these cases cite"}
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    small = int((expected < 5).sum())
    if not small:
        chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
        return empty | {"test": "chi-square", "statistic": float(chi2), "dof": int(dof),
                        "p_value": float(p), "note": ""}
    if table.shape == (2, 2):
        result = stats.fisher_exact(table)
        return empty | {"test": "fisher", "statistic": float(result.statistic),
                        "p_value": float(result.pvalue), "small_cells": small,
                        "note": "expected counts below 5: Fisher's exact test instead of "
                                "chi-square"}
    probability, p = fisher_monte_carlo(table, seed)
    return empty | {"test": "fisher (Monte Carlo)", "statistic": probability, "p_value": p,
                    "small_cells": small,
                    "note": "expected counts below 5: Fisher's test instead of chi-square, "
                            f"by Monte Carlo (MC: {RESAMPLES:,} tables drawn with the same "
                            "margins)"}


def fisher_monte_carlo(table: np.ndarray, seed: int = 0, resamples: int | None = None
                       ) -> tuple[float, float]:
    """Fisher's test of an R x 2 table (groups x cites/does not cite) by Monte Carlo: tables
    with the same margins are drawn (multivariate hypergeometric), and the p-value is the share
    no more probable than the one observed, (1 + k) / (1 + draws). Returns the observed
    table's probability under independence, and the p-value. Seeded, so reports repeat."""
    from scipy.special import gammaln

    draws = resamples or RESAMPLES
    sizes = table.sum(axis=1).astype(np.int64)
    cited = int(table[:, 1].sum())
    total = int(sizes.sum())

    def log_probability(yes: np.ndarray) -> np.ndarray:
        no = sizes - yes
        return (gammaln(sizes + 1) - gammaln(yes + 1) - gammaln(no + 1)).sum(axis=-1) - (
            gammaln(total + 1) - gammaln(cited + 1) - gammaln(total - cited + 1))

    observed = log_probability(table[:, 1].astype(np.int64))
    simulated = np.random.default_rng(seed).multivariate_hypergeometric(sizes, cited,
                                                                        size=draws)
    extreme = int((log_probability(simulated) <= observed + 1e-7).sum())
    return float(np.exp(observed)), (1 + extreme) / (1 + draws)


def cooccurrence_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Codes x codes: how many cases cite both (the diagonal: how many cite each)."""
    values = matrix.to_numpy(dtype=np.int64)
    both = values.T @ values
    return pd.DataFrame(both, index=matrix.columns, columns=matrix.columns)
