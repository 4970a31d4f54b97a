"""ISO 3166 countries from pycountry (a maintained library), as (code, name) pairs."""

from __future__ import annotations

import pycountry


def iso_countries() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        out.append((str(country.alpha_2), str(name)))
    # XK (Kosovo) is user-assigned in ISO 3166 but used by sanctions lists and customs systems.
    out.append(("XK", "Kosovo"))
    return sorted(out)
