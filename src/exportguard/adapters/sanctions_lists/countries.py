"""Country names as lists write them ("Iran (Islamic Republic of)", "Burma / Birmanie") to ISO
3166 alpha-2 codes, so that a party's country can be compared with a listed one."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

# Names the lists use that pycountry does not know under that spelling.
_ALIASES = {
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "north korea": "KP",
    "korea, north": "KP",
    "south korea": "KR",
    "korea, south": "KR",
    "democratic people's republic of korea": "KP",
    "dprk": "KP",
    "burma": "MM",
    "myanmar": "MM",
    "laos": "LA",
    "vietnam": "VN",
    "democratic republic of the congo": "CD",
    "congo, democratic republic of the": "CD",
    "republic of the congo": "CG",
    "congo": "CG",
    "turkey": "TR",
    "turkiye": "TR",
    "türkiye": "TR",
    "palestine": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "kosovo": "XK",
    "united kingdom": "GB",
    "uk": "GB",
    "united states": "US",
    "usa": "US",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "macedonia": "MK",
    "the former yugoslav republic of macedonia": "MK",
    "libyan arab jamahiriya": "LY",
    "crimea": "UA",
    "region: crimea": "UA",
    "soviet union": "RU",
    "ussr": "RU",
}


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """The ISO code for a country name or code, or None when it names no known country."""
    text = name.strip().strip(".").strip()
    if not text:
        return None
    alias = _ALIASES.get(text.lower())
    if alias:
        return alias
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        pass
    # "Iran (Islamic Republic of)" -> "Iran"; "Burma / Birmanie" -> "Burma".
    for raw in re.split(r"\s*[/(]\s*", text):
        piece = raw.rstrip(")").strip()
        if piece and piece != text:
            code = country_code(piece)
            if code:
                return code
    return None


def country_codes(names: list[str]) -> frozenset[str]:
    return frozenset(c for c in (country_code(n) for n in names) if c)
