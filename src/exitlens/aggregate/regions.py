"""UN M49 regions (Africa, Americas, Asia, Europe, Oceania) and sub-regions of ISO codes."""

from __future__ import annotations

from functools import cache

import pandas as pd

REGION_OF_SUBREGION = {
    "Northern Africa": "Africa", "Eastern Africa": "Africa", "Middle Africa": "Africa",
    "Southern Africa": "Africa", "Western Africa": "Africa",
    "Caribbean": "Americas", "Central America": "Americas", "South America": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia", "Eastern Asia": "Asia", "South-eastern Asia": "Asia",
    "Southern Asia": "Asia", "Western Asia": "Asia",
    "Eastern Europe": "Europe", "Northern Europe": "Europe", "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania", "Melanesia": "Oceania", "Micronesia": "Oceania",
    "Polynesia": "Oceania",
}


@cache
def _table() -> pd.DataFrame:
    import country_converter

    return country_converter.CountryConverter().data[["ISO2", "UNregion", "name_short"]]


@cache
def _subregions() -> dict[str, str]:
    data = _table().dropna(subset=["UNregion"])
    return {iso: sub for iso, sub in zip(data["ISO2"], data["UNregion"], strict=True)
            if sub in REGION_OF_SUBREGION}


@cache
def country_name(iso: str) -> str:
    """The short English name of an ISO 3166-1 alpha-2 code ("Syria"), else the code."""
    found = _table().loc[_table()["ISO2"] == iso.upper(), "name_short"]
    return str(found.iloc[0]) if len(found) else iso


def subregion_of(countries: pd.Series) -> pd.Series:
    """The M49 sub-region ("Western Asia") of each ISO 3166-1 alpha-2 code, else missing."""
    return countries.astype("string").str.upper().map(_subregions()).astype("string")


def region_of(countries: pd.Series) -> pd.Series:
    """The M49 region ("Asia") of each ISO 3166-1 alpha-2 code, else missing."""
    return subregion_of(countries).map(REGION_OF_SUBREGION).astype("string")


def is_country(code: str) -> bool:
    """Is this an ISO 3166-1 alpha-2 code (upper case)?"""
    return code in set(_table()["ISO2"].dropna())
