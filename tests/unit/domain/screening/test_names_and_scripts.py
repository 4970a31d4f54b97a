"""Transliteration, consonant skeletons and name parsing (legal forms, acronyms, numbers)."""

from __future__ import annotations

import pytest

from exportguard.domain.screening import abjad
from exportguard.domain.screening.entries import Schema
from exportguard.domain.screening.names import PartKind, parse_name
from exportguard.domain.screening.transliteration import Script, ascii_words, fold, skeleton


def words(text: str) -> list[str]:
    return [w.text for w in ascii_words(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İbrahim ƏLİYEV", ["ibrahim", "eliyev"]),  # no stray combining dot from "İ".lower()
        ("Şükrü Çağlar Öğüt", ["sukru", "caglar", "ogut"]),
        ("Сергей Лавров", ["sergey", "lavrov"]),
        ("Αλέξης Τσίπρας", ["alexis", "tsipras"]),
        ("Հայաստան", ["hayastan"]),
        ("ბიძინა ივანიშვილი", ["bidzina", "ivanishvili"]),
        ("習近平", ["xi", "jin", "ping"]),
        ("Al-Qa'ida", ["al", "qaida"]),
    ],
)
def test_scripts_become_lower_case_ascii_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_arabic_script_words_keep_their_letters() -> None:
    arabic = ascii_words("محمد بن سلمان الزواهري")
    assert {w.script for w in arabic} == {Script.ABJAD}
    assert [w.original for w in arabic] == ["محمد", "بن", "سلمان", "الزواهري"]
    assert [w.text for w in ascii_words("عبد ال رحمن")] == ["bd", "al", "rhmn"]
    assert {w.script for w in ascii_words("Mohammed bin Salman")} == {Script.LATIN}


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("محمد", ["muhammad", "mohammed", "mohamed", "mehmed"]),
        ("حسین", ["hossein", "husain", "hussein"]),
        ("کریمی", ["karimi", "kerimi"]),
        ("فاطمه", ["fatemeh", "fatima", "fatma"]),
        ("علي", ["ali", "aly"]),
        ("אברהם", ["avraham", "abraham"]),
        ("الزواهري", ["alzawahiri", "zawahiri", "azzawahiri"]),
        ("عبدالرحمن", ["abdulrahman", "abderrahmane", "abdurrahman", "abdelrahman"]),
        ("عبدالله", ["abdullah", "abdallah", "abdellah"]),
        ("اسلام", ["islam"]),
        ("يحيى", ["yahya", "yahia"]),
        ("سيد", ["sayed", "sayyid"]),
        ("יוסף", ["yosef", "yusuf"]),
    ],
)
def test_abjad_words_read_as_their_latin_spellings(written: str, latin: list[str]) -> None:
    word = abjad.pattern(written)
    assert all(abjad.distance(word, fold(spelling)) == 0 for spelling in latin)


@pytest.mark.parametrize(
    ("written", "latin"),
    [("حسن", "hosseini"), ("حسن", "ehsan"), ("کریمی", "akram"), ("عباسی", "yasir"), ("جان", "jain")],
)
def test_abjad_words_do_not_read_as_names_with_other_letters(written: str, latin: str) -> None:
    assert abjad.distance(abjad.pattern(written), fold(latin)) >= 1


@pytest.mark.parametrize(
    ("first", "second"),
    [("sergei", "sergey"), ("muhammad", "mohamed"), ("yusuf", "youssef"), ("gazprom", "gasprom")],
)
def test_spelling_schemes_share_a_skeleton(first: str, second: str) -> None:
    assert skeleton(first) == skeleton(second)


@pytest.mark.parametrize(
    ("name", "core", "form"),
    [
        ("Gazprom OOO", ["gazprom"], "limited liability company"),
        ("OAO Gazprom", ["gazprom"], "joint stock company"),
        (
            "Baykar Makina Sanayi ve Ticaret A.Ş.",
            ["baykar", "makina", "sanayi", "ve", "ticaret"],
            "joint stock company",
        ),
        ("Goldman Sachs & Co. L.L.C.", ["goldman", "sachs", "and"], "limited liability company"),
        ("Siemens Gesellschaft mit beschränkter Haftung", ["siemens"], "limited liability company"),
        ("HSBC Holdings p.l.c.", ["hsbc"], "limited company"),
    ],
)
def test_legal_forms_are_taken_off_organisation_names(name: str, core: list[str], form: str) -> None:
    parsed = parse_name(name, Schema.ORGANISATION)
    assert [p.text for p in parsed.parts] == core
    assert form in parsed.legal_forms


def test_person_names_keep_words_that_look_like_legal_forms() -> None:
    parsed = parse_name("Ahmet Sa", Schema.PERSON)
    assert [p.text for p in parsed.parts] == ["ahmet", "sa"]
    assert parsed.legal_forms == ()


def test_dotted_acronyms_are_rejoined_and_number_words_become_digits() -> None:
    assert [p.text for p in parse_name("A.B.C. Company", Schema.ORGANISATION).parts] == ["abc"]
    parsed = parse_name("Three Percenters", Schema.ORGANISATION)
    assert [(p.text, p.kind) for p in parsed.parts] == [
        ("3", PartKind.NUMBER),
        ("percenters", PartKind.WORD),
    ]


def test_particles_initials_and_trade_words_weigh_less_than_names() -> None:
    person = {p.text: p.weight for p in parse_name("J. Ali al-Hassan", Schema.PERSON).parts}
    assert person["ali"] == 1.0
    assert person["j"] < person["ali"]
    assert person["al"] < person["j"]
    company = {p.text: p.weight for p in parse_name("Falcon Trading", Schema.ORGANISATION).parts}
    assert company["trading"] < company["falcon"]
