"""The explainable scorer (issue 4, point 5): properties of its scores and the shape of its
explanations, including comparisons across scripts."""

import random

import pytest

from screening.matching import scorer
from screening.matching.engine import compare, compare_explained
from screening.matching.normalize import normalise_name
from screening.matching.scorer import name_similarity, score_pair
from screening.matching.types import Candidate, Query

HIGH = 0.85  # comfortably above the default threshold (0.8)
LOW = 0.7  # comfortably below it


def listed(name, schema="unknown", **facts):
    return Candidate(
        list_code="test", entry_id="1", entry_name=name, name=name, schema=schema, **facts
    )


def score(query, name, *, schema="any", candidate_schema="unknown", **facts):
    query_facts = {k: facts.pop(k) for k in ("country", "birth_date", "identifiers") if k in facts}
    result, _ = score_pair(
        Query(query, schema=schema, **query_facts), listed(name, candidate_schema, **facts)
    )
    return result


def test_score_pair_gives_one_for_the_same_name():
    assert score("Vladimir Putin", "Vladimir Putin") == 1.0
    assert score("PUTIN, Vladimir", "Vladimir Putin", schema="person") == 1.0
    assert score("Bank Melli Iran", "BANK MELLI IRAN") == 1.0


def test_score_pair_scores_typos_and_spelling_variants_high():
    assert score("Vladimr Putin", "PUTIN, Vladimir") >= HIGH
    assert score("Vladimir Puttin", "PUTIN, Vladimir") >= HIGH
    assert score("Muhammad Ali", "Mohammed Ali") >= HIGH  # phonetic agreement
    assert score("Abdulrahman Yousef", "Abdul Rahman Yousef") >= HIGH  # compound names
    assert score("Ivanov Ivan", "Ivan Ivanoff") >= HIGH


def test_score_pair_scores_different_family_names_low():
    assert score("John Smith", "John Brown") < LOW
    assert score("Mohammed Hassan", "Mohammed Rahimi") < LOW
    assert score("Kim Jong Un", "Kim Yo Jong") < 0.8


def test_score_pair_needs_the_whole_query_for_a_match():
    # One word of a longer listed name is not a match on its own.
    assert score("Putin", "PUTIN, Vladimir Vladimirovich") < 0.8
    # A query for two of three listed names is.
    assert score("Vladimir Putin", "PUTIN, Vladimir Vladimirovich") >= 0.8


def test_score_pair_keeps_numbers_apart():
    assert score("11420 Corp.", "Acme Corp.") < 0.3
    assert score("11420 Corp.", "11421 Corp.") < 0.3
    assert score("11420 Corp.", "11420 Corporation") >= HIGH
    assert score("Sukhoi 100", "Sukhoi 200") < LOW


def test_score_pair_never_matches_on_legal_forms_or_titles_alone():
    value, explanation = score_pair(Query("Zenith LLC"), listed("Acme LLC"))
    assert value <= scorer.NO_CORE_CAP
    assert "capped" in explanation["name"]
    assert score("Dr. John Doe", "Dr. Richard Roe") < 0.3
    assert score("Joint Stock Company Zvezda", "Joint Stock Company Almaz") <= scorer.NO_CORE_CAP


def test_score_pair_accepts_legal_form_variants():
    assert score("Acme LLC", "ACME Limited Liability Company") >= HIGH
    assert score("Acme Corp.", "ACME CORPORATION") >= HIGH
    assert score("Rosneft", "ROSNEFT OAO") >= HIGH


def test_score_pair_matches_short_names_only_exactly():
    assert score("VEB", "VEB") == 1.0
    assert score("VEB", "VTB") == 0.0
    assert score("Ali", "Aly") == 0.0


def test_score_pair_lowers_on_country_conflict_and_not_on_missing_country():
    base = score("Ivan Petrov", "Ivan Petrov Sidorov", countries=("RU",))
    assert score("Ivan Petrov", "Ivan Petrov Sidorov", countries=("RU",), country="UA") < base
    assert score("Ivan Petrov", "Ivan Petrov Sidorov", countries=("RU",), country="RU") > base
    assert score("Ivan Petrov", "Ivan Petrov Sidorov", country="UA") == base  # list has none
    assert base == score("Ivan Petrov", "Ivan Petrov Sidorov")


def test_score_pair_lowers_on_birth_date_conflict_and_not_on_missing_date():
    base = score("Ivan Petrov", "Ivan Petrov Sidorov", birth_dates=("1961-05-03",))
    same_year = score(
        "Ivan Petrov", "Ivan Petrov Sidorov", birth_dates=("1961",), birth_date="1961-05-03"
    )
    same_day = score(
        "Ivan Petrov", "Ivan Petrov Sidorov", birth_dates=("1961-05-03",), birth_date="1961-05-03"
    )
    near = score("Ivan Petrov", "Ivan Petrov Sidorov", birth_dates=("1961",), birth_date="1962")
    far = score("Ivan Petrov", "Ivan Petrov Sidorov", birth_dates=("1961",), birth_date="1975")
    assert far < near < base < same_year < same_day
    assert score("Ivan Petrov", "Ivan Petrov Sidorov", birth_date="1975") == base
    # Any of several listed dates agreeing is agreement.
    assert (
        score("Ivan Petrov", "Ivan Petrov Sidorov", birth_dates=("1950", "1961"), birth_date="1961")
        > base
    )


def test_score_pair_raises_on_an_identifier_in_the_name_or_given():
    base = score("Sea Star", "SEA STAR II")
    with_imo, explanation = score_pair(
        Query("Sea Star 9187629"), listed("SEA STAR II", identifiers=("9187629",))
    )
    assert with_imo > score("Sea Star 9187629", "SEA STAR II")
    assert explanation["identifier"]["matched"] == ["9187629"]
    given = score_pair(
        Query("Sea Star", identifiers=("ab-123",)), listed("SEA STAR II", identifiers=("AB123",))
    )[0]
    assert given > base


def test_score_pair_lowers_a_schema_conflict():
    assert score("Acme", "Acme", schema="person", candidate_schema="entity") < 1.0
    assert score("Acme", "Acme", schema="person", candidate_schema="unknown") == 1.0


def test_score_pair_compares_cyrillic_with_latin_through_transliteration():
    value, explanation = score_pair(
        Query("Владимир Путин"), listed("PUTIN, Vladimir Vladimirovich", "person")
    )
    assert value >= 0.8
    assert explanation["script"] == "cross-script via transliteration"
    assert [row["candidate"] for row in explanation["name"]["tokens"]] == ["vladimir", "putin"]


def test_score_pair_compares_arabic_with_latin_by_consonants():
    # The UN list's original-script name of entry 6908048 and its Latin primary name.
    value, explanation = score_pair(
        Query("صدام حسين التكريتي"), listed("SADDAM HUSSEIN AL-TIKRITI", "person")
    )
    assert value >= 0.8
    assert explanation["script"] == "cross-script via transliteration"
    # Entries whose Latin spelling splits and joins words differently from the Arabic.
    assert score("عبد القادر لاغوب", "ABDELKADER LAAGOUB") >= 0.8
    assert score("شمس الدین", "SHAMSUDDIN") >= 0.8
    assert score("مطيع الله", "MATIULLAH") >= 0.8
    # ... and an Arabic name against another person's Latin name stays low.
    assert score("صدام حسين التكريتي", "IZZAT IBRAHIM AL-DURI") < LOW


def test_score_pair_compares_same_script_names_in_their_script():
    value, explanation = score_pair(
        Query("صدام حسين التكريتي"), listed("صدام حسين التكريتي", "person")
    )
    assert value == 1.0
    assert explanation["script"] == "same script"
    assert score("قصي صدام حسين التكريتي", "عزت ابراهيم الدوري") < 0.3
    assert score("Владимир Путин", "Путин Владимир Владимирович") >= 0.8


def test_score_pair_compares_korean_across_romanization_systems():
    # rigour writes Hangul in the Revised Romanization ("gimjeong eun"); lists do not.
    value, explanation = score_pair(Query("김정은"), listed("KIM, Jong Un", "person"))
    assert value >= 0.9
    assert explanation["script"] == "cross-script via transliteration"
    assert score("최룡해", "CHOE, Ryong Hae") >= 0.9
    assert score("리병철", "RI, Pyong Chol") >= 0.9
    assert score("김정은", "KIM, Yo Jong") < LOW


def test_score_pair_compares_chinese_through_pinyin():
    assert score("罗定文", "LUO, Dingwen") >= HIGH


def test_score_pair_explains_every_feature():
    value, explanation = score_pair(
        Query("Ivan Ivanoff", country="RU", birth_date="1961"),
        listed("IVANOV, Ivan", "person", countries=("RU",), birth_dates=("1961-01-02",)),
    )
    assert set(explanation) >= {
        "name",
        "phonetic",
        "country",
        "birth_date",
        "identifier",
        "script",
    }
    rows = explanation["name"]["tokens"]
    assert {"query": "ivanoff", "candidate": "ivanov"}.items() <= rows[1].items()
    assert 0 < rows[1]["similarity"] < 1
    assert explanation["country"] == {"query": "RU", "candidate": ["RU"], "effect": 0.03}
    assert explanation["birth_date"]["effect"] > 0
    assert explanation["script"] == "same script"
    assert 0 <= value <= 1


def test_score_pair_stays_within_zero_and_one():
    rng = random.Random(7)  # noqa: S311
    words = ["al", "ivan", "acme", "llc", "11420", "dr", "bank", "mohammed", "ali", "x", "corp"]
    for _ in range(300):
        left = " ".join(rng.choices(words, k=rng.randint(1, 4)))
        right = " ".join(rng.choices(words, k=rng.randint(1, 4)))
        value, _ = score_pair(
            Query(left, country=rng.choice([None, "RU"]), birth_date=rng.choice([None, "1970"])),
            listed(right, countries=("UA",), birth_dates=("1960",)),
        )
        assert 0.0 <= value <= 1.0


def test_name_similarity_gives_the_same_result_with_and_without_cdist(monkeypatch):
    pairs = [
        ("State Shipbuilding Corporation 705th Research Institute", "705 RESEARCH INSTITUTE"),
        ("Abu Bakr al-Baghdadi al-Husayni al-Qurashi", "ABU BAKR AL BAGHDADI"),
        ("J. R. R. Tolkien Mohammed", "John Ronald Reuel Tolkien Muhammad"),
    ]
    results = []
    for threshold in (1, 10_000):
        monkeypatch.setattr(scorer, "CDIST_MIN_PAIRS", threshold)
        results.append(
            [name_similarity(normalise_name(a), normalise_name(b), explain=True) for a, b in pairs]
        )
    assert results[0] == results[1]


@pytest.mark.parametrize(
    ("left", "right", "matches"),
    [
        ("Vladimir Putin", "PUTIN, Vladimir Vladimirovich", True),
        ("Acme Corp.", "11420 Corp.", False),
    ],
)
def test_compare_scores_two_names_with_the_screening_scorer(left, right, matches):
    assert (compare(left, right) >= 0.8) is matches
    assert compare_explained(left, right)[0] == compare(left, right)


def test_score_pair_does_not_find_a_person_by_one_of_several_names():
    assert score("Leila", "VASEGHI, Leila", candidate_schema="person") <= scorer.ONE_WORD_CAP
    assert score("Fang", "Fang Yu") <= scorer.ONE_WORD_CAP
    # An organisation may be found by its one distinctive word.
    assert score("Rosneft", "ROSNEFT TRADING", candidate_schema="entity") >= 0.8


def test_score_pair_weighs_generic_words_of_organisations_little():
    assert (
        score(
            "Clearwater Research and Development Center Novosibirsk",
            "Microelectronic Research and Development Center Novosibirsk",
        )
        < LOW
    )
    assert score("Bank Melli Iran", "Bank Sepah Iran") < LOW
    assert score("Bank Melli", "BANK MELLI IRAN") >= HIGH


def test_score_pair_does_not_match_on_numbers_alone_beside_other_names():
    assert score("MS-20", "EL 20") <= scorer.NO_CORE_CAP
    assert score("Inc. 1", "1-P") <= scorer.NO_CORE_CAP


def test_score_pair_compares_codes_of_letters_and_digits():
    assert score("SOURCE1HREBS", "SOURCE1HERBS") >= 0.8
    assert score("MS13", "MS-13") >= HIGH
    assert score("ASTROL1", "ASTROL-1") >= HIGH
    assert score("ASTROL1", "ASTROL2") < LOW


def test_score_pair_treats_a_final_roman_numeral_as_a_number():
    assert score("ZEPHYR I", "ZEPHYR I", candidate_schema="vessel") == 1.0
    assert score("ZEPHYR II", "ZEPHYR I", schema="vessel", candidate_schema="vessel") < 0.8
    assert score("ZEPHYR OAO", "ZEPHYR I", candidate_schema="vessel") < 0.8


def test_score_pair_ignores_titles_missing_on_one_side():
    assert score("Maj. Gen. Qasem Soleimani", "QASEM SOLEIMANI") >= HIGH
    assert score("Haji Hu Yongan", "HU, Yongan") >= HIGH
