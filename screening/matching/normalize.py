"""Name normalisation: one name in, comparable tokens out.

Why each step (issue 4, point 4):
- case, accents and punctuation: NFKC, Unicode casefold and rigour's name tokeniser (which
  knows which Unicode categories separate name parts and drops combining marks), then
  rigour's transliteration to ASCII, so "Müller" and "MULLER" give the same token;
- "LAST, First" (the OFAC and UN way of writing people) is turned into "First LAST", so
  that ordered comparisons (compound names, initials) line up with how people type names;
- legal forms (LLC, Ltd, OOO, GmbH, ...) come from rigour's org-type database (ISO 20275 and
  OCCRP's list) plus the few generic English words it leaves out (corp, company, co), and
  honorifics from rigour's person-prefix list. Both are kept as tagged tokens with a small
  weight: they can confirm a match but never make one on their own;
- numbers are kept as tokens that only ever match the same number, so "11420 Corp." and
  "Acme Corp." share nothing but a legal form (a final roman numeral of an organisation's
  or vessel's name, "ZEPHYR II", is a number too);
- a name of one short word ("VEB") is flagged `short`: it only matches exactly;
- every token carries its metaphone key (jellyfish) so that "Mohammed" and "Muhammad" agree
  phonetically even where the spelling differs by more than a typo;
- names in another script keep their original-script tokens (`native`) beside the ASCII
  transliteration (`tokens`), so the scorer can compare Arabic with Arabic and Cyrillic with
  Cyrillic when the list carries an original-script name, and transliterate otherwise;
- the generic words of organisations' names (bank, trading, research, services, a place)
  come from rigour's organisation-name tagger and weigh less than a distinctive name, so
  "Bank Melli Iran" and "Bank Sepah Iran" stay apart;
- names in an abjad script (Arabic) also get consonant skeletons, and Korean names a key
  that folds the romanization systems together (rigour writes Hangul as "gimjeong eun",
  lists as "KIM Jong Un").

Token kinds (one character per token, in `NormalisedName.kinds`): n name, d number, g generic
word of an organisation's name, l legal form, h honorific, s stop word (name particles such
as al, bin, de, van; for organisations also rigour's stop words).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rigour._core import person_name_prefixes_list, stopwords_list
from rigour.names import NameTypeTag, analyze_names, extract_org_types, tokenize_name
from rigour.text.scripts import text_scripts
from rigour.text.translit import ascii_text

NAME, NUMBER, LEGAL, HONORIFIC, STOP, GENERIC = "n", "d", "l", "h", "s", "g"
# What a token counts for in a comparison: legal forms, honorifics and stop words little,
# the generic words of organisations' names (bank, trading, research, a place) less than a name.
KIND_WEIGHT = {NAME: 1.0, NUMBER: 1.0, LEGAL: 0.15, HONORIFIC: 0.1, STOP: 0.2, GENERIC: 0.4}
CORE_KINDS = NAME + NUMBER + GENERIC  # the kinds a name can be found by

# rigour's org-type database covers legal forms proper (Ltd, LLC, GmbH, OOO, JSC, ...) but
# not the generic English words for a company, which sanctions lists use constantly.
GENERIC_COMPANY_WORDS = frozenset(
    {"co", "company", "companies", "corp", "corporation", "inc", "incorporated", "cia", "cie"}
)
GENERIC_COMPANY_FORM = "llc"  # rigour's generic kind for Inc, Ltd, GmbH: a company
# Stop words. rigour's multilingual list holds words that are also given names or syllables
# of names ("un" in "Kim Jong Un", "an", "do", "wa", "ja"), so people's names only treat as
# stop words the particles they are written with and without (articles, "son of", "of").
PERSON_PARTICLES = frozenset(
    {
        "al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "bin", "ibn", "ben", "bint",
        "binti", "da", "das", "de", "del", "della", "der", "des", "di", "dos", "du", "la",
        "las", "le", "los", "van", "von", "y",
    }
)  # fmt: skip
# Titles rigour's person-prefix list leaves out: military abbreviations and the religious
# and honorary titles sanctions lists write before Arabic, Persian and Pashto names.
EXTRA_HONORIFICS = (
    "maj", "gen", "col", "lt", "brig", "sgt", "adm", "sayyed", "sayed", "sayyid", "haji",
    "hajji", "sheikh", "shaykh", "mullah", "mulla", "maulavi", "mawlawi", "maulana", "qari",
)  # fmt: skip
# Roman numerals ending an organisation's or vessel's name ("ZEPHYR I") are numbers.
ROMAN_NUMERALS = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"})
ORG_SCHEMAS = ("entity", "vessel", "aircraft")
SHORT_LEGAL_FORMS = frozenset(
    {"sa", "ag", "bv", "nv", "ab", "as", "oy", "kg", "kk", "se", "ao", "co", "sl", "sc", "gk"}
)
NAME_SYLLABLES = frozenset({"an", "un", "en", "em", "ja", "wa", "do", "et", "ve", "za", "mit"})
# Scripts written without vowels: their transliterations are consonant skeletons, so the
# scorer also compares skeletons ("sdam hsyn" against "saddam hussein").
ABJAD_SCRIPTS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})
_ARABIC_ARTICLE = "\u0627\u0644"  # al-, written joined to the word
# Letter variants Arabic-script names are spelt with interchangeably (after NFKD has taken
# the hamza and madda off alef): alef maqsura / ya, ta marbuta / ha, Persian ya and kaf.
_ARABIC_FOLD = str.maketrans({"ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك", "ـ": None})  # noqa: RUF001
# Scripts whose transliterations are syllables, not words: no stop words among them.
DENSE_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Hangul"})
SHORT_NAME_MAX = 3
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGIT = re.compile(r"\d")
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name ready for comparison.

    `tokens` are ASCII, lower case, given names first; `kinds` gives each token's kind;
    `phonetic` each token's metaphone key. `native` holds the original-script tokens (with
    `native_kinds`) when the name is not written in Latin script, else it is empty.
    `script` is the name's main script ("Latin", "Arabic", "Cyrillic", "Han", ... or "" when it
    has no letters).
    """

    original: str
    script: str
    tokens: tuple[str, ...]
    kinds: str
    phonetic: tuple[str, ...]
    native: tuple[str, ...] = ()
    native_kinds: str = ""
    # Skeletons of the whole name (its tokens' skeletons joined, with and without the stop
    # words), for comparisons across an abjad script, where word boundaries and the article
    # are written differently ("shms al dyn" / "SHAMSUDDIN", "bd al qadr" / "ABDELKADER").
    skeletons: tuple[str, ...] = ()
    # The generic kinds of its legal forms ("llc", "jsc"): "Ltd" and "Limited Liability
    # Company" agree through them.
    legal_forms: frozenset[str] = frozenset()
    # Derived once here, since the scorer needs them for every comparison.
    weights: tuple[float, ...] = ()
    weight: float = 0.0
    native_weights: tuple[float, ...] = ()
    native_weight: float = 0.0
    short: bool = False
    # Positions of the family name's tokens, when the name was written "LAST, First".
    family: tuple[int, ...] = ()

    @property
    def core(self) -> tuple[str, ...]:
        """The tokens that can make a match on their own: names and numbers."""
        return tuple(t for t, k in zip(self.tokens, self.kinds, strict=True) if k in CORE_KINDS)

    @property
    def words(self) -> int:
        """How many name words (not numbers, generic words, titles or legal forms) it has."""
        return self.kinds.count(NAME)

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset(t for t, k in zip(self.tokens, self.kinds, strict=True) if k == NUMBER)

    def as_dict(self) -> dict:
        return {
            "tokens": list(self.tokens),
            "kinds": self.kinds,
            "script": self.script,
            "native": list(self.native),
        }


def token_weights(tokens: tuple[str, ...], kinds: str) -> tuple[float, ...]:
    """What each token counts for: by kind, and less for initials and two-letter parts."""
    weights = []
    for token, kind in zip(tokens, kinds, strict=True):
        weight = KIND_WEIGHT[kind]
        if kind == NAME and len(token) < 3:
            weight *= 0.35 if len(token) == 1 else 0.6
        weights.append(weight)
    return tuple(weights)


def is_short(tokens: tuple[str, ...], kinds: str) -> bool:
    """One core token of at most three characters ("VEB", "ALI"): such names only match
    exactly, since one changed letter makes another name."""
    core = [t for t, k in zip(tokens, kinds, strict=True) if k in CORE_KINDS]
    return len(core) == 1 and len(core[0]) <= SHORT_NAME_MAX


def script_of(text: str) -> str:
    """The main script of a text: Latin when Latin is among several, else the only (or the
    alphabetically first) script; "" for a text without letters or digits of a script."""
    scripts = text_scripts(text)
    if not scripts:
        return ""
    if "Latin" in scripts:
        return "Latin"
    return min(scripts)


@lru_cache(maxsize=65536)
def transliterate(token: str) -> str:
    """ASCII for one token in any script (rigour: its own tables for Cyrillic, Greek,
    Armenian, Georgian and Hangul, ICU through normality for the rest), lower case."""
    if token.isascii():
        return token.lower()
    return ascii_text(token).lower()


@lru_cache(maxsize=65536)
def phonetic_key(token: str) -> str:
    """Metaphone of an ASCII token; numbers and one-letter tokens are their own key."""
    if len(token) < 2 or _DIGIT.search(token):
        return token
    return jellyfish.metaphone(token) or token


# Latin spellings of the same Arabic-script letter, folded together for skeletons: kh/k,
# gh/g, sh/ch/s, th/t, dh/z/d, q/k/c, j/dj/g (Egyptian "Ragab" for "Rajab"), p/b, v/f.
_SKELETON_FOLDS = (
    ("kh", "k"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "d"),
    ("ph", "f"), ("dj", "g"), ("j", "g"), ("q", "k"), ("c", "k"), ("x", "ks"), ("z", "d"),
    ("p", "b"), ("v", "f"),
)  # fmt: skip
_SKELETON_VOWELS = re.compile(r"[aeiouwy]")


@lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """The consonant skeleton of ASCII text, as a transliteration from Arabic script keeps
    it: spellings of one letter folded together, vowels (and w, y, which Arabic script
    writes for long vowels) dropped, repeats collapsed, a final h (ta marbuta) dropped.
    "hussein" and "hsyn" both give "hsn"; "abdelkader" and "bd al qadr" give "bdlkdr"."""
    for spelling, letter in _SKELETON_FOLDS:
        text = text.replace(spelling, letter)
    text = _REPEATS.sub(r"\1", _SKELETON_VOWELS.sub("", text))
    return text[:-1] if len(text) > 2 and text.endswith("h") else text


# Korean names: rigour transliterates Hangul in the Revised Romanization ("gimjeong eun",
# "choelyonghae"), lists write McCune-Reischauer or older spellings ("KIM Jong Un", "CHOE
# Ryong Hae"). Folding the letters the two systems write differently (eo/o, eu/u, g/k, d/t,
# b/p, r/l) makes them comparable.
_ROMANIZATION_FOLDS = (("eo", "o"), ("eu", "u"), ("g", "k"), ("d", "t"), ("b", "p"), ("r", "l"))


@lru_cache(maxsize=65536)
def romanization_fold(token: str) -> str:
    """A Korean name's syllables with the romanization systems' differences folded away."""
    for spelling, letter in _ROMANIZATION_FOLDS:
        token = token.replace(spelling, letter)
    return token


def syllable_key(nn: NormalisedName) -> str:
    """The whole name's syllables joined and folded, for a name written in Hangul or that
    looks like a romanized Korean one (two to four name words of at most six letters);
    "" otherwise. A Hangul query finds "KIM, Jong Un" by it."""
    # In the order the name is written, family name first ("KIM, Jong Un" -> "kim jong un").
    order = [*nn.family, *(i for i in range(len(nn.tokens)) if i not in nn.family)]
    core = [nn.tokens[i] for i in order if nn.kinds[i] == NAME]
    if nn.script != "Hangul" and not (2 <= len(core) <= 4 and all(len(t) <= 6 for t in core)):
        return ""
    if not core:
        return ""
    return romanization_fold("".join(core))


def whole_skeletons(tokens: tuple[str, ...], kinds: str) -> tuple[str, ...]:
    """The name's skeleton with its stop words and without them (one value when equal)."""
    forms = []
    for allowed in ("nsdg", "ndg"):
        joined = "".join(skeleton(t) for t, k in zip(tokens, kinds, strict=True) if k in allowed)
        joined = _REPEATS.sub(r"\1", joined)
        if len(joined) > 2 and joined.endswith("h"):
            joined = joined[:-1]
        if joined and joined not in forms:
            forms.append(sys.intern(joined))
    return tuple(forms)


def _fold_native(token: str) -> str:
    """Casefold an original-script token and drop its combining marks (Arabic short vowels,
    hamza and madda on alef, accents), folding the Arabic letters written interchangeably."""
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).translate(_ARABIC_FOLD)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """Stop words of organisations' names: rigour's list, less the syllables of names."""
    words = frozenset(_fold_native(word) for word in stopwords_list())
    return (words - NAME_SYLLABLES) | PERSON_PARTICLES


@lru_cache(maxsize=1)
def _honorifics() -> tuple[tuple[str, ...], ...]:
    """Honorific prefixes as token sequences, longest first ("field marshal" before "field")."""
    sequences = {
        tuple(transliterate(t) for t in tokenize_name(prefix.casefold()))
        for prefix in (*person_name_prefixes_list(), *EXTRA_HONORIFICS)
    }
    return tuple(sorted((s for s in sequences if s), key=len, reverse=True))


def _split_order(text: str, schema: str) -> tuple[str, str]:
    """ "PUTIN, Vladimir Vladimirovich" -> "Vladimir Vladimirovich PUTIN".

    Only for a single comma with a short head (a family name of up to four words) and a tail
    that is not just a legal form ("ACME, INC." stays as it is). Returns the text in order
    and the family name ("" when the name was not written "LAST, First")."""
    if schema not in ("person", "any", "unknown") or text.count(",") != 1:
        return text, ""
    head, tail = (part.strip() for part in text.split(","))
    if not head or not tail or len(head.split()) > 4:
        return text, ""
    tail_tokens = [transliterate(t) for t in tokenize_name(tail.casefold())]
    if not tail_tokens or _is_legal_text(" ".join(tail_tokens)):
        return text, ""
    if schema != "person":
        # An organisation's name with a comma ("OTKRYTOE, AKTSIONERNOE OBSHCHESTVO ...")
        # is no "LAST, First".
        all_tokens = [transliterate(t) for t in tokenize_name(text.casefold())]
        if _legal_positions(all_tokens):
            return text, ""
    return f"{tail} {head}", head


def _is_legal_text(text: str) -> bool:
    """True when the whole text is legal forms (e.g. "inc", "co ltd")."""
    tokens = text.split()
    if all(t in GENERIC_COMPANY_WORDS for t in tokens):
        return True
    covered = sum(len(match.split()) for match, _ in extract_org_types(text))
    return covered >= len(tokens)


def _legal_positions(tokens: list[str]) -> set[int]:
    """Indexes of the tokens that belong to a legal form."""
    return _legal_forms(tokens)[0]


def _legal_forms(tokens: list[str]) -> tuple[set[int], set[str]]:
    """Indexes of the tokens that belong to a legal form, and the legal forms' generic kinds
    (rigour's: "llc" for Ltd, GmbH, OOO, Inc, ...; "jsc" for AG, SA, PJSC, ...)."""
    positions = {i for i, t in enumerate(tokens) if t in GENERIC_COMPANY_WORDS}
    forms = {GENERIC_COMPANY_FORM} if positions else set()
    text = " ".join(tokens)
    # Character offset of each token, to map the org-type matches back onto tokens.
    starts, offset = [], 0
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    search_from = 0
    for match, target in extract_org_types(text, generic=True):
        found = _find_phrase(text, match, search_from)
        if found < 0:
            continue
        end = found + len(match)
        positions.update(i for i, s in enumerate(starts) if found <= s < end)
        forms.add(target)
        search_from = end
    return positions, forms


def _org_symbols(tokens: tuple[str, ...]) -> tuple[dict, set[int], set[str]]:
    """What rigour's organisation-name tagger recognises among the tokens: generic words
    (one-word DOMAIN, SYMBOL and LOC spans: "bank", "trading", "research", "iran"), and
    legal forms it knows in more spellings than the org-type table ("obshchestvo s
    ogranichennoi otvetstvennostyu"), with their kinds ("llc"). "org" tells whether anything
    but a place was found, i.e. whether the name looks like an organisation's."""
    generic: dict = {"all": set(), "org": False}
    legal: set[int] = set()
    forms: set[str] = set()
    if not tokens:
        return generic, legal, forms
    names = analyze_names(
        NameTypeTag.ORG, [" ".join(tokens)], phonetics=False, consolidate=False, rewrite=False
    )
    for name in names:
        if [part.form for part in name.parts] != list(tokens):
            continue  # rigour split the text otherwise: positions would not line up
        for span in name.spans:
            category = span.symbol.category.value
            indexes = [part.index for part in span.parts]
            if category == "ORGCLS":
                legal.update(indexes)
                forms.add(span.symbol.id.lower())
            elif category in ("DOMAIN", "SYMBOL", "LOC") and len(indexes) == 1:
                generic["all"].update(indexes)
                generic["org"] = generic["org"] or category != "LOC"
    return generic, legal, forms


def _find_phrase(text: str, phrase: str, start: int) -> int:
    """Where a whole-word phrase occurs in a space-joined token text, or -1."""
    while True:
        found = text.find(phrase, start)
        if found < 0:
            return -1
        before_ok = found == 0 or text[found - 1] == " "
        after = found + len(phrase)
        if before_ok and (after == len(text) or text[after] == " "):
            return found
        start = found + 1


def _token_count(text: str) -> int:
    """How many ASCII tokens a piece of a name makes."""
    return sum(
        1
        for token in tokenize_name(text.casefold())
        for part in _NON_ALNUM.split(transliterate(_fold_native(token)))
        if part
    )


def _honorific_positions(tokens: list[str], start: int = 0) -> set[int]:
    """Indexes of honorific tokens at the start of the name, or from `start` on ("Dr",
    "General", "Field Marshal")."""
    positions: set[int] = set()
    changed = True
    while changed and start < len(tokens) - 1:  # never the name's last token
        changed = False
        for sequence in _honorifics():
            end = start + len(sequence)
            if (
                end < len(tokens)
                and tuple(tokens[start:end]) == sequence
                and not _DIGIT.search(tokens[end])  # "MS-20" is no Ms.
            ):
                positions.update(range(start, end))
                start = end
                changed = True
                break
    return positions


@lru_cache(maxsize=4096)
def normalise_name(text: str, schema: str = "any") -> NormalisedName:
    """Normalise one name. `schema` decides what may be tagged: people carry no legal forms,
    companies no honorifics; "any" and "unknown" allow both."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    ordered, family_name = _split_order(text, schema)
    script = script_of(ordered)
    raw = tokenize_name(ordered.casefold())

    tokens: list[str] = []
    native: list[str] = []
    origin: list[int] = []  # for each ASCII token, the index of its original token
    for index, token in enumerate(raw):
        folded = _fold_native(token)
        native.append(folded)
        if script in ABJAD_SCRIPTS and folded.startswith(_ARABIC_ARTICLE) and len(folded) > 3:
            # "التكريتي" -> "al" + "tkryty", as Latin lists write "AL-TIKRITI".
            tokens.append("al")
            origin.append(index)
            folded = folded[len(_ARABIC_ARTICLE) :]
        for part in _NON_ALNUM.split(transliterate(folded)):
            if part:
                tokens.append(sys.intern(part))
                origin.append(index)

    kinds = [NUMBER if _DIGIT.search(t) else NAME for t in tokens]
    if script in DENSE_SCRIPTS:
        stopwords: frozenset[str] = frozenset()
    elif schema == "person":
        stopwords = PERSON_PARTICLES
    else:
        stopwords = _stopwords()
    for i, token in enumerate(tokens):
        if kinds[i] == NAME and token in stopwords:
            kinds[i] = STOP
    legal_forms: set[str] = set()
    if schema != "person":
        legal, legal_forms = _legal_forms(tokens)
        if script and script != "Latin":
            # Legal forms in the original script (Russian "obshchestvo s ogranichennoy
            # otvetstvennostyu"), whose transliteration may differ from rigour's spelling.
            native_legal, native_forms = _legal_forms(native)
            legal.update(i for i, index in enumerate(origin) if index in native_legal)
            legal_forms |= native_forms
        generic, symbol_legal, symbol_forms = _org_symbols(tuple(tokens))
        legal |= symbol_legal
        legal_forms |= symbol_forms
        if schema not in ORG_SCHEMAS:
            # Two-letter legal forms are also syllables of names ("Fang Yu", "Li Ag"): in a
            # name that may be a person's, only the common ones count.
            legal = {
                i
                for i in legal
                if len(tokens[i]) > 2
                or tokens[i] in SHORT_LEGAL_FORMS
                or i - 1 in legal
                or i + 1 in legal
            }
        for i in legal:
            kinds[i] = LEGAL
        if schema in ORG_SCHEMAS or legal or generic["org"]:
            for i in generic["all"]:
                if kinds[i] == NAME:
                    kinds[i] = GENERIC
        if GENERIC in kinds and not any(k in (NAME, NUMBER) for k in kinds):
            kinds = [NAME if k == GENERIC else k for k in kinds]
    # "Colonel DJORDA, Samojko" is "Samojko Colonel DJORDA" once turned round: the family
    # name's part may start with a title too.
    family_count = _token_count(family_name) if family_name else 0
    if schema not in ("entity", "vessel", "aircraft"):
        starts = {0, len(tokens) - family_count} if family_count else {0}
        for start in starts:
            for i in _honorific_positions(tokens, start):
                if kinds[i] == NAME:
                    kinds[i] = HONORIFIC
    if schema != "person" and len(tokens) > 1 and tokens[-1] in ROMAN_NUMERALS:
        kinds[-1] = NUMBER
    if not any(k in (NAME, NUMBER) for k in kinds):
        # A name made only of legal forms, honorifics or stop words ("The Company") is
        # compared as it is: there is nothing else to compare it by.
        kinds = [NAME] * len(tokens)

    native_tokens: tuple[str, ...] = ()
    native_kinds = ""
    if script and script != "Latin":
        native_tokens = tuple(native)
        per_native: list[set[str]] = [set() for _ in native]
        for kind, index in zip(kinds, origin, strict=True):
            per_native[index].add(kind)
        native_stopwords = _stopwords() if schema != "person" else frozenset()
        native_kinds = "".join(
            next(iter(ks)) if len(ks) == 1 else (STOP if tok in native_stopwords else NAME)
            for tok, ks in zip(native, per_native, strict=True)
        )
    ascii_tokens, ascii_kinds = tuple(tokens), "".join(kinds)
    family: tuple[int, ...] = ()
    if family_count:
        # The family name's tokens end the reordered name.
        family = tuple(
            i for i in range(len(tokens) - family_count, len(tokens)) if i >= 0 and kinds[i] == NAME
        )
    weights = token_weights(ascii_tokens, ascii_kinds)
    native_weights = token_weights(native_tokens, native_kinds)
    return NormalisedName(
        original=text,
        script=script,
        tokens=ascii_tokens,
        kinds=ascii_kinds,
        phonetic=tuple(phonetic_key(t) for t in tokens),
        native=native_tokens,
        native_kinds=native_kinds,
        skeletons=whole_skeletons(ascii_tokens, ascii_kinds),
        legal_forms=frozenset(legal_forms) if LEGAL in ascii_kinds else frozenset(),
        weights=weights,
        weight=sum(weights),
        native_weights=native_weights,
        native_weight=sum(native_weights),
        short=is_short(ascii_tokens, ascii_kinds),
        family=family,
    )
