"""Agreement and quality measures against published values and independent implementations."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import f1_score, precision_score, recall_score

from exitlens.aggregate.metrics import binary_scores, krippendorff_alpha_nominal, presence_alpha

NAN = np.nan
CANONICAL = np.array([  # Krippendorff (2011), the four-coder example with missing data
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])


def test_canonical_example_gives_the_published_value() -> None:
    assert krippendorff_alpha_nominal(CANONICAL) == pytest.approx(0.743, abs=0.0005)


@pytest.mark.parametrize("seed", range(6))
def test_alpha_equals_the_krippendorff_package(seed: int) -> None:
    rng = np.random.RandomState(seed)
    coders, units = rng.randint(2, 6), rng.randint(10, 200)
    truth = rng.randint(0, 4, units)
    data = np.array([np.where(rng.rand(units) < 0.7, truth, rng.randint(0, 4, units))
                     for _ in range(coders)], dtype=float)
    data[rng.rand(coders, units) < 0.15] = NAN
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(data) == pytest.approx(expected, abs=1e-9)


def test_alpha_edge_cases() -> None:
    assert presence_alpha([True, False, True], [True, False, True]) == pytest.approx(1.0)
    assert presence_alpha([True, True], [True, True]) is None
    assert krippendorff_alpha_nominal(np.array([[NAN, NAN]])) is None
    with pytest.raises(ValueError):
        krippendorff_alpha_nominal(np.array([1.0, 2.0]))


def test_binary_scores_equal_scikit_learn() -> None:
    rng = np.random.RandomState(3)
    truth, predicted = rng.rand(300) < 0.3, rng.rand(300) < 0.4
    s = binary_scores(truth.tolist(), predicted.tolist())
    assert s.precision == pytest.approx(precision_score(truth, predicted))
    assert s.recall == pytest.approx(recall_score(truth, predicted))
    assert s.f1 == pytest.approx(f1_score(truth, predicted))
    assert s.prevalence == pytest.approx(truth.mean())
    empty = binary_scores([False], [False])
    assert (empty.precision, empty.recall, empty.f1) == (None, None, None)
