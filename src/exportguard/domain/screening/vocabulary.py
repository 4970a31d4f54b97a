"""Words that say little about who a party is: legal forms, name particles, generic trade words,
and the few given-name variants that no spelling rule can derive (Ted = Theodore).

Users of screening tools complain that "LLC" or "Ltd" counted as evidence of a match; here legal
forms are taken out of the name and only reported, and particles and generic words weigh less.
"""

from __future__ import annotations

# Legal forms by equivalence class: the class name is what the explanation shows. Multi-word
# phrases are written as they read after transliteration (ООО -> "ooo", A.Ş. -> "as").
_LEGAL_FORM_CLASSES: dict[str, tuple[str, ...]] = {
    "limited liability company": (
        "llc",
        "l l c",
        "limited liability company",
        "ooo",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "obshchestvo s ogranichennoi otvetstvennostiu",
        "tov",
        "too",
        "mchj",
        "gmbh",
        "mbh",
        "sarl",
        "srl",
        "sprl",
        "sp z o o",
        "spzoo",
        "sro",
        "kft",
        "doo",
        "bv",
        "limited liability partnership",
        "llp",
        "lp",
        "ltd liability co",
        "societatea cu raspundere limitata",
        "sociedad de responsabilidad limitada",
        "limitada",
        "ltda",
        "gesellschaft mit beschrankter haftung",
    ),
    "non-profit organisation": ("ano", "nko", "ngo", "ev", "e v", "gemeinnutzige"),
    "limited company": (
        "ltd",
        "limited",
        "co ltd",
        "company limited",
        "pvt ltd",
        "private limited",
        "pte ltd",
        "pty ltd",
        "pty",
        "pte",
        "pvt",
        "plc",
        "public limited company",
        "sdn bhd",
        "bhd",
        "berhad",
        "sendirian berhad",
    ),
    "joint stock company": (
        "jsc",
        "joint stock company",
        "ao",
        "oao",
        "zao",
        "pao",
        "ojsc",
        "cjsc",
        "pjsc",
        "jsco",
        "open joint stock company",
        "closed joint stock company",
        "public joint stock company",
        "aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "ag",
        "aktiengesellschaft",
        "sa",
        "s a",
        "societe anonyme",
        "sociedad anonima",
        "as",
        "a s",
        "anonim sirketi",
        "anonim sirket",
        "asa",
        "ab",
        "nv",
        "spa",
        "s p a",
        "kk",
        "kabushiki kaisha",
        "tbk",
        "sae",
        "saog",
        "psc",
        "pt",
    ),
    "corporation": ("inc", "incorporated", "corp", "corporation", "co", "company", "cie"),
    "group": ("group", "holding", "holdings", "gruppe", "groupe"),
}


def _words(text: str) -> list[str]:
    return text.split()


LEGAL_FORMS: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): label for label, phrases in _LEGAL_FORM_CLASSES.items() for phrase in phrases
}
# Dotted abbreviations (L.L.C., P.T.) are rejoined into one word before this table is used.
# Classes that say what a company is, so that two different ones argue against a match (a GmbH
# is not an AG); "corporation" and "group" are used too loosely to argue anything.
DISTINCTIVE_LEGAL_FORMS = frozenset(
    {"limited liability company", "joint stock company", "non-profit organisation"}
)
LEGAL_FORM_MAX_WORDS = max(len(words) for words in LEGAL_FORMS)

# Connecting particles of personal names (Arabic, Romance, Germanic, Dutch): present or absent
# with no change of identity, so they weigh little either way.
PARTICLES = frozenset(
    _words(
        "al el ul ad ar as at az bin ben ibn bint binti bte abu bu de del della der des di da do dos "
        "du la le van von ten ter y e and of the ve und et"
    )
)

# Titles and honorifics: part of how lists write some names (QARI SAIFULLAH TOKHI), so they are
# kept, but weigh like particles.
HONORIFICS = frozenset(
    _words(
        "mr mrs ms miss dr prof president general gen colonel col major maj captain capt sheikh "
        "shaykh sheik haji hajji mullah mulla mawlawi maulvi maulana qari sir lord lady imam "
        "emir amir sayyid"
    )
)

# Number words written out in some names and as digits in others (Three Percenters, 1st Bank).
NUMBER_WORDS: dict[str, str] = {
    word: str(value)
    for value, words in enumerate(
        (
            (),
            ("one", "first"),
            ("two", "second"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
            ("eleven",),
            ("twelve",),
        )
    )
    for word in words
} | {"1st": "1", "2nd": "2", "3rd": "3", "4th": "4", "5th": "5"}

# Words common to many organisation names: "Trading" matching "Trading" says little.
GENERIC_ORGANISATION_WORDS = frozenset(
    _words(
        "bank banking trading trade international industries industrial industry enterprise "
        "enterprises services service general national trust investment investments finance "
        "financial import export shipping marine maritime logistics commercial technology "
        "technologies engineering construction development energy oil gas petroleum airlines "
        "aviation air global management manufacturing factory foundation association organisation "
        "organization center centre institute office agency ministry department state united "
        # Turkish, German, Romance and Russian equivalents (Sanayi ve Ticaret = Industry and Trade).
        "sanayi sanayii ticaret insaat handels industrie societe compania empresa kompaniya zavod"
    )
)

# Given-name equivalents that share no spelling: nicknames and cross-language forms. Spelling
# variants (Mohamed / Muhammad, Sergei / Sergey) are left to the consonant skeleton instead.
_GIVEN_NAME_GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "john",
        "jon",
        "juan",
        "johann",
        "johannes",
        "jean",
        "giovanni",
        "joao",
        "ivan",
        "jan",
        "sean",
        "ian",
        "evan",
        "hans",
        "jack",
        "johnny",
    ),
    ("joseph", "jose", "josef", "giuseppe", "yusuf", "yosef", "joe", "youssef", "iosif"),
    ("theodore", "ted", "teddy", "theo", "fyodor", "fedor", "teodor"),
    ("benjamin", "ben", "benny", "binyamin", "bibi"),
    ("william", "bill", "billy", "will", "willem", "wilhelm", "guillermo", "guillaume"),
    ("robert", "bob", "bobby", "rob", "roberto", "rupert"),
    ("richard", "dick", "rick", "ricardo", "riccardo"),
    ("james", "jim", "jimmy", "jamie", "jacques", "giacomo"),
    ("michael", "mike", "mikhail", "michel", "miguel", "michele", "mikael", "mykhailo"),
    ("alexander", "alex", "aleksandr", "alexandre", "alejandro", "sasha", "oleksandr", "iskandar"),
    ("anthony", "tony", "antonio", "anton", "antoine"),
    ("thomas", "tom", "tommy", "tomas", "tomasz", "foma"),
    ("elizabeth", "liz", "beth", "betty", "elisabeth", "isabel", "elizaveta"),
    ("katherine", "kate", "catherine", "katarina", "ekaterina", "yekaterina", "katya"),
    ("peter", "pete", "pedro", "pierre", "pietro", "pyotr", "petr", "petro"),
    ("paul", "pablo", "paolo", "pavel", "pol", "pavlo"),
    ("george", "jorge", "georg", "giorgio", "georgy", "yuri", "yury", "jurgen"),
    ("nicholas", "nick", "nikolai", "nicolas", "nicola", "mykola", "klaus"),
    ("stephen", "steve", "steven", "stefan", "esteban", "stepan", "etienne"),
    ("dmitry", "dmitri", "dima"),
    ("vladimir", "volodymyr", "vova"),
    ("abdul", "abd", "abdel", "abdal", "abdoul"),
    ("usama", "osama", "oussama"),
    ("husayn", "hussein", "husain", "hossein", "huseyin"),
    ("hasan", "hassan", "hasen"),
)

GIVEN_NAME_VARIANTS: dict[str, int] = {
    name: index for index, group in enumerate(_GIVEN_NAME_GROUPS) for name in group
}

# The same groups' names as Arabic and Persian write them (letters normalised as in
# ``abjad.pattern``: ي for ی/ى, ا for أ/إ/آ, ه for ة). Short forms no letter table can stretch to
# their Latin spelling: عبد is Abdul as often as Abd.
_ABJAD_GIVEN_NAMES: dict[str, str] = {
    "عبد": "abdul",
    "يوسف": "joseph",
    "حسين": "husayn",
    "حسن": "hasan",
    "اسامه": "usama",
}
ABJAD_GIVEN_NAME_VARIANTS: dict[str, int] = {
    letters: GIVEN_NAME_VARIANTS[latin] for letters, latin in _ABJAD_GIVEN_NAMES.items()
}
