# ruff: noqa: RUF001 - the lexicons and variants are written in Cyrillic, Arabic and Turkish
"""Build the labelled screening evaluation set from the shipped list files.

Reads every file under data/lists/ through screening.importers (no database), in the order
benchmarks/screening_eval.py imports them, and writes data/screening_eval/cases.csv and
pairs.csv: variants of listed names that must find their entry, and names of parties that are
not listed (checked against every name of every list version) that must find nothing. The
hand-written hard cases in data/screening_eval/handwritten_cases.csv and handwritten_pairs.csv
are checked and merged in. A fixed seed makes the output identical on every run.

    .venv/bin/python benchmarks/build_screening_eval.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from random import Random

BASE_DIR = Path(__file__).resolve().parents[1]
LISTS_DIR = BASE_DIR / "data" / "lists"
EVAL_DIR = BASE_DIR / "data" / "screening_eval"
SEED = 20260227

CASE_COLUMNS = [
    "category",
    "query",
    "schema",
    "country",
    "birth_date",
    "expected_list",
    "expected_entry_id",
]
PAIR_COLUMNS = ["category", "left", "right", "schema", "match"]
HANDWRITTEN_CASES = "handwritten_cases.csv"
HANDWRITTEN_PAIRS = "handwritten_pairs.csv"

# Categories whose cases are reported but left out of the overall figures (see README.md).
INFORMATIONAL = {"cross_script_translation"}
# The least number of cases each category must have (tests/screening/test_eval_set.py).
MIN_CASES = {
    "alias": 400,
    "typo": 300,
    "reorder": 200,
    "case_punct": 200,
    "legal_form": 200,
    "honorific": 150,
    "translit": 200,
    "partial": 200,
    "combined": 200,
    "similar_surname": 150,
    "cross_script_listed": 300,
    "cross_script": 80,
    "cross_script_translation": 10,
    "numbers": 100,
    "short": 150,
    "family_name": 300,
    "generic_company": 200,
    "random": 300,
}

# --- reading the lists ----------------------------------------------------------------------


@dataclass(eq=False)
class Entry:
    list: str
    entry_id: str
    schema: str
    primary: str
    names: list[tuple[str, str, str]]  # (name, kind, script)
    countries: list[str]
    births: list[str]


@dataclass
class Lists:
    active: dict[str, list[Entry]] = field(default_factory=dict)  # list code -> entries
    superseded: dict[str, list[list[Entry]]] = field(default_factory=dict)
    skipped: list[tuple[list[str], str]] = field(default_factory=list)

    def entries(self) -> list[Entry]:
        return [entry for code in sorted(self.active) for entry in self.active[code]]

    def all_versions(self) -> Iterable[Entry]:
        yield from self.entries()
        for code in sorted(self.superseded):
            for version in self.superseded[code]:
                yield from version

    def get(self, code: str, entry_id: str) -> Entry | None:
        return self._by_key().get((code, entry_id))

    def _by_key(self) -> dict[tuple[str, str], Entry]:
        if not hasattr(self, "_index"):
            self._index = {(e.list, e.entry_id): e for e in self.entries()}
        return self._index


def list_files(root: Path = LISTS_DIR) -> list[Path]:
    """Every list file, in path order: within a list, the dated folders oldest first."""
    return sorted(path for path in root.rglob("*") if path.is_file() and path.suffix != ".md")


def import_groups(root: Path = LISTS_DIR) -> list[list[Path]]:
    """The files of each list version, in import order (so the newest version of each list
    ends up active). A folder that cannot make a version on its own stays in the list; its
    import fails and is skipped (the 2025-12 SDN folder has no sdn.csv)."""
    sys.path.insert(0, str(BASE_DIR))
    from screening.importers import detect_groups

    return [importer.paths for importer in detect_groups(list_files(root))]


def load_lists(root: Path = LISTS_DIR) -> Lists:
    sys.path.insert(0, str(BASE_DIR))
    from screening.importers import ImportFormatError, detect

    lists = Lists()
    for paths in import_groups(root):
        importer = detect(paths)
        try:
            records = importer.parse()
        except ImportFormatError as error:
            lists.skipped.append(([str(p.relative_to(root)) for p in paths], str(error)))
            continue
        code = importer.source.code
        entries = [
            Entry(
                list=code,
                entry_id=record.entry_id,
                schema=record.schema,
                primary=record.primary_name,
                names=[(name.name, name.kind, name.script) for name in record.names],
                countries=list(record.countries),
                births=list(record.dates_of_birth),
            )
            for record in records
        ]
        if code in lists.active:
            lists.superseded.setdefault(code, []).append(lists.active[code])
        lists.active[code] = entries
    return lists


# --- text helpers (for building and checking the set only; not the engine's) ----------------


def _words(text: str) -> list[str]:
    return text.split()


LEGAL_WORDS = set(
    _words(
        "llc l c ltd limited liability company co inc incorporated corp corporation gmbh ag sa s "
        "a de cv srl sarl sas bv nv plc jsc ojsc pjsc cjsc ao oao zao pao ooo joint stock open "
        "closed public private pvt pte fze fzco fzc llp lp kg spa obshchestvo ogranichennoi "
        "otvetstvennostyu aktsionernoe publichnoe otkrytoe zakrytoe sociedad anonima group "
        "holding holdings the of and for y e et und sprl eood ood doo kft sro ab oy pt tbk bhd "
        "sdn pty ltda cia sae sl dwc fz eirl sac saic cc se mbh as anomina"
    )
)
NAME_PARTICLES = set(_words("al el bin ibn bint de la del da dos van von der le ul ud"))
GENERIC_WORDS = set(
    _words(
        "trading trade global international general industrial industries industry technology "
        "technologies tech engineering services service import export shipping logistics "
        "investment investments enterprise enterprises commercial construction energy oil gas "
        "petroleum electronics electronic development research institute bank marine maritime "
        "capital finance financial equipment supply systems system network manufacturing "
        "machinery chemical chemicals group partners resources solutions factory plant center "
        "centre science scientific"
    )
)
# Titles that say nothing about who someone is ("Haji Karim" is "Karim").
TITLES = set(
    _words(
        "haji hajji mullah mulla maulana mawlawi maulvi mawlavi sheikh shaykh sheik mr mrs ms dr "
        "prof eng sir gen general col colonel qari mufti imam"
    )
)
STOP = LEGAL_WORDS | NAME_PARTICLES | TITLES
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@cache
def fold(text: str) -> str:
    """Lower case ASCII letters and digits, every other run of characters one space."""
    from normality import ascii_text

    text = ascii_text(text) or ""
    return _NON_ALNUM.sub(" ", text.lower()).strip()


def tokens(text: str) -> list[str]:
    return fold(text).split()


def significant(text: str) -> list[str]:
    return [token for token in tokens(text) if token not in STOP]


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def is_latin(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(char, "") for char in letters)


def letters(text: str) -> int:
    return sum(1 for char in text if char.isalpha())


# --- the check that a negative is really not listed -----------------------------------------


class ListedNames:
    """Every name of every list version, to check that a name meant as a negative resembles
    none of them: no listed name holds all its significant tokens (or all of a listed name's
    tokens are in it), each token compared with rapidfuzz ratio >= 80 (>= 85 up to 5
    letters, exact up to 3), and no listed name is >= 82 token_sort_ratio."""

    def __init__(self, names: Iterable[str]):
        folded = sorted({fold(name) for name in names} - {""})
        self.strings = folded
        self.token_sets: list[tuple[str, ...]] = []
        self.by_token: dict[str, set[int]] = defaultdict(set)
        for index, string in enumerate(folded):
            sig = tuple(dict.fromkeys(t for t in string.split() if t not in STOP))
            self.token_sets.append(sig)
            for token in sig:
                self.by_token[token].add(index)
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for token in sorted(self.by_token):
            self.by_length[len(token)].append(token)
        self._similar: dict[str, list[str]] = {}

    def similar(self, token: str) -> list[str]:
        if token not in self._similar:
            from rapidfuzz import fuzz, process

            if len(token) <= 3 or token.isdigit():
                found = [token] if token in self.by_token else []
            else:
                cutoff = 85 if len(token) <= 5 else 80
                # ratio >= 80 needs lengths within a factor of 1.5 of each other.
                low, high = int(len(token) / 1.5), int(len(token) * 1.5) + 1
                found = sorted(
                    match
                    for length in range(low, high + 1)
                    for match, _score, _i in process.extract(
                        token,
                        self.by_length.get(length, []),
                        scorer=fuzz.ratio,
                        score_cutoff=cutoff,
                        limit=None,
                    )
                )
            self._similar[token] = found
        return self._similar[token]

    def clear(self, name: str, *, allow_subset: bool = False) -> bool:
        """True when no listed name resembles this one (see the class docstring)."""
        from rapidfuzz import fuzz

        query = list(dict.fromkeys(significant(name)))
        if not query:
            return False
        # A one-word name, or one made only of generic words, may well be part of listed
        # names without naming any of them.
        if len(query) == 1 or all(token in GENERIC_WORDS for token in query):
            allow_subset = True
        per_token = []
        for token in query:
            names: set[int] = set()
            for similar in self.similar(token):
                names |= self.by_token[similar]
            per_token.append(names)
        if not allow_subset:
            common = set.intersection(*per_token)
            if common:
                return False
        union = set.union(*per_token)
        similar_tokens = {s for token in query for s in self.similar(token)}
        # Generic words aside, a listed name all of whose words are in this one is this one
        # (or, for one word against one word, the same word).
        query_core = _core(query)
        for index in union:
            listed = _core(self.token_sets[index])
            if (
                (len(listed) >= 2 or len(query_core) == 1)
                and len(listed) <= len(query)
                and all(t in similar_tokens for t in listed)
            ):
                return False
        folded = fold(name)
        if len(query_core) == 1:
            # One word: nothing listed as one word may be even a little like it.
            word = query_core[0]
            for index in union | self.by_token.get(word, set()):
                listed = _core(self.token_sets[index])
                if len(listed) == 1 and fuzz.ratio(word, listed[0]) >= 70:
                    return False
            for length in range(max(1, len(word) - 2), len(word) + 3):
                for other in self.by_length.get(length, []):
                    if fuzz.ratio(word, other, score_cutoff=70) and any(
                        len(_core(self.token_sets[i])) == 1 for i in self.by_token[other]
                    ):
                        return False
        for index in union:
            if fuzz.token_sort_ratio(folded, self.strings[index], score_cutoff=82):
                return False
        return True

    def nearest(self, name: str) -> str | None:
        """The listed name (folded) most like this one among those sharing a similar token."""
        from rapidfuzz import fuzz

        best, best_score = None, -1.0
        for token in significant(name):
            for similar in self.similar(token):
                for index in sorted(self.by_token[similar]):
                    score = fuzz.token_sort_ratio(fold(name), self.strings[index])
                    if score > best_score:
                        best, best_score = self.strings[index], score
        return best

    def explain(self, name: str) -> list[str]:
        """The listed names that make `clear` refuse this one (for hand-written cases)."""
        query = list(dict.fromkeys(significant(name)))
        similar_tokens = {s for token in query for s in self.similar(token)}
        found = []
        for index, listed in enumerate(self.token_sets):
            if (query and all(any(s in listed for s in self.similar(t)) for t in query)) or (
                (len(listed) >= 2 or len(query) == 1)
                and len(listed) <= len(query)
                and all(t in similar_tokens for t in listed)
            ):
                found.append(self.strings[index])
        return found[:5]


# --- lexicons for names that are not listed --------------------------------------------------

GIVEN = {
    "arabic": "Ahmed Mohamed Mahmoud Khaled Omar Youssef Tarek Karim Samir Nabil Walid Hisham "
    "Bassam Fadi Rami Ziad Majed Nasser Faisal Saeed Hamza Bilal Anas Mazen Hazem Ayman Osama "
    "Adel Jamal Kamal Fouad Imad Ihab Hani Raed Sami Amer Loay Zaher Nizar Wael Yasser "
    "Layla Fatima Mariam Nour Huda Rania Salma Yasmin Dina Aya",
    "iranian": "Reza Hossein Mehdi Ali-Reza Amir Behrouz Dariush Farhad Kourosh Payam Siavash "
    "Babak Arash Kaveh Omid Nima Parviz Shahram Bijan Hamid Majid Saeed Vahid Ramin Sina "
    "Shirin Maryam Nasrin Parisa Leila Golnaz",
    "russian": "Ivan Dmitry Sergei Alexei Mikhail Nikolai Pavel Andrei Vladimir Oleg Yuri "
    "Anton Maxim Kirill Artem Denis Roman Stanislav Vadim Gleb Timur Ilya Fyodor Konstantin "
    "Olga Tatiana Svetlana Irina Anna Natalia Yulia Ekaterina Ksenia Daria",
    "chinese": "Wei Fang Jun Lei Yong Jie Tao Ming Hui Qiang Chao Bo Hao Yang Xin Kai Peng "
    "Zhiwei Jianhua Xiaoping Guoqiang Haitao Yufei Lihua Xiuying Meiling Jing Yan",
    "korean": "Min Jun Seo Jun Ji Hoon Hyun Woo Dong Hyun Sung Min Tae Yang Jae Won Young Soo "
    "Sang Woo Kyung Ho Eun Ji Hye Jin Soo Ah Yoon Seo",
    "hispanic": "Jose Juan Carlos Luis Miguel Jorge Pedro Alejandro Fernando Ricardo Eduardo "
    "Javier Sergio Andres Pablo Diego Rafael Manuel Mario Victor Gabriel Emilio Ignacio "
    "Maria Carmen Lucia Elena Isabel Paula Sofia Valentina Camila Gabriela",
    "western": "James John Robert Michael William David Richard Thomas Charles Daniel Matthew "
    "Mark Paul Steven Andrew Kevin Brian George Edward Peter Henry Samuel Patrick "
    "Mary Patricia Jennifer Linda Elizabeth Susan Jessica Sarah Karen Emily Laura",
    "turkish": "Mehmet Mustafa Emre Burak Murat Serkan Kemal Cem Volkan Baris Onur Tolga "
    "Ayse Elif Zeynep Merve",
}
SURNAMES = {
    "arabic": "Haddad Khoury Nasser Saleh Mansour Qasim Barakat Darwish Hijazi Shami Masri "
    "Tamimi Zoubi Jaber Rifai Khatib Sabbagh Mahfouz Nabulsi Sharif Yassin Abboud Kassab "
    "Fakhoury Hamdan Halabi Attar Bitar Dajani Kanaan",
    "iranian": "Tehrani Shirazi Farahani Ahmadi Hosseini Karimi Rostami Jafari Moradi Sadeghi "
    "Mohammadi Alavi Ebrahimi Rahimi Nazari Kazemi Shahidi Bagheri Daneshvar Esfahani",
    "russian": "Smirnov Kuznetsov Popov Vasiliev Sokolov Mikhailov Novikov Fedorov Morozov "
    "Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov Andreev "
    "Makarov Nikitin Zakharov Zaitsev Solovyov Borisov Yakovlev Grigoriev Romanov Vorobyov",
    "chinese": "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao "
    "Lin Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng",
    "korean": "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn "
    "Song Yoo Hong",
    "hispanic": "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez "
    "Torres Flores Rivera Gomez Diaz Reyes Cruz Morales Ortiz Gutierrez Chavez Ramos Ruiz "
    "Alvarez Mendoza Castillo Jimenez Vargas Romero Herrera Medina",
    "western": "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas "
    "Moore Jackson Martin Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
    "Wright Scott Green Baker Adams Nelson",
    "turkish": "Yilmaz Kaya Demir Sahin Celik Yildiz Yildirim Ozturk Aydin Ozdemir Arslan "
    "Dogan Kilic Aslan Cetin Kara Koc Kurt Ozkan Simsek",
}
COMPANY_WORDS = _words(
    "Sunrise Maple Harbor Cedar Falcon Orchid Summit Crescent Horizon Lotus Beacon Meadow "
    "Riverstone Silverline Northgate Bluewater Greenfield Ironbridge Oakwood Starling Amberly "
    "Brightpath Clearwater Evergreen Foxglove Goldcrest Highland Juniper Kestrel Lakeside "
    "Millbrook Nightingale Oceanic Pinecrest Quarry Redwood Saffron Thistle Upland Valemont "
    "Westbrook Yellowstone Zephyr Alder Birchwood Copperfield Dovetail Elmstead Fernhill"
)
COMPANY_KINDS = (
    "Trading",
    "Logistics",
    "Engineering",
    "Consulting",
    "Textiles",
    "Foods",
    "Pharma",
    "Shipping",
    "Software",
    "Electronics",
    "Construction",
    "Energy",
    "Agro",
    "Retail",
    "Packaging",
    "Furniture",
    "Dairy",
    "Plastics",
    "Ceramics",
    "Printing",
)
COMPANY_FORMS = (
    "LLC",
    "Ltd",
    "Limited",
    "Inc.",
    "Corp.",
    "GmbH",
    "S.A.",
    "Co., Ltd.",
    "JSC",
    "OOO",
    "AG",
    "PLC",
    "B.V.",
    "Pte. Ltd.",
    "S.R.L.",
    "",
)
# Cyrillic names of people who are not listed (checked through transliteration).
CYRILLIC_GIVEN = _words(
    "Иван Дмитрий Сергей Алексей Михаил Николай Павел Андрей Олег Антон Максим Кирилл Артём "
    "Денис Вадим Глеб Илья Константин Ольга Татьяна Светлана Ирина Анна Юлия Дарья"
)
CYRILLIC_SURNAMES = _words(
    "Смирнов Кузнецов Попов Соколов Новиков Фёдоров Морозов Волков Лебедев Семёнов Егоров "
    "Козлов Степанов Орлов Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Воробьёв"
)
CYRILLIC_PATRONYMICS = _words(
    "Иванович Сергеевич Петрович Алексеевич Николаевич Андреевич Викторович Олегович"
)
FEMALE_CYRILLIC = {"Ольга", "Татьяна", "Светлана", "Ирина", "Анна", "Юлия", "Дарья"}
HONORIFICS = (
    "Mr.",
    "Mr",
    "Dr.",
    "Dr",
    "Sheikh",
    "Shaykh",
    "Haji",
    "Hajji",
    "Mullah",
    "Maulana",
    "General",
    "Gen.",
    "Colonel",
    "Col.",
    "Prof.",
    "Eng.",
    "Sayyid",
    "Sir",
)
ACCENTED = {
    "jose": "José",
    "maria": "María",
    "garcia": "García",
    "gonzalez": "González",
    "ramon": "Ramón",
    "hernandez": "Hernández",
    "lopez": "López",
    "martinez": "Martínez",
    "rodriguez": "Rodríguez",
    "perez": "Pérez",
    "sanchez": "Sánchez",
    "gomez": "Gómez",
    "diaz": "Díaz",
    "munoz": "Muñoz",
    "pena": "Peña",
    "nunez": "Núñez",
    "ibanez": "Ibáñez",
    "angel": "Ángel",
    "jesus": "Jesús",
    "andres": "Andrés",
    "ruben": "Rubén",
    "hector": "Héctor",
    "oscar": "Óscar",
    "cesar": "César",
    "raul": "Raúl",
    "ivan": "Iván",
    "adrian": "Adrián",
    "fernandez": "Fernández",
    "alvarez": "Álvarez",
    "jimenez": "Jiménez",
    "ramirez": "Ramírez",
    "ordonez": "Ordóñez",
    "castaneda": "Castañeda",
    "avendano": "Avendaño",
    "nino": "Niño",
    "magana": "Magaña",
    "joaquin": "Joaquín",
    "martin": "Martín",
    "simon": "Simón",
    "beltran": "Beltrán",
    "leon": "León",
    "rincon": "Rincón",
    "monica": "Mónica",
    "sebastian": "Sebastián",
    "ines": "Inés",
    "efrain": "Efraín",
    "tomas": "Tomás",
    "nicolas": "Nicolás",
    "lucia": "Lucía",
    "bolivar": "Bolívar",
    "patino": "Patiño",
    "zuniga": "Zúñiga",
    "estevao": "Estêvão",
    "joao": "João",
    "goncalves": "Gonçalves",
    "muller": "Müller",
    "francois": "François",
    "rene": "René",
    "celine": "Céline",
    "zoe": "Zoë",
    "soren": "Søren",
    "bjorn": "Björn",
    "yilmaz": "Yılmaz",
    "ozturk": "Öztürk",
    "sahin": "Şahin",
    "celik": "Çelik",
}

# Spellings of one name in different romanisations, for the translit variants.
SPELLINGS = [
    "mohammed muhammad mohammad mohamed muhammed mohamad",
    "ahmed ahmad",
    "hussein husayn hussain husain hossein",
    "hassan hasan",
    "abdul abdel",
    "abdullah abdallah abdulla",
    "yusuf youssef yousef yusif",
    "omar umar",
    "osama usama",
    "mustafa mustapha moustafa",
    "mahmoud mahmud mahmood",
    "khaled khalid",
    "said saeed saied",
    "ibrahim ebrahim ibraheem",
    "ismail ismael esmail",
    "jamal gamal",
    "qasim qassem qasem kasim",
    "abu abou",
    "faisal faysal feisal",
    "nasser naser nasir",
    "rahman rehman",
    "hamid hamed",
    "aleksandr alexander aleksander alexandr",
    "sergei sergey sergiy",
    "yuri yury yuriy",
    "dmitry dmitri dmitriy",
    "alexei alexey aleksei aleksey",
    "andrei andrey",
    "nikolai nikolay",
    "mikhail mikhael",
    "yevgeny evgeny yevgeniy evgeniy",
    "vyacheslav viacheslav",
    "konstantin constantin",
    "vasily vasili vasiliy",
    "anatoly anatoli anatoliy",
    "grigory grigori grigoriy",
    "valery valeri valeriy",
    "choe choi",
    "pak park",
    "jong chong",
    "kwang gwang",
    "chol cheol",
]
SPELLING_OF = {
    word: [other for other in group.split() if other != word]
    for group in SPELLINGS
    for word in group.split()
}

# Legal forms that mean the same, for the legal_form variants.
LEGAL_GROUPS = [
    [
        "LLC",
        "L.L.C.",
        "LIMITED LIABILITY COMPANY",
        "OOO",
        "ООО",
        "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU",
    ],
    ["PJSC", "PUBLIC JOINT STOCK COMPANY", "PAO", "ПАО"],
    ["OJSC", "OPEN JOINT STOCK COMPANY", "OAO", "ОАО"],
    ["CJSC", "CLOSED JOINT STOCK COMPANY", "ZAO", "ЗАО"],
    ["JSC", "JOINT STOCK COMPANY", "AO", "АО", "AKTSIONERNOE OBSHCHESTVO", "JOINT-STOCK COMPANY"],
    ["CO., LTD.", "CO. LTD", "CO LTD", "COMPANY LIMITED", "CO., LIMITED"],
    ["LTD", "LTD.", "LIMITED"],
    ["INC", "INC.", "INCORPORATED"],
    ["CORP", "CORP.", "CORPORATION"],
    ["GMBH", "GESELLSCHAFT MIT BESCHRAENKTER HAFTUNG", "G.M.B.H."],
    ["S.A. DE C.V.", "SA DE CV", "SOCIEDAD ANONIMA DE CAPITAL VARIABLE"],
    ["S.A.", "SA", "SOCIEDAD ANONIMA"],
    ["PVT LTD", "PVT. LTD.", "PRIVATE LIMITED"],
    ["PTE LTD", "PTE. LTD.", "PRIVATE LIMITED"],
    ["PLC", "PUBLIC LIMITED COMPANY"],
    ["B.V.", "BV"],
    ["FZE", "F.Z.E.", "FREE ZONE ESTABLISHMENT"],
    ["FZCO", "FZ CO", "FREE ZONE COMPANY"],
    ["CO.", "CO", "COMPANY"],
]


def _legal_pattern(form: str) -> re.Pattern:
    escaped = r"[\s.,-]*".join(re.escape(part) for part in re.split(r"[\s.,-]+", form) if part)
    return re.compile(rf"(?<![\w]){escaped}\.?(?![\w])", re.IGNORECASE)


LEGAL_PATTERNS = [
    (group_index, form, _legal_pattern(form))
    for group_index, group in enumerate(LEGAL_GROUPS)
    for form in sorted(group, key=len, reverse=True)
]


def find_legal_form(name: str) -> tuple[int, str, re.Match] | None:
    """The longest legal form written at the start or end of the name."""
    best = None
    for group_index, form, pattern in LEGAL_PATTERNS:
        for match in pattern.finditer(name):
            at_edge = match.start() == 0 or not name[match.end() :].strip(" ,.)'\"")
            if at_edge and (best is None or len(match.group()) > len(best[2].group())):
                best = (group_index, form, match)
    return best


# --- building --------------------------------------------------------------------------------


@dataclass
class Case:
    category: str
    query: str
    schema: str = ""
    country: str = ""
    birth_date: str = ""
    expected_list: str = ""
    expected_entry_id: str = ""

    def row(self) -> list[str]:
        return [getattr(self, column) for column in CASE_COLUMNS]


@dataclass
class Pair:
    category: str
    left: str
    right: str
    schema: str
    match: bool

    def row(self) -> list[str]:
        return [
            self.category,
            self.left,
            self.right,
            self.schema,
            "true" if self.match else "false",
        ]


class Builder:
    def __init__(self, lists: Lists):
        self.lists = lists
        self.entries = lists.entries()
        self.listed = ListedNames(name for e in lists.all_versions() for name, _k, _s in e.names)
        self.cases: list[Case] = []
        self.pairs: list[Pair] = []
        self.seen_queries: set[tuple[str, str]] = set()
        # How many active entries carry each folded name: very common names are left out of
        # the positives, whose expected entry must be among the first hits.
        self.name_entries: Counter[str] = Counter()
        for entry in self.entries:
            for folded in {fold(name) for name, _k, _s in entry.names}:
                self.name_entries[folded] += 1

    def rng(self, category: str) -> Random:
        return Random(f"{SEED}:{category}")

    # -- adding ------------------------------------------------------------------------------

    def add_positive(
        self,
        category,
        query,
        entry: Entry,
        rng: Random,
        *,
        right=None,
        with_attributes=True,
        pair_category=None,
    ) -> bool:
        query = re.sub(r"\s+", " ", query).strip()
        if not query or (category, fold(query) or query) in self.seen_queries:
            return False
        self.seen_queries.add((category, fold(query) or query))
        case = Case(category, query, expected_list=entry.list, expected_entry_id=entry.entry_id)
        if with_attributes:
            self._attributes(case, entry, rng)
        self.cases.append(case)
        if right is not None:
            self.pairs.append(
                Pair(pair_category or category, query, right, _pair_schema(entry.schema), True)
            )
        return True

    def add_negative(
        self,
        category,
        query,
        rng: Random,
        *,
        schema="",
        country="",
        right=None,
        allow_subset=False,
        checked=False,
    ) -> bool:
        query = re.sub(r"\s+", " ", query).strip()
        if not query or (category, fold(query) or query) in self.seen_queries:
            return False
        if not checked and not self.listed.clear(query, allow_subset=allow_subset):
            return False
        self.seen_queries.add((category, fold(query) or query))
        case = Case(category, query)
        if schema and rng.random() < 0.4:
            case.schema = schema
        if country and rng.random() < 0.3:
            case.country = country
        self.cases.append(case)
        if right is not None:
            self.pairs.append(Pair(category, query, right, schema or "any", False))
        return True

    def _attributes(self, case: Case, entry: Entry, rng: Random) -> None:
        if entry.schema in ("person", "entity", "vessel") and rng.random() < 0.4:
            case.schema = entry.schema
        if entry.countries and rng.random() < 0.25:
            case.country = rng.choice(entry.countries)
        if entry.schema == "person" and entry.births and rng.random() < 0.2:
            birth = rng.choice(entry.births)
            case.birth_date = birth if rng.random() < 0.7 else birth[:4]

    # -- pools -------------------------------------------------------------------------------

    def pool(self, predicate) -> list[Entry]:
        return [entry for entry in self.entries if predicate(entry)]

    def unambiguous(self, name: str) -> bool:
        return self.name_entries[fold(name)] <= 4

    def spread(self, rng: Random, pool: list[Entry], count: int, quota: dict[str, float]):
        """Up to `count` entries, shared between the lists by `quota` (shares by list code);
        a list with too few entries leaves its share to the others."""
        by_list: dict[str, list[Entry]] = defaultdict(list)
        for entry in pool:
            by_list[entry.list].append(entry)
        chosen: list[Entry] = []
        for code in sorted(by_list):
            share = quota.get(code, quota.get("*", 0.0))
            want = round(count * share)
            items = by_list[code]
            chosen.extend(rng.sample(items, min(want, len(items))))
        taken = {id(entry) for entry in chosen}
        rest = [entry for entry in pool if id(entry) not in taken]
        if len(chosen) < count:
            chosen.extend(rng.sample(rest, min(count - len(chosen), len(rest))))
        rng.shuffle(chosen)
        return chosen

    # -- positives ---------------------------------------------------------------------------

    def build_alias(self, count=520):
        rng = self.rng("alias")
        candidates = []
        for entry in self.entries:
            primary = fold(entry.primary)
            for name, kind, _script in entry.names:
                if kind not in ("aka", "fka", "nka") or not is_latin(name):
                    continue
                if letters(name) < 5 or fold(name) == primary or not self.unambiguous(name):
                    continue
                candidates.append((entry, name))
        quota = {"us_csl": 0.45, "un_sc": 0.25, "us_ofac_consolidated": 0.15, "us_ofac_sdn": 0.15}
        by_list = defaultdict(list)
        for entry, name in candidates:
            by_list[entry.list].append((entry, name))
        chosen = []
        for code in sorted(by_list):
            items = by_list[code]
            chosen.extend(rng.sample(items, min(round(count * quota.get(code, 0)), len(items))))
        for entry, name in chosen:
            from rapidfuzz import fuzz

            # A pair only where the alias is a spelling of the primary name (not a new name).
            similar = (
                fuzz.token_sort_ratio(
                    " ".join(significant(name)), " ".join(significant(entry.primary))
                )
                >= 75
            )
            self.add_positive("alias", name, entry, rng, right=entry.primary if similar else None)
        # Negatives: an alias with its given name (or distinctive word) replaced.
        made = 0
        for entry, name in rng.sample(candidates, len(candidates)):
            if made >= 150:
                break
            query = self.replace_distinctive(name, entry, rng)
            if query and self.add_negative(
                "alias",
                query,
                rng,
                schema=entry.schema if entry.schema != "unknown" else "",
                country=entry.countries[0] if entry.countries else "",
                right=name,
            ):
                made += 1

    def latin_primaries(self, predicate=lambda e: True) -> list[Entry]:
        if not hasattr(self, "_latin"):
            self._latin = self.pool(lambda e: is_latin(e.primary) and self.unambiguous(e.primary))
        return [entry for entry in self._latin if predicate(entry)]

    def build_typo(self, count=450):
        rng = self.rng("typo")
        pool = self.latin_primaries(lambda e: letters(e.primary) >= 8)
        quota = {
            "us_csl": 0.35,
            "us_ofac_sdn": 0.3,
            "un_sc": 0.15,
            "us_ofac_consolidated": 0.1,
            "us_bis_dpl": 0.1,
        }
        for entry in self.spread(rng, pool, count, quota):
            edits = 2 if letters(entry.primary) >= 14 and rng.random() < 0.5 else 1
            query = typo(entry.primary, edits, rng)
            if query and fold(query) != fold(entry.primary):
                self.add_positive("typo", query, entry, rng, right=entry.primary)

    def build_reorder(self, count=320):
        rng = self.rng("reorder")
        pool = self.latin_primaries(lambda e: e.schema == "person" and len(tokens(e.primary)) >= 2)
        quota = {"us_csl": 0.4, "us_ofac_sdn": 0.3, "un_sc": 0.25, "us_ofac_consolidated": 0.05}
        for entry in self.spread(rng, pool, count, quota):
            query = reorder(entry.primary, rng)
            if query and query.lower() != entry.primary.lower():
                self.add_positive("reorder", query, entry, rng, right=entry.primary)

    def build_case_punct(self, count=320):
        rng = self.rng("case_punct")
        pool = self.latin_primaries(lambda e: letters(e.primary) >= 6)
        quota = {
            "us_csl": 0.35,
            "us_ofac_sdn": 0.3,
            "un_sc": 0.15,
            "us_ofac_consolidated": 0.1,
            "us_bis_dpl": 0.1,
        }
        # Names with accentable words first, so that accents are well represented.
        accentable = [e for e in pool if any(t in ACCENTED for t in tokens(e.primary))]
        chosen = rng.sample(accentable, min(len(accentable), count // 3))
        taken = {id(entry) for entry in chosen}
        rest = [entry for entry in pool if id(entry) not in taken]
        chosen += self.spread(rng, rest, count - len(chosen), quota)
        for entry in chosen:
            query = case_punct(entry.primary, rng)
            if query and query != entry.primary:
                self.add_positive("case_punct", query, entry, rng, right=entry.primary)

    def build_legal_form(self, count=320):
        rng = self.rng("legal_form")
        pool = []
        for entry in self.latin_primaries(lambda e: e.schema in ("entity", "unknown")):
            found = find_legal_form(entry.primary)
            if found and significant(entry.primary.replace(found[2].group(), " ")):
                pool.append(entry)
        quota = {
            "us_csl": 0.4,
            "us_ofac_sdn": 0.3,
            "us_ofac_consolidated": 0.15,
            "un_sc": 0.1,
            "us_bis_dpl": 0.05,
        }
        for entry in self.spread(rng, pool, count, quota):
            query = legal_variant(entry.primary, rng)
            if query and fold(query) != fold(entry.primary):
                self.add_positive("legal_form", query, entry, rng, right=entry.primary)

    def build_honorific(self, count=220):
        rng = self.rng("honorific")
        pool = self.latin_primaries(lambda e: e.schema == "person" and len(tokens(e.primary)) >= 2)
        quota = {"us_csl": 0.4, "us_ofac_sdn": 0.3, "un_sc": 0.3}
        for entry in self.spread(rng, pool, count, quota):
            name = (
                entry.primary
                if rng.random() < 0.5
                else (reorder(entry.primary, rng) or entry.primary)
            )
            query = f"{rng.choice(HONORIFICS)} {name}"
            self.add_positive("honorific", query, entry, rng, right=entry.primary)

    def build_translit(self, count=260):
        """Names written in another romanisation (Mohammed/Muhammad, Sergei/Sergey, Choe/Choi)."""
        rng = self.rng("translit")
        pool = self.latin_primaries(
            lambda e: (
                e.schema in ("person", "unknown")
                and any(t in SPELLING_OF for t in tokens(e.primary))
            )
        )
        quota = {"us_csl": 0.4, "us_ofac_sdn": 0.3, "un_sc": 0.25, "us_bis_dpl": 0.05}
        for entry in self.spread(rng, pool, count, quota):

            def respell(match):
                word = match.group()
                others = SPELLING_OF.get(word.lower())
                if not others or rng.random() < 0.3:
                    return word
                other = rng.choice(others)
                if word.isupper():
                    return other.upper()
                return other.title() if word[0].isupper() else other

            query = re.sub(r"[A-Za-z]+", respell, entry.primary)
            if fold(query) == fold(entry.primary):
                words = list(re.finditer(r"[A-Za-z]+", entry.primary))
                match = next(m for m in words if m.group().lower() in SPELLING_OF)
                other = rng.choice(SPELLING_OF[match.group().lower()])
                other = other.upper() if match.group().isupper() else other.title()
                query = entry.primary[: match.start()] + other + entry.primary[match.end() :]
            self.add_positive("translit", query, entry, rng, right=entry.primary)

    def build_partial(self, count=330):
        """A person searched by first given name and surname only, the middle names and
        patronymics left out."""
        rng = self.rng("partial")
        pool = self.latin_primaries(
            lambda e: e.schema == "person" and len(significant(e.primary)) >= 3
        )
        quota = {"us_csl": 0.4, "us_ofac_sdn": 0.3, "un_sc": 0.3}
        for entry in self.spread(rng, pool, count, quota):
            if "," in entry.primary:
                surname, given = (part.strip() for part in entry.primary.split(",", 1))
                first = given.split()[0] if given.split() else ""
                if not first or (len(given.split()) < 2 and len(surname.split()) < 2):
                    continue
                query = rng.choice([f"{first} {surname}", f"{surname}, {first}"])
            else:
                words = entry.primary.split()
                query = f"{words[0]} {words[-1]}"
            words = significant(query)
            if len(words) < 2 or fold(query) == fold(entry.primary):
                continue
            # Leave out names so common that many listed people carry them ("Mohammed Saleh").
            sharing = set.intersection(
                *(
                    set().union(*(self.listed.by_token[s] for s in self.listed.similar(w)))
                    for w in words
                )
            )
            if len(sharing) <= 3:
                self.add_positive("partial", query, entry, rng, right=entry.primary)

    def respell(self, name: str, rng: Random) -> str:
        """The name with its words in SPELLINGS written in another romanisation."""

        def other(match):
            word = match.group()
            spellings = SPELLING_OF.get(word.lower())
            if not spellings:
                return word
            new = rng.choice(spellings)
            if word.isupper():
                return new.upper()
            return new.title() if word[0].isupper() else new

        return re.sub(r"[A-Za-z]+", other, name)

    def build_combined(self, count=300):
        """Two or three of the variations at once, as people type names: reordered, a typo,
        another romanisation, middle names left out, a title, other case and punctuation."""
        rng = self.rng("combined")
        pool = self.latin_primaries(lambda e: letters(e.primary) >= 8)
        quota = {
            "us_csl": 0.35,
            "us_ofac_sdn": 0.3,
            "un_sc": 0.2,
            "us_ofac_consolidated": 0.1,
            "us_bis_dpl": 0.05,
        }
        for entry in self.spread(rng, pool, count, quota):
            person = entry.schema == "person"
            steps = ["typo", "case", "respell"] + (
                ["reorder", "partial", "title"] if person else ["legal"]
            )
            query = entry.primary
            for step in rng.sample(steps, rng.choice([2, 3]) if len(steps) > 3 else 2):
                if step == "typo":
                    query = typo(query, 1, rng) or query
                elif step == "case":
                    query = case_punct(query, rng)
                elif step == "respell":
                    query = self.respell(query, rng)
                elif step == "reorder":
                    query = reorder(query, rng) or query
                elif step == "partial" and len(query.split()) >= 3:
                    words = query.replace(",", "").split()
                    query = f"{words[0]} {words[1]}" if "," in query else f"{words[0]} {words[-1]}"
                elif step == "title":
                    query = f"{rng.choice(HONORIFICS)} {query}"
                elif step == "legal":
                    query = legal_variant(query, rng) or query
            words = significant(query)
            if len(words) < 2 or fold(query) == fold(entry.primary):
                continue  # one word (a surname and a title) would be a `short` name
            if person:
                # As for `partial`: no name so common that many listed people carry it.
                sharing = set.intersection(
                    *(
                        set().union(*(self.listed.by_token[x] for x in self.listed.similar(w)))
                        for w in words
                    )
                )
                if len(sharing) > 3:
                    continue
            self.add_positive("combined", query, entry, rng, right=entry.primary)

    def build_similar_surname(self, count=220):
        """Different people whose surname begins like a listed person's: the same given name,
        the surname's stem with another ending (LAVROV, Sergei -> Sergei Lavrenko)."""
        rng = self.rng("similar_surname")
        from rapidfuzz import fuzz
        from rapidfuzz.distance import Levenshtein

        endings_by_kind = {
            "slavic": _words("enko ovsky yev insky ovets uk"),
            "iranian": _words("zadeh pour nia far ani"),
            "turkic": _words("oglu ov li"),
            "georgian": _words("shvili adze ava"),
            "armenian": _words("yan ian"),
            "other": _words("ez es er son ini ano"),
        }

        def kind(surname: str, country: str) -> str:
            folded = fold(surname)
            if country in ("RU", "UA", "BY", "KZ") or folded.endswith(
                ("ov", "ev", "in", "ko", "sky", "iy")
            ):
                return "slavic"
            if country in ("IR", "AF") or folded.endswith(("i", "zadeh", "pour")):
                return "iranian"
            if country in ("TR", "AZ"):
                return "turkic"
            if country == "GE":
                return "georgian"
            if country == "AM":
                return "armenian"
            return "other"

        persons = self.latin_primaries(
            lambda e: (
                e.schema == "person"
                and "," in e.primary
                and len(e.primary.split(",")[0].split()) == 1
                and letters(e.primary.split(",")[0]) >= 6
            )
        )
        made = 0
        for entry in rng.sample(persons, len(persons)):
            if made >= count:
                break
            surname, given = (part.strip() for part in entry.primary.split(",", 1))
            if not given:
                continue
            stem = surname[: max(4, len(surname) - rng.choice([2, 3]))]
            country = entry.countries[0] if entry.countries else ""
            ending = rng.choice(endings_by_kind[kind(surname, country)])
            new = stem + (ending.upper() if surname.isupper() else ending)
            # Further apart than a typo (which `typo` counts as the same name).
            if (
                fuzz.ratio(fold(new), fold(surname)) >= 75
                or Levenshtein.distance(fold(new), fold(surname)) < 3
            ):
                continue
            first = given.split()[0]
            query = rng.choice([f"{first} {new.title()}", f"{new}, {given}"])
            if self.add_negative(
                "similar_surname",
                query,
                rng,
                schema="person",
                country=country,
                right=entry.primary,
            ):
                made += 1

    def build_numbers(self):
        rng = self.rng("numbers")
        pool = self.latin_primaries(
            lambda e: re.search(r"\d", e.primary) is not None and len(significant(e.primary)) >= 2
        )
        for entry in rng.sample(pool, min(110, len(pool))):
            query = case_punct(entry.primary, rng, keep_digits=True)
            if query and re.sub(r"\D", "", query) == re.sub(r"\D", "", entry.primary):
                self.add_positive("numbers", query, entry, rng, right=entry.primary)
        # Negatives: the same name with another number; a number with a legal form only.
        made = 0
        for entry in rng.sample(pool, len(pool)):
            if made >= 100:
                break
            query = change_number(entry.primary, rng)
            if query and self.add_negative("numbers", query, rng, schema="", right=entry.primary):
                made += 1
        forms = ["Corp.", "LLC", "Ltd", "Inc.", "GmbH", "OOO", "JSC", "Co., Ltd.", "S.A."]
        listed_with_form = [
            e.primary
            for e in self.latin_primaries(lambda e: find_legal_form(e.primary) is not None)
        ]
        made = 0
        while made < 60:
            number = str(rng.choice([rng.randint(1, 99), rng.randint(100, 99999)]))
            form = rng.choice(forms)
            query = rng.choice([f"{number} {form}", f"No. {number} {form}", f"{form} {number}"])
            if self.add_negative(
                "numbers", query, rng, schema="entity", right=rng.choice(listed_with_form)
            ):
                made += 1

    def build_short(self):
        rng = self.rng("short")
        pool = self.latin_primaries(
            lambda e: len(tokens(e.primary)) == 1 and letters(e.primary) >= 4
        )
        for entry in rng.sample(pool, min(120, len(pool))):
            query = rng.choice([entry.primary, entry.primary.lower(), entry.primary.title()])
            self.add_positive("short", query, entry, rng, right=entry.primary)
        # Negatives: one common given name or surname alone, and short strings.
        words = sorted(
            {w for text in GIVEN.values() for w in text.split()}
            | {w for text in SURNAMES.values() for w in text.split()}
        )
        words += [
            "Mohammed",
            "Muhammad",
            "Ali",
            "Ahmad",
            "Hassan",
            "Hussein",
            "Abdullah",
            "Ivanov",
            "Petrov",
            "Kim",
            "Park",
            "Jose",
            "Omar",
            "Khan",
            "Rahman",
        ]
        made = 0
        for word in rng.sample(words, len(words)):
            if made >= 140:
                break
            if self.add_negative("short", word, rng, schema="person", allow_subset=True):
                made += 1
        made = 0
        while made < 60:
            word = "".join(rng.choice("BCDFGHKLMNPRSTVZ") + rng.choice("AEIOU") for _ in range(2))
            if self.add_negative("short", word.title(), rng, allow_subset=True):
                made += 1

    # -- cross-script --------------------------------------------------------------------------

    def build_cross_script(self):
        rng = self.rng("cross_script")
        # Original-script names the lists carry (the UN list): the exact name, and spelling
        # variants of Arabic names (hamza forms of alef, ta marbuta, alef maqsura, no tatweel).
        for entry in self.entries:
            for name, kind, script in entry.names:
                if kind == "original_script" and not is_latin(name):
                    # The pair compares with the Latin name it transliterates; a translated
                    # name's pair is informational (compare() has no list to look it up in).
                    latin = transliterable(name, entry)
                    pair_category = "cross_script_listed" if latin else "cross_script_translation"
                    right = latin or entry.primary
                    self.add_positive(
                        "cross_script_listed",
                        name,
                        entry,
                        rng,
                        right=right,
                        pair_category=pair_category,
                    )
                    variant = arabic_variant(name) if script == "Arabic" else None
                    if variant and variant != name:
                        self.add_positive(
                            "cross_script_listed",
                            variant,
                            entry,
                            rng,
                            right=right,
                            pair_category=pair_category,
                        )
        # Names in another script that an older version carried and the active one does not
        # (the 2025-01 OFAC consolidated XML vs the active 2025-12 CSV set).
        for versions in self.lists.superseded.values():
            for version in versions:
                for old in version:
                    entry = self.lists.get(old.list, old.entry_id)
                    if entry is None:
                        continue
                    active_names = {fold(n) for n, _k, _s in entry.names}
                    for name, kind, _script in old.names:
                        if kind != "original_script" or fold(name) in active_names:
                            continue
                        latin = transliterable(name, entry)
                        category = "cross_script" if latin else "cross_script_translation"
                        self.add_positive(category, name, entry, rng, right=latin or entry.primary)
        # Cyrillic names of people who are not listed.
        made = 0
        while made < 50:
            given = rng.choice(CYRILLIC_GIVEN)
            surname = rng.choice(CYRILLIC_SURNAMES)
            if given in FEMALE_CYRILLIC:
                surname = surname + "а"
            patronymic = rng.choice(CYRILLIC_PATRONYMICS)
            if given in FEMALE_CYRILLIC:
                patronymic = patronymic[:-2] + "на"
            query = rng.choice(
                [
                    f"{given} {surname}",
                    f"{surname} {given} {patronymic}",
                    f"{given} {patronymic} {surname}",
                ]
            )
            if self.add_negative("cross_script", query, rng, schema="person", country="RU"):
                made += 1

    # -- negatives ---------------------------------------------------------------------------

    def build_family_name(self, count=520):
        rng = self.rng("family_name")
        persons = self.latin_primaries(
            lambda e: (
                e.schema == "person"
                and "," in e.primary
                and len(significant(e.primary.split(",")[0])) >= 1
                and letters(e.primary.split(",")[0]) >= 4
            )
        )
        given_by_country: dict[str, list[str]] = defaultdict(list)
        for entry in persons:
            given = entry.primary.split(",", 1)[1].strip()
            if given and is_latin(given):
                for country in entry.countries[:1] or ["--"]:
                    given_by_country[country].append(given)
        all_given = sorted({g for values in given_by_country.values() for g in values})
        made = 0
        for entry in rng.sample(persons, len(persons)):
            if made >= count:
                break
            surname, given = (part.strip() for part in entry.primary.split(",", 1))
            own = set(significant(given))
            country = entry.countries[0] if entry.countries else ""
            choices = given_by_country.get(country) or all_given
            if rng.random() < 0.3:
                culture = rng.choice(sorted(GIVEN))
                new_given = rng.choice(GIVEN[culture].split())
            else:
                new_given = rng.choice(choices)
                # Keep the first given name (and at most one more), as people are searched.
                new_given = " ".join(new_given.split()[: rng.choice([1, 2])])
            new_tokens = set(significant(new_given))
            if not new_tokens or any(_close(a, b) for a in new_tokens for b in own):
                continue
            surname_display = surname.title() if rng.random() < 0.5 else surname
            query = rng.choice(
                [
                    f"{new_given} {surname_display}",
                    f"{surname_display}, {new_given}",
                    f"{surname_display} {new_given}",
                ]
            )
            birth = ""
            if self.add_negative(
                "family_name", query, rng, schema="person", country=country, right=entry.primary
            ):
                made += 1
                if entry.births and rng.random() < 0.1:
                    birth = str(int(entry.births[0][:4]) + rng.choice([-23, -17, 12, 19, 26]))
                    self.cases[-1].birth_date = birth

    def build_generic_company(self, count=320):
        rng = self.rng("generic_company")
        entities = self.latin_primaries(
            lambda e: (
                e.schema in ("entity", "unknown")
                and any(t in GENERIC_WORDS for t in tokens(e.primary))
                and len(tokens(e.primary)) >= 2
            )
        )
        made = 0
        for entry in rng.sample(entities, len(entities)):
            if made >= count:
                break
            query = self.replace_distinctive(entry.primary, entry, rng, keep_generic=True)
            if query and self.add_negative(
                "generic_company",
                query,
                rng,
                schema="entity",
                country=entry.countries[0] if entry.countries else "",
                right=entry.primary,
            ):
                made += 1

    def pair_nearest(self, query: str, schema: str, rng: Random, fallback: list[str]) -> None:
        """A no-match pair of a negative with the listed name most like it."""
        right = self.listed.nearest(query) or rng.choice(fallback)
        self.pairs.append(Pair("random", query, right, schema, False))

    def build_random(self, persons=320, companies=200):
        rng = self.rng("random")

        latin = [e.primary for e in self.latin_primaries()]
        made = 0
        while made < persons:
            culture = rng.choice(sorted(GIVEN))
            given = rng.choice(GIVEN[culture].split())
            second = rng.choice(GIVEN[culture].split())
            if rng.random() < 0.3 and second != given:
                given = f"{given} {second}"
            surname = rng.choice(SURNAMES[culture].split())
            query = rng.choice([f"{given} {surname}", f"{surname.upper()}, {given}"])
            if self.add_negative("random", query, rng, schema="person"):
                made += 1
                self.pair_nearest(query, "person", rng, latin)
        made = 0
        while made < companies:
            words = [rng.choice(COMPANY_WORDS)]
            if rng.random() < 0.3:
                words.append(rng.choice(COMPANY_WORDS))
            words.append(rng.choice(COMPANY_KINDS))
            query = " ".join([*words, rng.choice(COMPANY_FORMS)]).strip()
            if self.add_negative("random", query, rng, schema="entity"):
                made += 1
                self.pair_nearest(query, "entity", rng, latin)

    def replace_distinctive(self, name: str, entry: Entry, rng: Random, keep_generic=False):
        """The name with one distinctive token (a given name, or the word that tells a company
        apart) replaced by a lexicon word of the same kind; None if there is none to replace."""
        if entry.schema != "person" and "(" in name:
            return None  # a bracketed acronym or second name would still name the party
        parts = re.split(r"(\s+|,\s*|-)", name)
        positions = [
            i
            for i, part in enumerate(parts)
            if part.strip()
            and fold(part)
            and fold(part) not in STOP
            and not part.isdigit()
            and (not keep_generic or fold(part) not in GENERIC_WORDS)
            and letters(part) >= 3
        ]
        if not positions:
            return None
        if entry.schema == "person":
            if "," in name:  # "SURNAME, Given": replace a given name
                comma = next(i for i, part in enumerate(parts) if "," in part)
                given_positions = [i for i in positions if i > comma]
                if not given_positions:
                    return None
                position = given_positions[0]
            else:
                position = positions[0]
            culture = rng.choice(sorted(GIVEN))
            replacement = rng.choice(GIVEN[culture].split())
        else:
            # The rarest word across the lists is the one that tells this party apart.
            position = min(
                positions,
                key=lambda i: (len(self.listed.by_token.get(fold(parts[i]), ())), i),
            )
            replacement = rng.choice(COMPANY_WORDS)
        if _close(fold(replacement), fold(parts[position])):
            return None
        if entry.schema != "person":
            # What stays must be words many listed names share, so that the new word is the
            # only one that tells the party apart.
            for i in positions:
                if i != position and len(self.listed.by_token.get(fold(parts[i]), ())) < 5:
                    return None
        original = parts[position]
        if original.isupper():
            replacement = replacement.upper()
        parts[position] = replacement
        return "".join(parts)

    # -- hand-written ------------------------------------------------------------------------

    def add_handwritten(self, folder: Path) -> list[str]:
        problems = []
        path = folder / HANDWRITTEN_CASES
        with path.open(newline="", encoding="utf-8") as stream:
            for line, row in enumerate(csv.DictReader(stream), start=2):
                case = Case(**{column: row[column].strip() for column in CASE_COLUMNS})
                if case.expected_entry_id:
                    if self.lists.get(case.expected_list, case.expected_entry_id) is None:
                        problems.append(
                            f"{path.name}:{line}: no entry {case.expected_list} "
                            f"{case.expected_entry_id}"
                        )
                        continue
                else:
                    check = row.get("latin_check", "").strip() or case.query
                    if not self.listed.clear(check, allow_subset=case.category == "short"):
                        problems.append(
                            f"{path.name}:{line}: {case.query!r} resembles listed "
                            f"names {self.listed.explain(check)}"
                        )
                        continue
                key = (case.category, fold(case.query) or case.query)
                if key in self.seen_queries:
                    continue
                self.seen_queries.add(key)
                self.cases.append(case)
        path = folder / HANDWRITTEN_PAIRS
        with path.open(newline="", encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                self.pairs.append(
                    Pair(
                        row["category"],
                        row["left"],
                        row["right"],
                        row["schema"] or "any",
                        row["match"] == "true",
                    )
                )
        return problems


def _core(words) -> tuple[str, ...]:
    """The words of a name that are not generic ("oceanic institute" -> "oceanic")."""
    core = tuple(word for word in words if word not in GENERIC_WORDS)
    return core or tuple(words)


def _pair_schema(schema: str) -> str:
    return schema if schema in ("person", "entity", "vessel") else "any"


def _close(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return (
        a == b
        or (len(a) > 3 and len(b) > 3 and fuzz.ratio(a, b) >= 75)
        or (a[:3] == b[:3] and min(len(a), len(b)) <= 3)
    )


# --- the variant makers -----------------------------------------------------------------------

KEYBOARD = {
    "a": "qsz",
    "b": "vgn",
    "c": "xdv",
    "d": "sfe",
    "e": "wrd",
    "f": "dgr",
    "g": "fht",
    "h": "gjy",
    "i": "uok",
    "j": "hku",
    "k": "jli",
    "l": "kop",
    "m": "nj",
    "n": "bmh",
    "o": "ipl",
    "p": "ol",
    "q": "wa",
    "r": "eft",
    "s": "adw",
    "t": "rgy",
    "u": "yij",
    "v": "cbf",
    "w": "qes",
    "x": "zsc",
    "y": "tuh",
    "z": "xas",
}


def typo(name: str, edits: int, rng: Random) -> str | None:
    """1-2 character edits (substitute a neighbouring key, delete, insert, swap), never the
    first letter of a word, never in a legal form."""
    chars = list(name)
    word_starts = {
        i for i, c in enumerate(chars) if c.isalpha() and (i == 0 or not chars[i - 1].isalpha())
    }
    legal = find_legal_form(name)
    blocked = set(range(legal[2].start(), legal[2].end())) if legal else set()
    for _ in range(edits):
        positions = [
            i
            for i, c in enumerate(chars)
            if c.isalpha() and i not in word_starts and i not in blocked
        ]
        if not positions:
            return None
        i = rng.choice(positions)
        op = rng.choice(["sub", "sub", "del", "ins", "swap"])
        char = chars[i]
        upper = char.isupper()
        if op == "sub":
            new = rng.choice(KEYBOARD.get(char.lower(), "e"))
            chars[i] = new.upper() if upper else new
        elif op == "del":
            del chars[i]
        elif op == "ins":
            new = rng.choice(KEYBOARD.get(char.lower(), "e"))
            chars.insert(i, new.upper() if upper else new)
        elif i + 1 < len(chars) and chars[i + 1].isalpha():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            del chars[i]
        word_starts = {
            j for j, c in enumerate(chars) if c.isalpha() and (j == 0 or not chars[j - 1].isalpha())
        }
        blocked = {j for j in blocked if j < len(chars)}
    return "".join(chars)


def reorder(name: str, rng: Random) -> str | None:
    if "," in name:
        surname, given = (part.strip() for part in name.split(",", 1))
        if not given or not surname:
            return None
        forms = [f"{given} {surname}", f"{given} {surname}".title(), f"{surname} {given}"]
        return rng.choice(forms)
    words = name.split()
    if len(words) < 2:
        return None
    forms = [
        f"{words[-1]}, {' '.join(words[:-1])}",
        f"{words[-1]} {' '.join(words[:-1])}",
        " ".join(words[1:] + words[:1]),
    ]
    return rng.choice(forms)


def case_punct(name: str, rng: Random, keep_digits: bool = False) -> str:
    text = name
    ops = rng.sample(["case", "punct", "accents", "spaces"], rng.choice([1, 2]))
    if any(t in ACCENTED for t in tokens(name)) and "accents" not in ops:
        ops.append("accents")
    for op in ops:
        if op == "case":
            text = rng.choice([text.lower(), text.title(), text.upper(), text.swapcase()])
        elif op == "punct":
            text = re.sub(r"['’`ʼ]", "", text)  # apostrophes are dropped, not spaced
            text = rng.choice(
                [
                    re.sub(r"[^\w\s]", "", text),
                    re.sub(r"[^\w\s]", " ", text),
                    re.sub(r"-", "", text),
                    text.replace(" ", "-", 1) if " " in text else text + ".",
                ]
            )
        elif op == "accents":
            stripped = strip_accents(text)
            if stripped != text:
                text = stripped
            else:

                def accent(match):
                    word = match.group()
                    target = ACCENTED.get(word.lower())
                    if not target:
                        return word
                    if word.isupper():
                        return target.upper()
                    return target if word[0].isupper() else target.lower()

                text = re.sub(r"[A-Za-z]+", accent, text)
        elif op == "spaces":
            text = (
                re.sub(r"\s+", "  ", text) if rng.random() < 0.5 else re.sub(r"\s*,\s*", ",", text)
            )
    return re.sub(r"\s+", " ", text).strip()


def legal_variant(name: str, rng: Random) -> str | None:
    found = find_legal_form(name)
    if not found:
        return None
    group_index, _form, match = found
    rest = (name[: match.start()] + " " + name[match.end() :]).strip(" ,")
    rest = re.sub(r"\s+", " ", rest)
    choice = rng.random()
    if choice < 0.2:
        return rest  # the legal form dropped
    others = [
        form
        for form in LEGAL_GROUPS[group_index]
        if form.upper() != match.group().upper().strip(".")
    ]
    form = rng.choice(others or LEGAL_GROUPS[group_index])
    if not name.isupper() and not re.search(r"[А-Я]", form):
        form = form if form.isupper() and len(form) <= 5 else form.title()
    if choice < 0.6:
        return f"{rest} {form}" if match.start() > 0 else f"{form} {rest}"
    # The legal form moved to the other end.
    return f"{form} {rest}" if match.start() > 0 else f"{rest}, {form}"


def change_number(name: str, rng: Random) -> str | None:
    numbers = list(re.finditer(r"\d+", name))
    if not numbers:
        return None
    match = rng.choice(numbers)
    value = int(match.group())
    new = value + rng.choice([1, 2, 3, 7, 10, 11]) if rng.random() < 0.6 else rng.randint(1, 999)
    if new == value:
        return None
    return name[: match.start()] + str(new) + name[match.end() :]


ARABIC_VARIANTS = [("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي"), ("ـ", "")]


def arabic_variant(name: str) -> str | None:
    text = name
    for old, new in ARABIC_VARIANTS:
        text = text.replace(old, new)
    # Arabic diacritics (harakat) removed.
    text = "".join(char for char in text if not ("\u064b" <= char <= "\u0652"))
    return text if text != name else None


def transliterable(name: str, entry: Entry) -> str | None:
    """The Latin name of the entry that a name in another script reads like, transliterated
    (at least half its distinctive words alike one of the Latin name's and at least half
    of those alike one of its, by letters or by consonants, as Arabic is written without
    short vowels); None if there is none: then it is a translation, which no
    transliteration can find."""
    from rapidfuzz import fuzz

    def alike(a: str, b: str) -> bool:
        return fuzz.ratio(a, b) >= 75 or fuzz.ratio(_skeleton(a), _skeleton(b)) >= 75

    # Titles are kept: transliterated Arabic has no short vowels, so "mr" may be a name (Umar).
    skip = LEGAL_WORDS | NAME_PARTICLES | GENERIC_WORDS
    query = [t for t in tokens(name) if t not in skip]
    if not query:
        return None
    best, best_found = None, 0.0
    for other, _kind, _script in entry.names:
        if not is_latin(other):
            continue
        listed = [t for t in tokens(other) if t not in skip]
        if not listed:
            continue
        matched = sum(1 for t in query if any(alike(t, u) for u in listed))
        if matched < min(2, len(query)):
            continue
        found = matched / len(query)
        # Both ways: cognates ("fond natsionalnogo" ~ "national ... fund") are not enough.
        back = sum(1 for u in listed if any(alike(t, u) for t in query)) / len(listed)
        if found >= 0.5 and back >= 0.5 and found > best_found:
            best, best_found = other, found
    return best


def _skeleton(token: str) -> str:
    stripped = re.sub(r"[aeiouyw]", "", token)
    return stripped or token


# --- writing -----------------------------------------------------------------------------------


def build(
    out: Path = EVAL_DIR, *, lists_dir: Path = LISTS_DIR, handwritten: Path = EVAL_DIR
) -> dict[str, Counter]:
    lists = load_lists(lists_dir)
    builder = Builder(lists)
    builder.build_alias()
    builder.build_typo()
    builder.build_reorder()
    builder.build_case_punct()
    builder.build_legal_form()
    builder.build_honorific()
    builder.build_translit()
    builder.build_partial()
    builder.build_combined()
    builder.build_numbers()
    builder.build_short()
    builder.build_cross_script()
    builder.build_family_name()
    builder.build_similar_surname()
    builder.build_generic_company()
    builder.build_random()
    problems = builder.add_handwritten(handwritten)
    if problems:
        raise SystemExit("hand-written cases that do not hold:\n" + "\n".join(problems))
    out.mkdir(parents=True, exist_ok=True)
    with (out / "cases.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(CASE_COLUMNS)
        writer.writerows(case.row() for case in builder.cases)
    with (out / "pairs.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(PAIR_COLUMNS)
        writer.writerows(pair.row() for pair in builder.pairs)
    counts = {
        "cases": Counter(
            f"{c.category} {'positive' if c.expected_entry_id else 'negative'}"
            for c in builder.cases
        ),
        "pairs": Counter(
            f"{p.category} {'match' if p.match else 'no match'}" for p in builder.pairs
        ),
        "skipped": Counter(" + ".join(paths) for paths, _error in lists.skipped),
    }
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=EVAL_DIR)
    args = parser.parse_args()
    counts = build(args.out)
    for kind, counter in counts.items():
        print(f"{kind}: {sum(counter.values())}")
        for key in sorted(counter):
            print(f"  {key}: {counter[key]}")


if __name__ == "__main__":
    main()
