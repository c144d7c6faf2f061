"""The exit year of detected cases: years near the exit cues, relative dates resolved against
the publication date, and what is not an exit year. Snippets are invented; the corpus-level
guard is in test_cases.py."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from exitlens.cases import case_scores, detect_cases
from exitlens.ingest import ReadOptions
from exitlens.records import DetectedCase, GoldCase, GoldDocument
from exitlens.segment import segment_document
from exitlens.services.analyze import analyze_paths
from exitlens.services.project import init_project
from exitlens.settings import Settings
from exitlens.storage.tables import CaseRow


def exit_years(text: str, published: str | None = None,
               language: str = "en") -> dict[str, int | None]:
    document = replace(segment_document("doc", text, language), published=published)
    return {c.label: c.exit_year for c in detect_cases([document], parser=False)}


# -- years stated near the exit --------------------------------------------------------------


def test_the_year_an_exit_cue_governs() -> None:
    assert exit_years("Tarek, 31, from Sfax, deserted the Islamic State in 2016. He now "
                      "drives a taxi in Tunis.") == {"Tarek": 2016}
    assert exit_years("In 2017, Anouk, 24, from Ghent, walked away from the neo-Nazi group "
                      "Nordic Dawn. She now studies law.") == {"Anouk": 2017}
    assert exit_years("Tarek, 31, from Sfax, deserted the Islamic State in 2016; his mother, "
                      "who had last seen him at a wedding in 2013, wept.") == {"Tarek": 2016}


def test_a_cue_before_its_date_governs_it_more_than_one_after() -> None:
    assert exit_years("Yerlan, 41, from Aktau, lost faith in 2016, and he walked away from the "
                      "group in 2017.") == {"Yerlan": 2017}


def test_the_reasons_for_leaving_date_the_exit_less_well_than_the_leaving() -> None:
    assert exit_years("Idris, 35, from Gao, says what made him leave JNIM was the massacre of "
                      "2019; he walked out the next year.") == {"Idris": 2020}


def test_a_year_in_the_cue_sentence_beats_one_in_the_sentence_before() -> None:
    assert exit_years("Aziz, 30, from Diffa, was in the forest in 2012. He defected from Boko "
                      "Haram and, his mother says, the village celebrated in the rainy season "
                      "of 2015.") == {"Aziz": 2015}


def test_a_year_in_the_sentence_before_the_cue() -> None:
    assert exit_years("The purge came in the spring of 2018. That night Musa, 27, from "
                      "Konduga, walked away from Boko Haram and surrendered to soldiers. He now "
                      "farms.") == {"Musa": 2018}


def test_failing_those_the_nearest_year_further_away() -> None:
    assert exit_years("In 2019 the army reached the valley. The camp emptied. Food ran out. "
                      "Then Salif, 23, from Djibo, walked out of the forest and surrendered. He "
                      "now works as a mechanic.") == {"Salif": 2019}


def test_the_end_of_a_stretch_of_time_not_its_start() -> None:
    assert exit_years("Kemal, 28, from Bursa, stayed with the Islamic State until 2016, long "
                      "after the raid of 2012. He says he walked away after a purge.") == {
        "Kemal": 2016}
    assert exit_years("Kemal, 28, from Bursa, fought for the Islamic State from 2013. He says "
                      "he walked away after a purge.") == {"Kemal": None}


def test_years_counted_from_a_stated_one() -> None:
    assert exit_years("Ilse, 22, from Cottbus, joined the Brotherhood of the North in 2011. "
                      "Three years later she walked away from the group. She now works as a "
                      "nurse.") == {"Ilse": 2014}


def test_leaving_dates_the_exit_better_than_coming_home() -> None:
    assert exit_years("Amira, 30, a Dutch woman, left in 2017 and was repatriated in 2019. "
                      "She now lives in Utrecht.") == {"Amira": 2017}


# -- what is not an exit year ----------------------------------------------------------------


def test_joining_birth_and_the_account_are_not_the_exit() -> None:
    assert exit_years("Rafiq, 29, from Zarqa, deserted the Islamic State, which he had joined "
                      "in 2014. He now lives in Amman.") == {"Rafiq": None}
    assert exit_years("Rafiq, 29, from Zarqa, joined the Islamic State in 2014 and deserted in "
                      "2016. He now lives in Amman.") == {"Rafiq": 2016}
    assert exit_years("Lena, 31, from Malmo, walked away from the neo-Nazi group Nordic Storm; "
                      "she was born in 1994. She now works in a bakery.") == {"Lena": None}
    assert exit_years("Omar, 33, from Kismayo, defected from al-Shabaab, he told us in 2019. "
                      "He now lives in Nairobi.") == {"Omar": None}


def test_a_decade_is_not_a_year() -> None:
    assert exit_years("Joel, 40, from Umea, spent the 2010s with the Iron Wolves. In the end "
                      "Joel walked away from the group.") == {"Joel": None}


# -- dates relative to the publication date --------------------------------------------------


def test_last_year_and_years_ago_need_the_publication_date() -> None:
    text = ("Farah, 25, from Almaty, escaped from the Islamic State last year. She now lives "
            "with her mother.")
    assert exit_years(text, "2019-03-01") == {"Farah": 2018}
    assert exit_years(text) == {"Farah": None}
    assert exit_years(text.replace("last year", "two years ago"), "2019-03-01") == {
        "Farah": 2017}


def test_a_month_or_season_without_its_year_is_the_last_one_before_publication() -> None:
    text = ("Jonah, 35, from Red Deer, deserted the militia in November. He now works on a "
            "farm.")
    assert exit_years(text, "2020-03-15") == {"Jonah": 2019}
    assert exit_years(text, "2020-12-15") == {"Jonah": 2020}
    assert exit_years(text.replace("in November", "this spring"), "2020-06-15") == {
        "Jonah": 2020}


def test_collective_cases_and_days_of_the_week() -> None:
    assert exit_years("Around 40 al-Shabaab fighters surrendered to the army on Tuesday, "
                      "officials said.", "2022-10-12") == {"Around 40 al-Shabaab fighters": 2022}


def test_french_and_german_relative_dates() -> None:
    assert exit_years("Nous l'appellerons Nadia. Partie en Syrie en 2014, elle a quitté l'État "
                      "islamique il y a trois ans et elle est rentrée en Belgique.",
                      "2019-05-02", "fr") == {"Nadia": 2016}
    assert exit_years("Die 26-jährige Jana K. aus Cottbus gehörte acht Jahre lang zur "
                      "Kameradschaft. Im Herbst ist sie ausgestiegen.", "2020-03-01",
                      "de") == {"Jana K.": 2019}


# -- measured, stored and written out ---------------------------------------------------------


def test_exit_years_are_scored_where_the_gold_gives_one() -> None:
    gold = [GoldDocument("doc", True, "en", tuple(
        GoldCase(label, "male", "TN", False, (), exit_year=year)
        for label, year in (("Khaled", 2015), ("Omar", None), ("Musa", 2017))))]
    found = [DetectedCase("doc", f"c{i}", label, False, "male", "TN", ((0, 1),), exit_year=year)
             for i, (label, year) in enumerate((("Khaled", 2015), ("Omar", 2014),
                                                ("Musa", 2016)), start=1)]
    scores = case_scores(found, gold)
    assert scores.exit_year_pairs == 2 and scores.exit_year_accuracy == 0.5


def test_analyze_stores_the_exit_year_and_writes_it_to_the_jsonl(
        tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "accounts"
    folder.mkdir()
    (folder / "farah.txt").write_text(
        "---\npublished: 2019-03-01\n---\nFarah, 25, from Almaty, escaped from the Islamic "
        "State last year after her husband was killed. She said the fighters had stopped "
        "paying the widows and that she was afraid of the planes. (Fictional.)\n",
        encoding="utf-8")
    project = init_project(settings, tmp_path / "p")
    out = tmp_path / "out.jsonl"
    with project.store() as store, out.open("w", encoding="utf-8") as handle:
        analyze_paths(store, project.root, [str(folder)], actor="tester",
                      options=ReadOptions(), coders=["keyword.v1"], jsonl=handle)
        with store.session() as tx:
            stored = tx.orm.execute(select(CaseRow.exit_date,
                                           CaseRow.exit_date_precision)).all()
    [line] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [case["exit_year"] for case in line["cases"]] == [2018]
    assert [tuple(row) for row in stored] == [("2018", "year")]


@pytest.mark.parametrize("published", ["2019", "2019-03", "2019-03-01", "soon", None])
def test_any_publication_date_format_is_read_or_ignored(published: str | None) -> None:
    text = ("Farah, 25, from Almaty, escaped from the Islamic State in 2018. She now lives "
            "with her mother.")
    assert exit_years(text, published) == {"Farah": 2018}
