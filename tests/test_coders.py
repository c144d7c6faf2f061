"""Every registered coder keeps the Coder contract (check_coder), and the learning coders learn."""

from __future__ import annotations

import numpy as np
import pytest
from tests.analysis_data import codebook, english

from exitlens.coding import CODERS, NotFittedError, check_coder, make_coder
from exitlens.coding.ensemble import EnsembleCoder, best_threshold, presence_alpha
from exitlens.coding.scoring import segment_labels, target_codes
from exitlens.errors import ExitLensError


@pytest.mark.parametrize("name", [n for n in CODERS if n != "llm.v1"])
def test_every_coder_passes_check_coder(name: str) -> None:
    training = english(24)
    options = {"members": ("keyword.v1", "classifier.v1")} if name == "ensemble.v1" else {}
    coder = make_coder(name, **options)
    check_coder(coder, codebook(), training, [t.document for t in english(30)[24:]])


def test_llm_coder_is_registered_and_checked_in_its_own_tests() -> None:
    from exitlens.coding.llm import LLMCoder

    assert CODERS["llm.v1"].endswith(":LLMCoder") and LLMCoder.name == "llm.v1"


def test_unknown_coder_and_unfitted_coder() -> None:
    with pytest.raises(ExitLensError, match=r"no coder 'magic\.v9'"):
        make_coder("magic.v9")
    with pytest.raises(NotFittedError):
        make_coder("embedding.v1").predict([])
    with pytest.raises(ExitLensError, match="learns from coded examples"):
        make_coder("classifier.v1").fit(codebook(), [])


def test_segment_labels_follow_the_gold_spans() -> None:
    training = english(10)
    labels = segment_labels(training, codebook())
    codes = target_codes(codebook())
    for item, matrix in zip(training, labels, strict=True):
        assert matrix.shape == (len(item.document.segments), len(codes))
        for span in item.spans:
            top = codebook().top_level_of(span.code)
            covering = [r for r, s in enumerate(item.document.segments)
                        if s.start < span.end and span.start < s.end]
            assert any(matrix[r, codes.index(top)] for r in covering)
    assert sum(int(m.sum()) for m in labels) > 0


def test_classifier_scores_coded_segments_above_the_rest() -> None:
    training = english(40)
    coder = make_coder("classifier.v1", calibrate=False).fit(codebook(), training[:30])
    scores = np.vstack(coder.score_segments([t.document for t in training[30:]]))
    labels = np.vstack(segment_labels(training[30:], codebook()))
    positive, negative = scores[labels == 1], scores[labels == 0]
    assert positive.mean() > negative.mean() + 0.2


def test_ensemble_learns_thresholds_per_code() -> None:
    coder = EnsembleCoder(members=("keyword.v1", "classifier.v1")).fit(codebook(), english(30))
    assert coder.thresholds_.shape == (len(target_codes(codebook())),)
    assert (coder.thresholds_ > 0).all() and (coder.thresholds_ <= 1.01).all()
    assert len({round(t, 3) for t in coder.thresholds_}) > 1


def test_best_threshold_balances_f1_and_alpha() -> None:
    scores = np.array([0.9, 0.8, 0.4, 0.3, 0.1])
    truth = np.array([True, True, False, True, False])
    # at 0.8: F1 0.80, alpha 0.64 (mean 0.72); at 0.3: F1 0.86 but alpha 0.57 (mean 0.71)
    assert best_threshold(scores, truth) == pytest.approx(0.6)
    assert best_threshold(np.zeros(4), np.array([True, False, False, False])) > 1
    assert best_threshold(np.array([0.5, 0.01]), np.array([True, True])) == pytest.approx(0.255)
    assert best_threshold(scores, np.array([True, True, False, False, False])) == \
        pytest.approx(0.6)


def test_presence_alpha_matches_the_krippendorff_package() -> None:
    import krippendorff

    rng = np.random.RandomState(3)
    for _ in range(20):
        truth = rng.rand(40) < 0.3
        predicted = truth ^ (rng.rand(40) < 0.2)
        expected = krippendorff.alpha(reliability_data=[truth.astype(int), predicted.astype(int)],
                                      level_of_measurement="nominal")
        value = presence_alpha(int((truth != predicted).sum()),
                               int(truth.sum() + predicted.sum()), 80)
        assert value == pytest.approx(expected)


def test_reason_framing_marks_voice_and_causal_talk_around_a_segment() -> None:
    from exitlens.coding.ensemble import reason_framing
    from exitlens.segment import segment_document

    document = segment_document("d", "Fictional. Markets were shelled in the spring. "
                                "\"We had no bread,\" she said. That is why she left.", "en")
    framing = reason_framing(document)
    texts = [s.text for s in document.segments]
    shelled = texts.index("Markets were shelled in the spring.")
    bread = next(i for i, t in enumerate(texts) if "bread" in t)
    assert framing[shelled].tolist() == [0.0, 0.0, 0.0]
    assert framing[bread][0] == 1.0 and framing[bread][2] == 1.0
    assert framing[-1][1] == 1.0
    assert not reason_framing(segment_document("f", "Elle est partie.", "fr")).any()
