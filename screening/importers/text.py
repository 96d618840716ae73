"""Small text helpers shared by the parsers: whitespace, scripts, countries and partial dates."""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import pycountry

_SPACE = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """Collapse runs of whitespace (line breaks and no-break spaces too) into one space."""
    return _SPACE.sub(" ", text or "").strip()


def split_list(text: str | None, separator: str = ";") -> list[str]:
    """The non-empty, cleaned parts of a separated cell."""
    return [part for part in (clean(piece) for piece in (text or "").split(separator)) if part]


# --- scripts -------------------------------------------------------------------------------
# The Unicode character name says which script a letter belongs to ("ARABIC LETTER ALEF",
# "CJK UNIFIED IDEOGRAPH-4E2D"). These words map several names to one script.
_SCRIPT_WORDS = {
    "CJK": "Han",
    "IDEOGRAPHIC": "Han",
    "HANGUL": "Hangul",
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
    "LATIN": "Latin",
}


@cache
def _char_script(char: str) -> str:
    name = unicodedata.name(char, "")
    words = name.split()
    for word in words:
        if word in _SCRIPT_WORDS:
            return _SCRIPT_WORDS[word]
    return words[0].title() if words else ""


def name_script(name: str) -> str:
    """The script most of the name's letters are written in: Latin, Arabic, Cyrillic, Han,
    Hangul, Kana, Greek, Hebrew, ... ("" when the name has no letters)."""
    counts: dict[str, int] = {}
    for char in name:
        if char.isalpha():
            script = _char_script(char)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return ""
    return max(counts, key=lambda script: (counts[script], script != "Latin"))


# --- countries -----------------------------------------------------------------------------
# OFAC's own country names with their ISO codes, as published in the reference values of
# OFAC's enhanced XML (CONS_ENHANCED.XML, 2025-01); the legacy CSV files use the same names.
_OFAC_COUNTRIES_FILE = Path(__file__).with_name("ofac_countries.json")
# Names found in the lists that neither OFAC's table nor ISO 3166 (pycountry) resolve.
_MORE_COUNTRY_NAMES = {
    "west bank": "PS",
    "gaza": "PS",
    "region: gaza": "PS",
    "palestine": "PS",
    "occupied palestinian territory": "PS",
    "kosovo": "XK",  # a user-assigned code, used by the EU and the UK lists
    "turkey": "TR",
    "russia": "RU",
    "burma": "MM",
    "macedonia": "MK",
    "swaziland": "SZ",
    "cape verde": "CV",
    "brunei": "BN",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "korea, north": "KP",
    "north korea": "KP",
    "korea, south": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "democratic people's republic of korea": "KP",
    "iran (islamic republic of)": "IR",
    "democratic republic of the congo": "CD",
    "congo, democratic republic of the": "CD",
    "republic of the congo": "CG",
    "congo": "CG",
    "united states of america": "US",
    "usa": "US",
    "uk": "GB",
    "great britain": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "vatican": "VA",
    "syria": "SY",
    "laos": "LA",
    "the gambia": "GM",
    "gambia, the": "GM",
    "bahamas, the": "BS",
    "the bahamas": "BS",
    "state of palestine": "PS",
    "china, hong kong special administrative region": "HK",
    "china, macao special administrative region": "MO",
    "prc": "CN",
    "region: crimea": "UA",
}


@cache
def _country_table() -> dict[str, str]:
    with _OFAC_COUNTRIES_FILE.open(encoding="utf-8") as table:
        ofac = json.load(table)
    names = {_country_key(name): code for name, code in ofac.items() if code}
    names.update(_MORE_COUNTRY_NAMES)
    return names


def _country_key(name: str) -> str:
    return clean(name).casefold().strip(" .")


@cache
def country_code(name: str | None) -> str:
    """ISO 3166-1 alpha-2 code for a country name or code as the lists write it ("" if unknown)."""
    text = clean(name)
    if not text:
        return ""
    if len(text) == 2 and text.isalpha():
        country = pycountry.countries.get(alpha_2=text.upper())
        return country.alpha_2 if country else ("XK" if text.upper() == "XK" else "")
    found = _country_table().get(_country_key(text))
    if found:
        return found
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return ""


# --- partial dates -------------------------------------------------------------------------
_MONTHS = {
    month: number
    for number, month in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_APPROXIMATE = re.compile(r"^(?:circa|approximately|approx\.?|about|ca\.|c\.)\s*", re.IGNORECASE)
_RANGE = re.compile(r"^(?:between\s+)?(.+?)\s+(?:to|and|-|\u2013)\s+(.+)$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_LONGEST_EXPANDED_RANGE = 10


def _partial(year: int, month: int = 0, day: int = 0) -> str:
    if not 1800 <= year <= 2100:
        return ""
    if not 1 <= month <= 12:
        return f"{year:04d}"
    if not 1 <= day <= 31:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _one_date(text: str) -> str:
    text = _APPROXIMATE.sub("", clean(text)).strip(" .")
    if match := _ISO.match(text):
        year, month, day = (int(part or 0) for part in match.groups())
        return _partial(year, month, day)
    if match := _NUMERIC_DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        return _partial(year, month, day if month else 0)
    if match := _WORDS.match(text):
        day, month_name, year = match.groups()
        month = _MONTHS.get(month_name[:3].casefold(), 0)
        return _partial(int(year), month, int(day or 0)) if month else ""
    return ""


def partial_dates(text: str | None) -> list[str]:
    """Dates of birth as partial ISO strings (YYYY, YYYY-MM or YYYY-MM-DD), keeping only
    what the list states. "circa 1970" gives ["1970"]; a range of years gives every year in
    it (up to ten years), a longer or finer range gives its two ends. Unreadable text gives []."""
    text = _APPROXIMATE.sub("", clean(text))
    if not text:
        return []
    single = _one_date(text)
    if single:
        return [single]
    if match := _RANGE.match(text):
        start, end = _one_date(match.group(1)), _one_date(match.group(2))
        if len(start) == len(end) == 4 and 0 < int(end) - int(start) <= _LONGEST_EXPANDED_RANGE:
            return [str(year) for year in range(int(start), int(end) + 1)]
        return [date for date in (start, end) if date]
    return []
