"""The Export Control List (SOR/89-202) as reference data, and its destination rules.

Group and item titles follow the ECL schedule headings; Group 2 items mirror the Wassenaar
Munitions List (ML1-ML22) and Group 9 items the Arms Trade Treaty / UN Register categories
(regime-facts.md 1.2, 4, 5.2).
"""

from __future__ import annotations

from dataclasses import dataclass

US = "US"


@dataclass(frozen=True)
class ControlListGroup:
    number: int
    title: str
    repealed: bool = False


@dataclass(frozen=True)
class ControlListItem:
    code: str
    group: int
    title: str
    wassenaar_ref: str | None = None
    att_category: str | None = None
    is_software: bool = False
    is_technology: bool = False


GROUPS: tuple[ControlListGroup, ...] = (
    ControlListGroup(1, "Dual-Use List"),
    ControlListGroup(2, "Munitions List"),
    ControlListGroup(3, "Nuclear Non-proliferation List"),
    ControlListGroup(4, "Nuclear-related Dual-use List"),
    ControlListGroup(5, "Miscellaneous Goods and Technology"),
    ControlListGroup(6, "Missile Technology Control Regime List"),
    ControlListGroup(7, "Chemical and Biological Weapons Non-proliferation List"),
    ControlListGroup(8, "(Repealed, SOR/2006-16)", repealed=True),
    ControlListGroup(9, "Arms Trade Treaty"),
)

_MUNITIONS: tuple[tuple[str, str], ...] = (
    (
        "Smooth-bore weapons with a calibre of less than 20 mm, other arms and automatic weapons "
        "with a calibre of 12.7 mm or less, accessories and components",
        "ML1",
    ),
    (
        "Smooth-bore weapons with a calibre of 20 mm or more, other weapons or armament with a "
        "calibre greater than 12.7 mm, projectors and accessories",
        "ML2",
    ),
    ("Ammunition and fuze-setting devices", "ML3"),
    (
        "Bombs, torpedoes, rockets, missiles, other explosive devices and charges, and related equipment",
        "ML4",
    ),
    (
        "Fire control, surveillance and warning equipment, and related systems, test, alignment and "
        "countermeasure equipment, specially designed for military use",
        "ML5",
    ),
    ("Ground vehicles and components", "ML6"),
    (
        "Chemical or biological toxic agents, riot control agents, radioactive materials, related equipment",
        "ML7",
    ),
    ("Energetic materials and related substances", "ML8"),
    ("Vessels of war (surface or underwater), special naval equipment, accessories and components", "ML9"),
    (
        "Aircraft, lighter-than-air vehicles, unmanned aerial vehicles, aero-engines and aircraft equipment",
        "ML10",
    ),
    ("Electronic equipment, spacecraft and components, not specified elsewhere", "ML11"),
    ("High-velocity kinetic energy weapon systems", "ML12"),
    ("Armoured or protective equipment, constructions and components", "ML13"),
    ("Specialised equipment for military training or for simulating military scenarios, simulators", "ML14"),
    ("Imaging or countermeasure equipment, specially designed for military use", "ML15"),
    ("Forgings, castings and other unfinished products specially designed for listed items", "ML16"),
    ("Miscellaneous equipment, materials and libraries", "ML17"),
    ("Production equipment and environmental test facilities", "ML18"),
    ("Directed energy weapon (DEW) systems", "ML19"),
    ("Cryogenic and superconductive equipment", "ML20"),
    ("Software", "ML21"),
    ("Technology", "ML22"),
)

_ATT: tuple[tuple[str, str], ...] = (
    ("Battle tanks", "I"),
    ("Armoured combat vehicles", "II"),
    ("Large-calibre artillery systems", "III"),
    (
        "Military aircraft, manned or unmanned, including unmanned aircraft that engage targets or "
        "perform reconnaissance, and their control systems",
        "IV",
    ),
    ("Military helicopters, manned or unmanned", "V"),
    ("Warships and submarines", "VI"),
    ("Missiles and missile launchers, including man-portable air defence systems", "VII"),
    ("Small arms", "VIII"),
    ("Light weapons", "VIII"),
)

ITEMS: tuple[ControlListItem, ...] = (
    *(
        ControlListItem(f"2-{n}", 2, title, wassenaar_ref=ml, is_software=(n == 21), is_technology=(n == 22))
        for n, (title, ml) in enumerate(_MUNITIONS, start=1)
    ),
    *(ControlListItem(f"9-{n}", 9, title, att_category=cat) for n, (title, cat) in enumerate(_ATT, start=1)),
    ControlListItem("1-6.A.3", 1, "Cameras (dual-use imaging)", wassenaar_ref="6A003"),
    ControlListItem("5400", 5, "Goods and technology of United States origin"),
    ControlListItem("5504", 5, "Strategic goods and technology"),
    ControlListItem("5505", 5, "Goods and technology for certain uses (WMD catch-all)"),
)

ITEMS_BY_CODE: dict[str, ControlListItem] = {item.code: item for item in ITEMS}
GROUPS_BY_NUMBER: dict[int, ControlListGroup] = {g.number: g for g in GROUPS}

# ECL s.2: Groups 1, 2, 6 and 7 need a permit to any destination other than the United States,
# except these items, which (like all of Groups 3, 4 and 9) need one to every destination.
_GROUPS_FREE_TO_US = frozenset({1, 2, 6, 7})
_ITEMS_CONTROLLED_TO_US = frozenset({"2-1", "2-2.a", "2-2.b", "2-3", "2-4.a", "6-1", "6-2", "7-3", "7-13"})


def group_of(item_code: str) -> int:
    """The ECL group of an item code such as ``2-15``, ``2-2.a`` or ``5504``."""
    head = item_code.split("-", 1)[0] if "-" in item_code else item_code[:1]
    return int(head)


def is_military(item_code: str) -> bool:
    """Groups 2 and 9 are 'arms, ammunition, implements or munitions of war' (EIPA s.7.3)."""
    return group_of(item_code) in (2, 9)


def permit_required(item_code: str, destination: str) -> bool:
    """ECL s.2: does exporting this item to this destination need an individual or general permit?"""
    group = group_of(item_code)
    if destination != US:
        return True
    if item_code in _ITEMS_CONTROLLED_TO_US or any(
        item_code.startswith(code + ".") for code in _ITEMS_CONTROLLED_TO_US
    ):
        return True
    return group not in _GROUPS_FREE_TO_US
