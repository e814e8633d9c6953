"""Finding communities: by id or name from a cached directory, the nearest to a shared location, the most used."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.services.errors import ServiceError
from bot.thaidate import now_utc
from bot.timed_cache import TimedCache
from storage.models import Activity, Community, User

if TYPE_CHECKING:
    from storage.db import Database

POPULAR_FOR_SECONDS = 60.0
"""How long one process reuses the "most used" list: it moves slowly, and every new user asks for it."""

_popular: TimedCache[list[tuple[int, str]]] = TimedCache(POPULAR_FOR_SECONDS)

DIRECTORY_SECONDS = 300.0
"""How long one process reuses the directory; forget_directory() makes this process read it at once."""


@dataclass(frozen=True)
class CommunityInfo:
    """A community as the directory holds it: reference data, read once for many events."""

    id: int
    code: str
    name: str
    district: str
    lat: float | None
    lng: float | None
    aliases: tuple[str, ...] = ()
    """Other spellings the district gave (storage/demo/communities.yaml): a short one names a chip."""


CommunityLike = Community | CommunityInfo
"""What the services accept where only a community's id and name are read."""

_directory: TimedCache[dict[int, CommunityInfo]] = TimedCache(DIRECTORY_SECONDS)


def directory(session: Session) -> dict[int, CommunityInfo]:
    """Every community by id, in code order (the 36 of a district: one read every few minutes, not per event)."""
    return _directory.get(str(session.get_bind().url), lambda: _load_directory(session))


def directory_of(db: Database) -> dict[int, CommunityInfo]:
    """The same for code outside a transaction; a read transaction only when the cache is cold."""

    def load() -> dict[int, CommunityInfo]:
        with db.session(readonly=True) as session:
            return _load_directory(session)

    return _directory.get(str(db.engine.url), load)


def _load_directory(session: Session) -> dict[int, CommunityInfo]:
    rows = session.execute(select(Community.id, Community.code, Community.name, Community.district,
                                  Community.lat, Community.lng, Community.aliases).order_by(Community.code))
    return {row.id: CommunityInfo(*row[:6], aliases=tuple(a for a in row.aliases or () if isinstance(a, str)))
            for row in rows}


def get(session: Session, community_id: int | str | None) -> CommunityInfo | None:
    """The community with this id (an int, or digits as a button carries them), or None."""
    if isinstance(community_id, str):
        community_id = int(community_id) if community_id.strip().isdigit() else None
    return directory(session).get(community_id) if community_id is not None else None


DISTRICT_WIDE_NAME = "ทั้งเขต"


def name_or_district(session: Session, community_id: int | str | None) -> str:
    """The community's name, or ทั้งเขต for what belongs to no one community (a district-wide activity)."""
    community = get(session, community_id)
    return community.name if community else DISTRICT_WIDE_NAME


def forget_directory() -> None:
    """Read the communities afresh next time (after adding or renaming one; tests)."""
    _directory.clear()


def haversine_km(lat1: Any, lng1: Any, lat2: Any, lng2: Any) -> float:
    try:
        p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
        dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    except (TypeError, ValueError):
        return float("inf")
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def nearest_communities(session: Session, lat: Any, lng: Any, limit: int = 3) -> list[CommunityInfo]:
    rows = [c for c in directory(session).values() if c.lat is not None and c.lng is not None]
    rows.sort(key=lambda c: haversine_km(c.lat, c.lng, lat, lng))
    return [c for c in rows[:limit] if haversine_km(c.lat, c.lng, lat, lng) < 50]


def with_name(session: Session, name: str | None) -> CommunityInfo | None:
    """The community with exactly this name (as the NLP router gives it) or code, or None."""
    if not name:
        return None
    return next((c for c in directory(session).values() if name in (c.name, c.code)), None)


_NUMBER_EDGE = re.compile(r"(?<=[^\d\s])(?=\d)|(?<=\d)(?=[^\d\s])")


def _typed(name: str) -> str:
    """A name as staff may type it: no "ชุมชน", digits apart from letters, one space ("ลาดพร้าว101" and
    "ชุมชนลาดพร้าว  101" are "ลาดพร้าว 101")."""
    from nlp.normalize import light_normalize

    return " ".join(_NUMBER_EDGE.sub(" ", short_name(light_normalize(name))).split()).lower()


def named_exactly(session: Session, text: str, *, by_id: bool = False) -> CommunityInfo:
    """For staff commands (`--community`, `community:` of an announcement, a leader's role code): the
    community with this code or name, with or without "ชุมชน" (or id, by_id), or the one whose name holds
    what was typed, numbers whole ("เคหะ"; "ลาดพร้าว 12" is not ลาดพร้าว 122). Several, or none: a
    ServiceError listing them (the role code took the first of several: ลาดพร้าว 71 for "ลาดพร้าว")."""
    typed = " ".join(str(text or "").split())
    every = directory(session)
    found = get(session, typed) if by_id else None
    found = found or next((c for c in every.values() if typed in (c.name, c.code)), None)
    found = found or next((c for c in every.values() if typed.lower() == c.code.lower()), None)
    want = _typed(typed)
    found = found or next((c for c in every.values() if want and _typed(c.name) == want), None)
    if found is not None:
        return found
    holding = re.compile(rf"(?<!\d){re.escape(want)}(?!\d)") if want else None
    several = [c for c in every.values() if holding and holding.search(_typed(c.name))]
    if len(several) == 1:
        return several[0]
    if not several:  # loosely, then without its numbers ("ลาดพร้าว 1": the ลาดพร้าว ones)
        for said in dict.fromkeys((typed, " ".join(re.sub(r"[0-9๐-๙]+", " ", typed).split()))):
            near = community_named(session, said) if said else None
            if near is not None:
                several = sharing_name(session, said, near) or [near]
                break
        if not several:
            raise ServiceError("community_unknown", f"ไม่พบชุมชน “{typed}” ค่ะ")
        lead = f"ไม่พบชุมชน “{typed}” ค่ะ หมายถึงชุมชนไหนคะ"
    else:
        lead = f"“{typed}” ตรงกับ {len(several)} ชุมชนค่ะ"
    listed = "\n".join(f"  {c.code}  {c.name}" for c in by_name(several))
    raise ServiceError("community_ambiguous" if len(several) > 1 else "community_unknown",
                       f"{lead}\n{listed}\nกรุณาระบุชื่อเต็มหรือรหัสชุมชนนะคะ")


def community_named(session: Session, text: str) -> CommunityInfo | None:
    """The community a typed answer names by its name or one of its aliases ("บ้านมั่นคงลาดพร้าว"), matched
    loosely (typos, "โชคชัย๔"), or None. An alias several communities have gives the first of them
    (`sharing_name` lists them all, to ask which)."""
    named = _spelling_named(session, text)
    return named[1][0] if named else None


_spellings_of_directory: tuple[dict[int, CommunityInfo], dict[str, list[CommunityInfo]]] | None = None
"""The last directory read and its spellings: keying 36 names and their aliases on every typed answer
cost onboarding a twentieth of the event worker's time."""


def _spellings(session: Session) -> dict[str, list[CommunityInfo]]:
    """Every name and alias, with the communities spelt so (an alias may be another's name, or shared)."""
    global _spellings_of_directory
    every = directory(session)
    known = _spellings_of_directory
    if known is not None and known[0] is every:
        return known[1]
    spellings = _spellings_in(list(every.values()))
    _spellings_of_directory = (every, spellings)
    return spellings


def _spellings_in(every: list[CommunityInfo]) -> dict[str, list[CommunityInfo]]:
    from nlp.community import name_key

    by_key: dict[str, list[CommunityInfo]] = {}
    for community in every:
        for spelling in {name_key(s) for s in (community.name, *community.aliases) if s.strip()}:
            by_key.setdefault(spelling, []).append(community)
    return {spelling: by_key[name_key(spelling)] for community in every
            for spelling in (community.name, *community.aliases) if spelling.strip()}


def _spelling_named(session: Session, text: str) -> tuple[str, list[CommunityInfo]] | None:
    """The name or alias a typed answer gives (see `community_named`), and the communities spelt so."""
    from nlp import match_community

    spellings = _spellings(session)
    found = match_community(text, list(spellings))
    return (found[0], spellings[found[0]]) if found else None


def _spelling_shared(session: Session, text: str, found: CommunityLike) -> tuple[str, list[CommunityInfo]] | None:
    """The alias (or name) the text gives, when several communities, `found` among them, are spelt so."""
    spelt = _spelling_named(session, text or "")
    if spelt is not None and len(spelt[1]) > 1 and any(c.id == found.id for c in spelt[1]):
        return spelt
    return None


_NUMBERED = re.compile(r"^(?P<base>.*?)\s*(?P<no>[0-9]+)$")
_NAME_NOISE = re.compile(r"ชุมชน|\s+")


def _bare(name: str) -> str:
    """"ชุมชนลาดพร้าว 71" → "ลาดพร้าว71": a name as the matcher reads it, without "ชุมชน" or spaces."""
    return _NAME_NOISE.sub("", name)


def sharing_name(session: Session, text: str, found: CommunityInfo, *, now: datetime | None = None,
                 activities_first: bool = False) -> list[CommunityInfo]:
    """Every community the text may mean when it names a numbered one without its number: "ลาดพร้าว"
    matched ลาดพร้าว 71, and ลาดพร้าว 80 … 122, วัดลาดพร้าว, เคหะลาดพร้าว … all hold the name. The
    person is asked which, not given the first. Most likely first (see most_likely_first); empty when
    the answer is clear (its number given, or the name of a community without one: "วัดลาดพร้าว");
    another number ("ลาดพร้าว เสาร์ที่ 5") does not say which. Likewise when it gives an alias several
    communities have."""
    from nlp.community import gives_its_number

    spelt = _spelling_shared(session, text, found)
    if spelt is not None:  # an alias several have
        return most_likely_first(session, spelt[1], now=now, activities_first=activities_first)
    numbered = _NUMBERED.match(found.name)
    if numbered is None or gives_its_number(text or "", found.name):
        return []
    said = _bare(numbered.group("base"))
    alike = [c for c in directory(session).values() if said and said in _bare(c.name)]
    return most_likely_first(session, alike, now=now, activities_first=activities_first) if len(alike) > 1 else []


def many_named(session: Session, text: str, found: CommunityLike) -> str:
    """What the text names that several communities share, said so: "ชุมชนลาดพร้าวมีหลายชุมชน" (a numbered name
    without its number), or "“ตรอกข้าวหอม” เป็นชื่อของหลายชุมชน" (an alias several have)."""
    spelt = _spelling_shared(session, text, found)
    if spelt is not None:
        return f"“{spelt[0]}” เป็นชื่อของหลายชุมชน"
    return f"{name_without_number(found.name)}มีหลายชุมชน"


def most_likely_first(session: Session, found: list[CommunityInfo], *, now: datetime | None = None,
                      activities_first: bool = False) -> list[CommunityInfo]:
    """The communities with the most residents first, then the most activities to come (or the other
    way round, for someone looking for activities); then by name, a number after its name."""
    ids = [c.id for c in found]
    residents = dict(session.execute(select(User.community_id, func.count()).where(User.community_id.in_(ids))
                                     .group_by(User.community_id)).all())
    upcoming = dict(session.execute(
        select(Activity.community_id, func.count())
        .where(Activity.community_id.in_(ids), Activity.status == "published", Activity.starts_at > (now or now_utc()))
        .group_by(Activity.community_id)).all())
    order = _name_order(found)

    def key(c: CommunityInfo) -> tuple[int, int, tuple[int, int]]:
        people, activities = residents.get(c.id, 0), upcoming.get(c.id, 0)
        first, second = (activities, people) if activities_first else (people, activities)
        return -first, -second, order[c.id]

    return sorted(found, key=key)


def by_name(found: list[CommunityInfo]) -> list[CommunityInfo]:
    """In Thai dictionary order of their names, numbers in order after their name."""
    order = _name_order(found)
    return sorted(found, key=lambda c: order[c.id])


def _name_order(found: list[CommunityInfo]) -> dict[int, tuple[int, int]]:
    from pythainlp.util import collate

    base = {c.id: _bare(name_without_number(c.name)) for c in found}
    rank = {name: i for i, name in enumerate(collate(list(set(base.values()))))}
    return {c.id: (rank[base[c.id]], int(m.group("no")) if (m := _NUMBERED.match(c.name)) else -1) for c in found}


def which_note(shared: list[CommunityInfo], shown: int, wanted: str = "ชุมชนของคุณ", typed: str = "") -> str:
    """When only the first `shown` of the communities sharing a name fit in the chips: that a person
    whose community is not there can type its name (the first left out as the example, after `typed`);
    else nothing."""
    if len(shared) <= shown:
        return ""
    return (f"ในปุ่มมี {shown} จาก {len(shared)} ชุมชน ถ้าไม่มี{wanted} พิมพ์ชื่อเต็มได้เลยนะคะ "
            f"เช่น “{typed}{short_name(shared[shown].name)}”")


def names_listed(shared: list[CommunityInfo]) -> str:
    """"ลาดพร้าว 71, 101, วัดลาดพร้าว": the names, in name order, each number after its name once."""
    parts: list[str] = []
    last_base = None
    for c in by_name(shared):
        numbered = _NUMBERED.match(c.name)
        base = short_name(numbered.group("base")) if numbered else None
        if numbered and base == last_base:
            parts.append(numbered.group("no"))
        else:
            parts.append(short_name(c.name))
        last_base = base
    return ", ".join(parts)


def short_name(name: str) -> str:
    """"ชุมชนลาดพร้าว 71" → "ลาดพร้าว 71": the name people say."""
    return " ".join(re.sub(r"^ชุมชน", "", name.strip()).split()) or name


CHIP_AT_MOST = 20
"""A quick reply's label holds 20 characters (LINE)."""


def chip_label(community: CommunityLike) -> str:
    """The community's name on a chip: whole if it fits, else without "ชุมชน", else its shortest alias
    that fits and says no other number ("ชุมชนบ้านมั่นคงริมคลองลาดพร้าว": "บ้านมั่นคงลาดพร้าว"); only
    then cut (the chip's postback carries the id, so a cut name still picks the right one)."""
    name = community.name
    if len(name) <= CHIP_AT_MOST:
        return name
    if len(short := short_name(name)) <= CHIP_AT_MOST:
        return short
    digits = re.findall(r"[0-9]+", name)
    fits = [a.strip() for a in getattr(community, "aliases", ()) or ()
            if 0 < len(a.strip()) <= CHIP_AT_MOST and re.findall(r"[0-9]+", a) == digits]
    return min(fits, key=len) if fits else short


def one_named(session: Session, text: str) -> CommunityInfo | None:
    """`community_named`, refusing a name several communities share ("ลาดพร้าว"): a ServiceError that
    lists them (staff announcing or adding an activity; it took the first, ลาดพร้าว 71)."""
    found = community_named(session, text)
    alike = sharing_name(session, text, found) if found is not None else []
    if alike:
        raise ServiceError("community_ambiguous", f"{many_named(session, text, found)}ค่ะ "
                                                  f"({names_listed(alike)}) พิมพ์ชื่อให้ครบด้วยนะคะ "
                                                  f"เช่น “{short_name(found.name)}”")
    return found


def name_without_number(name: str) -> str:
    """"ชุมชนลาดพร้าว 71" → "ชุมชนลาดพร้าว"."""
    numbered = _NUMBERED.match(name)
    return numbered.group("base") if numbered else name


_SAID_AROUND = re.compile(r"^(?:(?:ผม|ฉัน|หนู|เรา)(?:บ้าน)?|บ้าน(?=อยู่|ที่|จาก))?(?:อยู่|ที่|จาก)?"
                          r"|(?:ค่ะ|คะ|ครับ|คับ|จ้า|จ้ะ|นะ)+$")
"""Words around a name said alone: "บ้านอยู่…", "ผมอยู่…", the closing particles ("บ้าน" of "บ้านสวนลาดพร้าว"
is the name's: it was taken off, leaving ลาดพร้าว)."""


def community_said_alone(session: Session, text: str) -> CommunityInfo | None:
    """The community when the text is little more than its name ("ชุมชนลาดพร้าว 101 ค่ะ", "อยู่โชคชัย๔"),
    else None: a message that only mentions a place ("ไปเซ็นทรัลลาดพร้าวยังไง") is about something else."""
    from nlp.normalize import light_normalize

    said = _SAID_AROUND.sub("", _NAME_NOISE.sub("", light_normalize(text or "")))
    named = _spelling_named(session, said) if said else None
    if named is None:
        return None
    spelling, (found, *_) = named
    if len(said) > max(len(_NAME_NOISE.sub("", found.name)), len(_NAME_NOISE.sub("", spelling))) + 2:
        return None
    return found


NAME_AT_MOST = 30
"""Longer than any community's name with words around it: a sentence, not a name to quote back."""


def not_found_text(text: str, hint: str) -> str:
    """Polite Thai for a community not found: the name quoted back, or for a sentence, what is asked for."""
    from nlp.normalize import without_particles

    said = " ".join(without_particles(text or "").split())  # "ลาดพร้าวค่ะ": not the particle quoted back
    if len(said) > NAME_AT_MOST:
        return f"ข้อนี้ขอชื่อชุมชนค่ะ เช่น “ลาดพร้าว 101” {hint}"
    return f"ไม่พบชุมชน “{said}” ค่ะ ลองพิมพ์ชื่ออีกแบบ {hint}"


def popular_communities(session: Session, limit: int = 5) -> list[tuple[int, str]]:
    """(id, name) of the communities with the most residents, then by code; read at most once a minute."""

    def load() -> list[tuple[int, str]]:
        counts = (select(User.community_id, func.count().label("n")).where(User.community_id.is_not(None))
                  .group_by(User.community_id).subquery())
        return [(row.id, row.name) for row in session.execute(
            select(Community.id, Community.name).outerjoin(counts, counts.c.community_id == Community.id)
            .order_by(func.coalesce(counts.c.n, 0).desc(), Community.code).limit(limit))]

    return _popular.get((str(session.get_bind().url), limit), load)


def forget_popular() -> None:
    """Read the "most used" list afresh next time (tests; a new database)."""
    _popular.clear()
