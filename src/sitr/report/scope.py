"""Report scopes: global, a region (MENA, EU) or one country, as `--scope` spells them."""

from __future__ import annotations

from dataclasses import dataclass

# Middle East and North Africa as sitr's campaign uses it: the Arab League states, Iran, Israel and
# Palestine, and Western Sahara.
_MENA = "DZ BH KM DJ EG IR IQ IL JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE EH"
_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
MENA: frozenset[str] = frozenset(_MENA.split(" "))
EU: frozenset[str] = frozenset(_EU.split(" "))
REGIONS: dict[str, frozenset[str]] = {"MENA": MENA, "EU": EU}


class ScopeError(ValueError):
    pass


@dataclass(frozen=True)
class Scope:
    """Which items a report covers, by the country the platform gave for them."""

    kind: str  # global | region | country
    name: str  # "global", "MENA", "EG"
    countries: frozenset[str] | None = None  # None: every item, including those with no country

    @property
    def label(self) -> str:
        return "global" if self.kind == "global" else f"{self.kind}:{self.name}"

    def includes(self, country: str | None) -> bool:
        if self.countries is None:
            return True
        return country is not None and country.upper() in self.countries


def parse_scope(text: str) -> Scope:
    """`global`, `region:MENA`, `region:EU` or `country:EG` (ISO-3166 alpha-2)."""
    value = text.strip()
    if value.lower() == "global":
        return Scope("global", "global")
    kind, _, name = value.partition(":")
    kind = kind.lower()
    if kind == "region":
        region = name.upper()
        if region not in REGIONS:
            raise ScopeError(f"unknown region {name!r}; expected one of {', '.join(sorted(REGIONS))}")
        return Scope("region", region, REGIONS[region])
    if kind == "country":
        code = name.upper()
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise ScopeError("a country scope needs an ISO-3166 alpha-2 code, e.g. country:EG")
        return Scope("country", code, frozenset({code}))
    raise ScopeError("scope must be global, region:NAME or country:CC")
