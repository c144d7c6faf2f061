"""Agreement statistics against published values and independent implementations."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from exitlens.aggregate.agreement import (
    agreement_table,
    bootstrap_alpha,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
    presence_data,
)
from exitlens.aggregate.metrics import krippendorff_alpha_nominal

N = np.nan
#: Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example
CANONICAL = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
                      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
                      [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
                      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]])


def _random(seed: int, coders: int, units: int, categories: int, missing: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, categories, units)
    data = np.where(rng.random((coders, units)) < 0.7, truth,
                    rng.integers(0, categories, (coders, units))).astype(float)
    data[rng.random((coders, units)) < missing] = np.nan
    return data


def test_krippendorffs_canonical_example_gives_0_743() -> None:
    assert krippendorff_alpha_nominal(CANONICAL) == pytest.approx(0.743, abs=5e-4)


@pytest.mark.parametrize("seed", range(6))
def test_alpha_equals_the_krippendorff_package(seed: int) -> None:
    data = _random(seed, coders=2 + seed % 4, units=60, categories=2 + seed % 3, missing=0.15)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(data) == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(6))
def test_cohen_kappa_equals_scikit_learn(seed: int) -> None:
    data = _random(seed, coders=2, units=80, categories=2 + seed % 3, missing=0.0)
    assert cohen_kappa(data[0], data[1]) == pytest.approx(cohen_kappa_score(data[0], data[1]))


@pytest.mark.parametrize("seed", range(6))
def test_fleiss_kappa_equals_statsmodels(seed: int) -> None:
    data = _random(seed, coders=3 + seed % 3, units=70, categories=2 + seed % 3, missing=0.0)
    table, _ = aggregate_raters(data.T.astype(int))
    assert fleiss_kappa(data) == pytest.approx(sm_fleiss(table, method="fleiss"))


def test_gwet_ac1_and_percent_agreement_by_hand() -> None:
    # 10 units, 2 coders: 6 both yes, 2 both no, 2 split -> agreement 0.8, pi(yes) 0.7,
    # chance 2 * 0.7 * 0.3 = 0.42, AC1 = (0.8 - 0.42) / 0.58
    a = [1] * 6 + [0] * 2 + [1, 0]
    b = [1] * 6 + [0] * 2 + [0, 1]
    data = np.array([a, b], dtype=float)
    assert percent_agreement(data) == pytest.approx(0.8)
    assert gwet_ac1(data) == pytest.approx((0.8 - 0.42) / 0.58)
    # a rare code both coders agree on: AC1 stays high where kappa collapses
    rare = np.array([[0] * 48 + [1, 0], [0] * 48 + [0, 1]], dtype=float)
    assert gwet_ac1(rare) > 0.9 and cohen_kappa(rare[0], rare[1]) < 0.1


def test_bootstrap_interval_brackets_alpha_and_repeats() -> None:
    data = _random(3, coders=3, units=120, categories=2, missing=0.1)
    low, high = bootstrap_alpha(data, draws=400, seed=5) or (None, None)
    alpha = krippendorff_alpha_nominal(data)
    assert low is not None and high is not None and alpha is not None
    assert low < alpha < high and high - low < 0.4
    assert bootstrap_alpha(data, draws=400, seed=5) == (low, high)


def test_agreement_table_and_presence_data() -> None:
    units = pd.DataFrame({"unit": ["s1", "s1", "s2", "s2", "s3"],
                          "coder": ["ana", "bo", "ana", "bo", "ana"]})
    codings = pd.DataFrame({"unit": ["s1", "s1", "s2", "s3"], "coder": ["ana", "bo", "ana", "ana"],
                            "top": ["corruption", "corruption", "corruption", "infighting"]})
    data = presence_data(codings, units, ["ana", "bo"], "corruption")
    assert np.array_equal(data, np.array([[1, 1, 0], [1, 0, N]]), equal_nan=True)
    table = agreement_table(data, ["ana", "bo"], bootstrap=0)
    assert table["units"] == 2 and table["percent_agreement"] == pytest.approx(0.5)
    assert set(table["cohen_kappa"]) == {"ana / bo"}
