"""Benchmark: agreement statistics for 5 coders over 100,000 units (generated presence data,
10% missing), against a baseline measured in the same run: counting, per unit, how many coders
gave each value (the tally every statistic starts from). Aim: alpha under 2 s.

    .venv/bin/python benchmarks/agreement_speed.py [--coders 5] [--units 100000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from exitlens.aggregate.agreement import (
    bootstrap_alpha,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
)
from exitlens.aggregate.metrics import krippendorff_alpha_nominal


def timed(function, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coders", type=int, default=5)
    parser.add_argument("--units", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    truth = rng.random(args.units) < 0.3
    data = np.where(rng.random((args.coders, args.units)) < 0.85, truth,
                    rng.random((args.coders, args.units)) < 0.3).astype(float)
    data[rng.random(data.shape) < 0.1] = np.nan
    baseline = timed(lambda: [(data == v).sum(axis=0) for v in (0.0, 1.0)])
    print(f"{args.coders} coders x {args.units:,} units")
    print(f"baseline, tallying values per unit: {baseline:.3f} s")
    for name, function, kwargs in (
            ("Krippendorff's alpha", krippendorff_alpha_nominal, {}),
            ("Fleiss' kappa", fleiss_kappa, {}), ("Gwet's AC1", gwet_ac1, {}),
            ("percent agreement", percent_agreement, {}),
            ("alpha bootstrap, 200 draws", bootstrap_alpha, {"draws": 200})):
        seconds = timed(function, data, **kwargs)
        print(f"{name:<28} {seconds:7.3f} s  ({seconds / baseline:6.1f}x the baseline)")
    print("aim: alpha under 2 s")


if __name__ == "__main__":
    main()
