"""What the load generator sends: signed text events (`text` mix) or user journeys (`mixed` mix).

The mixed journeys use the bot's real buttons: postback data for cards is built the way the handlers
build it (ids read from the seeded database), and answers to flow questions tap the chips the bot
actually sent, read back from the stand-in LINE API (each journey registers its reply tokens there so
the replies are filed under the user's id). A chip that has not arrived in time is replaced by the
typed answer a person would give, and counted.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from dataclasses import dataclass, field
from typing import Any

from bot.simulator.events import build_event, new_reply_token, signed_request

TEXTS = (
    "สวัสดีค่ะ", "สวัสดีครับ", "หวัดดีจ้า", "ขอบคุณค่ะ", "ขอบคุณมากครับ", "เสาร์นี้มีกิจกรรมอะไรบ้างคะ",
    "กิจกรรมอาทิตย์หน้ามีไหม", "ดูกิจกรรม", "มีกิจกรรมออกกำลังกายไหมคะ", "ตรวจสุขภาพฟรีที่ไหนครับ",
    "ธรรมนูญสุขภาพคืออะไร", "ขอดูธรรมนูญข้อ 3", "ข้อ 5 ควรเพิ่มเรื่องลานกีฬาให้เด็ก",
    "ไม่เห็นด้วยกับข้อ 2 เพราะยังไม่ชัดเจน", "อยากเสนอโครงการค่ะ", "โครงการของฉัน", "ช่วยเหลือ",
    "วิธีใช้", "เมนู", "ยุงเยอะมากแถวบ้าน ทำไงดี", "ผู้สูงอายุในชุมชนอยากมีที่ออกกำลังกาย",
    "ขยะล้นถังหน้าซอย", "ลงทะเบียนกิจกรรมยังไงคะ", "ที่ฉันสมัครไว้", "ยกเลิก", "ย้อนกลับ", "อ๋อ โอเคค่ะ",
    "😊😊", "ขอเบอร์ติดต่อเจ้าหน้าที่หน่อยครับ", "แถวลาดพร้าว 101 มีอะไรบ้าง",
    "อยากให้มีรถรับส่งผู้ป่วยติดเตียงไปโรงพยาบาล", "ฝุ่น PM2.5 เยอะมาก มีหน้ากากแจกไหม",
    "วันอาทิตย์ที่ ๑๕ มีอะไรไหม", "สมัครวิ่งเพื่อสุขภาพ 2 คน", "นโยบายข้อมูล",
)
COMMENTS = (
    "ควรมีงบดูแลผู้สูงอายุเพิ่ม", "อยากให้มีลานออกกำลังกายใกล้บ้าน", "เห็นด้วยค่ะ แต่ต้องทำจริง",
    "ควรให้เยาวชนมีส่วนร่วมมากขึ้น", "ข้อนี้ยังกว้างไป อยากเห็นตัวชี้วัด", "ขอให้ประชาสัมพันธ์ทางไลน์กลุ่มด้วย",
)
IDEA_TITLES = (
    "ลานออกกำลังกายผู้สูงอายุ", "ธนาคารขยะชุมชน", "อาสาเยี่ยมบ้านผู้ป่วยติดเตียง", "ปลูกผักปลอดสารในซอย",
    "กำจัดลูกน้ำยุงลายทุกวันศุกร์", "ชมรมเต้นแอโรบิกตอนเย็น", "สอนปฐมพยาบาลให้เยาวชน",
)
PROBLEMS = ("ผู้สูงอายุไม่มีที่ออกกำลังกาย", "ขยะล้นและมียุงมาก", "ผู้ป่วยติดเตียงไม่มีคนดูแลตอนกลางวัน",
            "เด็ก ๆ ติดจอ ไม่ค่อยออกไปเล่น")
PLANS = ("จัดกิจกรรมทุกเย็นวันพุธที่ลานวัด", "ตั้งจุดรับขยะรีไซเคิลเดือนละครั้ง",
         "อบรมอาสาสมัคร 20 คน แล้วเยี่ยมบ้านสัปดาห์ละครั้ง")
BUDGETS = ("5000", "ห้าพันบาท", "2 หมื่น", "๑๒,๐๐๐ บาท", "ไม่แน่ใจ")


@dataclass
class Ids:
    """What the seeded database holds (read once by the orchestrator)."""

    communities: list[tuple[int, str]]
    sections: list[int]
    clauses: list[int]
    activities: list[int]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Ids:
        return cls(communities=[tuple(c) for c in d["communities"]], sections=d["sections"],
                   clauses=d["clauses"], activities=d["activities"])


def user_id(run: str, i: int) -> str:
    return "U" + hashlib.md5(f"bench-{run}-{i}".encode()).hexdigest()


class TextSource:
    """Signed text events from `users` distinct users with varied Thai texts."""

    def __init__(self, secret: str, users: int, run: str, seed: int = 1) -> None:
        self.secret = secret
        self.users = [user_id(run, i) for i in range(users)]
        self.rng = random.Random(seed)
        self.kinds: dict[str, int] = {}

    def next_event(self, now: float) -> tuple[bytes, dict[str, str], str] | None:
        event = build_event("text", self.rng.choice(self.users), text=self.rng.choice(TEXTS))
        body, headers = signed_request([event], self.secret)
        self.kinds["text"] = self.kinds.get("text", 0) + 1
        return body, headers, "text"


# --- mixed journeys ------------------------------------------------------------------------------

@dataclass
class Action:
    kind: str  # text, postback, follow, tap
    text: str | None = None
    data: str | None = None
    step: str | None = None
    """tap: the flow step whose chip to tap (postback data f?s=<step>&n=<nonce>&v=<value>)."""
    value: str | None = None
    """tap: the chip's value; None taps the first chip of the step."""
    journey: str = ""


@dataclass
class SimUser:
    uid: str
    actions: list[Action] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    onboarded: bool = False
    tap_floor: int = 0
    journeys_done: int = 0


class MixedSource:
    """Journeys from many simulated users, interleaved; each user waits a think time between events."""

    def __init__(self, secret: str, users: int, run: str, ids: Ids, seed: int = 1,
                 think: tuple[float, float] = (0.8, 2.5), journeys_per_user: int = 3) -> None:
        self.secret = secret
        self.ids = ids
        self.rng = random.Random(seed)
        self.think = think
        self.journeys_per_user = journeys_per_user
        self.fresh = [SimUser(user_id(run, i)) for i in range(users)]
        self.fresh.reverse()
        self.ready: list[tuple[float, int, SimUser]] = []
        self.finished: list[SimUser] = []
        self._n = 0
        self.kinds: dict[str, int] = {}
        self.pulled_forward = 0
        self.journeys: dict[str, int] = {}
        self.needs_tap: list[SimUser] = []
        """Users whose next action is a tap: the generator resolves it (async) and calls resume()."""
        self.needs_tokens: list[SimUser] = []
        """Users who just started a journey: their reply tokens must be registered before they go on."""

    # journeys -----------------------------------------------------------------------------------
    def _onboarding(self) -> list[Action]:
        community = self.rng.choice(self.ids.communities)[1]
        return [Action("follow"), Action("tap", step="consent", value="yes", text="ยินยอม"),
                Action("text", text=community)]

    def _browse(self) -> list[Action]:
        first = self.rng.choice(("กิจกรรม", "ดูกิจกรรม", "เสาร์นี้มีกิจกรรมอะไรบ้างคะ", "กิจกรรมอาทิตย์หน้า"))
        cid = self.rng.choice(self.ids.communities)[0]
        aid = self.rng.choice(self.ids.activities)
        return [Action("text", text=first), Action("postback", data=f"activity.list?c={cid}"),
                Action("postback", data=f"activity.detail?id={aid}")]

    def _charter(self) -> list[Action]:
        stance = self.rng.choice(("agree", "agree", "disagree", "unsure"))
        comment = (Action("text", text=self.rng.choice(COMMENTS)) if self.rng.random() < 0.6
                   else Action("tap", step="comment", value="__skip__", text="ข้าม"))
        return [Action("postback", data="charter.home") if self.rng.random() < 0.5
                else Action("text", text="ธรรมนูญสุขภาพ"),
                Action("postback", data=f"charter.section?s={self.rng.choice(self.ids.sections)}"),
                Action("postback", data=f"charter.stance?k={self.rng.choice(self.ids.clauses)}&v={stance}"),
                comment]

    def _charter_typed(self) -> list[Action]:
        no = self.rng.randint(1, max(1, len(self.ids.clauses)))
        return [Action("text", text=f"ข้อ {no} {self.rng.choice(COMMENTS)}"),
                Action("tap", step="stance", value=self.rng.choice(("agree", "disagree")), text="เห็นด้วย"),
                Action("tap", step="confirm", value="send", text="ส่งเลย")]

    def _signup(self) -> list[Action]:
        aid = self.rng.choice(self.ids.activities)
        party = self.rng.choice((1, 1, 2, 3))
        return [Action("postback", data=f"activity.detail?id={aid}"),
                Action("postback", data=f"activity.signup?id={aid}&n={party}"),
                Action("tap", step="confirm", value="yes", text="ยืนยันสมัคร"),
                Action("text", text="ที่ฉันสมัครไว้")]

    def _idea(self) -> list[Action]:
        r = self.rng
        community = r.choice(self.ids.communities)[1]
        return [Action("text", text=r.choice(("เสนอโครงการ", "อยากเสนอโครงการค่ะ"))),
                Action("text", text=r.choice(IDEA_TITLES)),
                Action("tap", step="topic", text="ข้าม"),
                Action("tap", step="community", text=community),
                Action("tap", step="target_group", text="ผู้สูงอายุ"),
                Action("text", text=r.choice(PROBLEMS)),
                Action("text", text=r.choice(PLANS)),
                Action("text", text=r.choice(("30 คน", "ประมาณห้าสิบคน", "ไม่แน่ใจ"))),
                Action("text", text=r.choice(BUDGETS)),
                Action("tap", step="funding_source", value="unsure", text="ไม่แน่ใจ"),
                Action("tap", step="photo", value="__skip__", text="ไม่มี"),
                Action("text", text=f"08{r.randint(10000000, 99999999)}" if r.random() < 0.7 else "ไม่มี"),
                Action("tap", step="confirm", value="send", text="ใช่")]

    JOURNEYS = (("browse", "_browse", 3), ("charter", "_charter", 3), ("charter_typed", "_charter_typed", 1),
                ("signup", "_signup", 2), ("idea", "_idea", 1))

    def _new_journey(self, user: SimUser) -> None:
        if not user.onboarded:
            name, actions = "onboarding", self._onboarding()
            user.onboarded = True
        else:
            name, method, _ = self.rng.choices(self.JOURNEYS, weights=[w for *_, w in self.JOURNEYS])[0]
            actions = getattr(self, method)()
        for a in actions:
            a.journey = name
        user.actions = actions
        user.tokens = [new_reply_token() for _ in actions]
        self.journeys[name] = self.journeys.get(name, 0) + 1
        self.needs_tokens.append(user)

    def _push(self, user: SimUser, at: float) -> None:
        self._n += 1
        heapq.heappush(self.ready, (at, self._n, user))

    def resume(self, user: SimUser, at: float) -> None:
        """A user whose tokens were registered or whose tap was resolved can go on."""
        self._push(user, at)

    def start_users(self, k: int) -> int:
        """Start the next journey of up to k idle users (fresh ones first); they wait for their tokens."""
        started = 0
        while started < k and (self.fresh or self.finished):
            user = self.fresh.pop() if self.fresh else self.finished.pop(0)
            user.journeys_done = 0
            self._new_journey(user)
            started += 1
        return started

    def due(self, now: float) -> int:
        return sum(1 for at, _, _ in self.ready if at <= now)

    def _pick(self, now: float) -> SimUser | None:
        if not self.ready:
            return None
        if self.ready[0][0] > now:
            self.pulled_forward += 1  # everybody is thinking: the earliest one goes now (the rate wins)
        return heapq.heappop(self.ready)[2]

    def next_event(self, now: float) -> tuple[bytes, dict[str, str], str] | None:
        user = self._pick(now)
        if user is None:
            return None
        action = user.actions.pop(0)
        token = user.tokens.pop(0)
        if action.kind == "follow":
            event = build_event("follow", user.uid, reply_token=token)
        elif action.kind == "postback":
            event = build_event("postback", user.uid, data=action.data, reply_token=token)
        elif action.kind == "tap" and action.data:
            event = build_event("postback", user.uid, data=action.data, reply_token=token)
        else:
            event = build_event("text", user.uid, text=action.text or "", reply_token=token)
        kind = f"{action.journey}:{action.kind if action.kind != 'tap' or action.data else 'typed'}"
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        body, headers = signed_request([event], self.secret)
        self._after_send(user, now)
        return body, headers, kind

    def _after_send(self, user: SimUser, now: float) -> None:
        if not user.actions:
            user.journeys_done += 1
            if user.journeys_done < self.journeys_per_user:
                self._new_journey(user)
            else:
                self.finished.append(user)
            return
        if user.actions[0].kind == "tap":
            self.needs_tap.append(user)
            return
        self._push(user, now + self.rng.uniform(*self.think))


def find_chip(messages: list[dict[str, Any]], step: str, value: str | None, floor: int) -> tuple[str, int] | None:
    """The newest flow chip/button for `step` (with `value`, or the first one) in messages after `floor`."""
    best: tuple[str, int] | None = None
    for item in messages:
        seq = item.get("seq", 0)
        if seq <= floor:
            continue
        for data in _postbacks(item.get("message") or {}):
            if not data.startswith("f?"):
                continue
            from urllib.parse import parse_qsl

            params = dict(parse_qsl(data[2:]))
            if params.get("s") != step:
                continue
            if value is not None and params.get("v") != value:
                continue
            if best is None or seq > best[1]:
                best = (data, seq)
            break
    return best


def _postbacks(node: Any) -> list[str]:
    """Every postback data string in a message (quick replies, templates, Flex), in order."""
    found: list[str] = []
    stack = [node]
    while stack:
        cur = stack.pop(0)
        if isinstance(cur, dict):
            if cur.get("type") == "postback" and isinstance(cur.get("data"), str):
                found.append(cur["data"])
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return found


def scripted_journeys(ids: Ids, users: list[str], seed: int = 1, journeys_per_user: int = 3) -> list[dict[str, Any]]:
    """The mixed journeys as one list of events, users interleaved in turn, every tap typed instead.

    For measuring cost per event in one thread (no stand-in to read chips back from): a typed answer
    takes the same flow step as its chip.
    """
    source = MixedSource("-", len(users), "scripted", ids, seed=seed, journeys_per_user=journeys_per_user)
    plans: list[tuple[str, list[Action]]] = []
    for uid in users:
        user = SimUser(uid)
        actions: list[Action] = []
        for _ in range(journeys_per_user + 1):
            source._new_journey(user)
            actions.extend(user.actions)
        plans.append((uid, actions))
    events: list[dict[str, Any]] = []
    while any(actions for _, actions in plans):
        for uid, actions in plans:
            if actions:
                events.append(_scripted_event(uid, actions.pop(0)))
    return events


def _scripted_event(uid: str, action: Action) -> dict[str, Any]:
    if action.kind == "follow":
        return build_event("follow", uid, reply_token=new_reply_token())
    if action.kind == "postback" or (action.kind == "tap" and action.data):
        return build_event("postback", uid, data=action.data, reply_token=new_reply_token())
    return build_event("text", uid, text=action.text or "", reply_token=new_reply_token())

