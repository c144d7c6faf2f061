"""Cases: who a document is about. People (and groups of people) whose leaving of an extremist
group a text describes, with gender, country of origin and the group left; coded spans
attributed to them; and alignment with gold cases for evaluation.

    cases = detect_cases(documents)              # DetectedCase records, keys c1, c2, ...
    pairs = attribute_hits(hits, cases, documents)  # (hit, case key or None)
    scores = case_scores(cases, gold_documents)  # precision, recall, attribute accuracy

spaCy (the small English model) sharpens who an exit cue is about; without it the rules run
on patterns alone.
"""

from exitlens.cases.attribution import attribute_hits
from exitlens.cases.detect import detect_cases
from exitlens.cases.evaluation import CaseScores, align_cases, case_scores, label_similarity
from exitlens.cases.gazetteer import find_places, lookup

__all__ = ["CaseScores", "align_cases", "attribute_hits", "case_scores", "detect_cases",
           "find_places", "label_similarity", "lookup"]
