"""Name normalisation (issue 4, point 4): case, accents, punctuation, order, legal forms,
honorifics, numbers, short names, scripts and the keys the matcher compares by."""

import pytest

from screening.matching.normalize import (
    GENERIC,
    HONORIFIC,
    LEGAL,
    NAME,
    NUMBER,
    STOP,
    normalise_name,
    phonetic_key,
    script_of,
    skeleton,
    syllable_key,
    transliterate,
)


def kinds_of(text, schema="any"):
    normal = normalise_name(text, schema)
    return dict(zip(normal.tokens, normal.kinds, strict=True))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Müller-Lüdenscheidt", "MULLER LUDENSCHEIDT"),
        ("Şahin Çelik", "sahin celik"),
        ("Đorđe Ødegaard", "Dorde Odegaard"),
        ("ÉCOLE  Supérieure", "ecole superieure"),
    ],
)
def test_normalise_name_folds_case_and_accents(left, right):
    assert normalise_name(left).tokens == normalise_name(right).tokens


def test_normalise_name_drops_punctuation_and_joins_apostrophes():
    assert normalise_name("O'Brien, J.-P. (Jr.)", "person").tokens == ("j", "p", "jr", "obrien")
    assert normalise_name("'ALI, Muhammad", "person").tokens == ("muhammad", "ali")


def test_normalise_name_turns_last_comma_first_around():
    assert normalise_name("PUTIN, Vladimir Vladimirovich", "person").tokens == (
        "vladimir",
        "vladimirovich",
        "putin",
    )
    # A comma before a legal form, or in an organisation's name, is no "LAST, First".
    assert normalise_name("ACME, INC.").tokens == ("acme", "inc")
    assert normalise_name("OTKRYTOE, AKTSIONERNOE OBSHCHESTVO LADOGA").tokens[0] == "otkrytoe"


@pytest.mark.parametrize(
    ("text", "legal"),
    [
        ("Acme LLC", ["llc"]),
        ("Acme Corp.", ["corp"]),
        ("ACME LIMITED", ["limited"]),
        ("Siemens Aktiengesellschaft", ["aktiengesellschaft"]),
        ("AECC Commercial Aircraft Engine Co. Ltd.", ["co", "ltd"]),
        ("Joint Stock Company Severnaya Verf", ["joint", "stock", "company"]),
        ("OOO Romashka", ["ooo"]),
        ("ООО Ромашка", ["ooo"]),  # noqa: RUF001
        ("ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ БАЛТЕХ", None),  # noqa: RUF001 (legal form)
    ],
)
def test_normalise_name_tags_legal_forms(text, legal):
    kinds = kinds_of(text, "entity")
    tagged = [token for token, kind in kinds.items() if kind == LEGAL]
    if legal is None:
        assert [token for token, kind in kinds.items() if kind != LEGAL] == ["balteh"]
    else:
        assert tagged == legal
    assert any(kind == NAME for kind in kinds.values())


def test_normalise_name_leaves_people_without_legal_forms():
    assert normalise_name("Li Ag", "person").kinds == NAME * 2
    assert normalise_name("Li Ag", "any").kinds == NAME + LEGAL


def test_normalise_name_tags_honorifics_at_the_start_only():
    assert kinds_of("Dr. Ali Hassan") == {"dr": HONORIFIC, "ali": NAME, "hassan": NAME}
    assert kinds_of("General Qasem Soleimani", "person")["general"] == HONORIFIC
    assert kinds_of("SMITH, Dr. John", "person")["dr"] == HONORIFIC
    assert kinds_of("Doctor", "person") == {"doctor": NAME}  # a name is never all title
    assert kinds_of("General Trading", "entity")["general"] == NAME


def test_normalise_name_keeps_numbers_as_tokens():
    assert kinds_of("11420 Corp.") == {"11420": NUMBER, "corp": LEGAL}
    assert normalise_name("JSC 711 Aircraft Repair Plant").tokens[1] == "711"
    assert normalise_name("11420 Corp.").numbers == {"11420"}


def test_normalise_name_tags_stop_words():
    assert kinds_of("Abu Bakr al-Baghdadi") == {
        "abu": NAME,
        "bakr": NAME,
        "al": STOP,
        "baghdadi": NAME,
    }


def test_normalise_name_marks_short_one_word_names():
    assert normalise_name("VEB").short
    assert normalise_name("VEB Ltd").short  # the legal form is not part of the name
    assert not normalise_name("Acme").short
    assert not normalise_name("VEB Capital").short


def test_normalise_name_compares_only_legal_forms_when_nothing_else():
    normal = normalise_name("The Company")
    assert normal.tokens == ("the", "company")
    assert normal.kinds == NAME * 2


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Vladimir Putin", "Latin"),
        ("Владимир Путин", "Cyrillic"),
        ("صدام حسين التكريتي", "Arabic"),
        ("金正恩", "Han"),
        ("김정은", "Hangul"),
        ("Ἀλέξανδρος", "Greek"),
        ("11420", ""),
    ],
)
def test_script_of_names_the_main_script(text, script):
    assert script_of(text) == script


def test_normalise_name_keeps_original_script_tokens_beside_the_transliteration():
    cyrillic = normalise_name("Владимир Путин")
    assert cyrillic.tokens == ("vladimir", "putin")
    assert cyrillic.native == ("владимир", "путин")
    assert cyrillic.script == "Cyrillic"
    assert normalise_name("Vladimir Putin").native == ()


def test_normalise_name_splits_the_arabic_article_and_folds_letter_variants():
    normal = normalise_name("صدام حسين التكريتي")
    assert normal.tokens == ("sdam", "hsyn", "al", "tkryty")
    assert normal.kinds == "nnsn"
    # Short vowels, hamza on alef and ta marbuta / ha are written either way.
    assert normalise_name("أَحْمَد").native == normalise_name("احمد").native
    assert normalise_name("فاطمة").native == normalise_name("فاطمه").native


def test_normalise_name_transliterates_other_scripts():
    assert transliterate("Ромашка") == "romashka"
    assert normalise_name("金正恩").tokens == ("jin", "zheng", "en")
    assert normalise_name("金正恩").kinds == NAME * 3  # no stop words among syllables


def test_phonetic_and_skeleton_keys_bridge_spellings():
    assert phonetic_key("mohammed") == phonetic_key("muhammad") == phonetic_key("mohamed")
    assert phonetic_key("11420") == "11420"
    assert skeleton("hussein") == skeleton("hsyn") == "hsn"
    assert (
        normalise_name("ABDELKADER LAAGOUB").skeletons[0]
        in normalise_name("عبد القادر لاغوب").skeletons
    )
    assert set(normalise_name("SHAMSUDDIN").skeletons) & set(normalise_name("شمس الدین").skeletons)


def test_normalise_name_tags_generic_words_of_organisations():
    assert kinds_of("Bank Melli Iran") == {"bank": GENERIC, "melli": NAME, "iran": GENERIC}
    assert kinds_of("Jordan Peterson") == {"jordan": NAME, "peterson": NAME}  # no organisation
    assert kinds_of("Research Center", "entity") == {"research": NAME, "center": NAME}


def test_normalise_name_knows_legal_forms_in_other_transliterations():
    normal = normalise_name("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU NR-DEL")
    assert normal.kinds == LEGAL * 4 + NAME + STOP
    assert "llc" in normal.legal_forms
    assert "llc" in normalise_name("Limited Liability Company NR-DEL").legal_forms


def test_normalise_name_reads_a_final_roman_numeral_as_a_number():
    assert kinds_of("ZEPHYR II", "vessel") == {"zephyr": NAME, "ii": NUMBER}
    assert kinds_of("Ali I", "person") == {"ali": NAME, "i": NAME}


def test_normalise_name_finds_a_title_before_a_family_name():
    normal = normalise_name("Colonel DJORDA, Samojko", "person")
    assert dict(zip(normal.tokens, normal.kinds, strict=True)) == {
        "samojko": NAME,
        "colonel": HONORIFIC,
        "djorda": NAME,
    }
    assert [normal.tokens[i] for i in normal.family] == ["djorda"]


def test_syllable_key_folds_korean_romanizations_in_written_order():
    assert syllable_key(normalise_name("KIM, Jong Un", "person")) == syllable_key(
        normalise_name("김정은")
    )
    assert syllable_key(normalise_name("Vladimir Vladimirovich Putin")) == ""
