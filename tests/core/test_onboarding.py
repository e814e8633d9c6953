"""Follow → consent → community, through signed webhooks."""

from sqlalchemy import select

from bot.services import users
from storage.models import Community, Conversation


def add_communities(db, *names_and_points):
    with db.session() as session:
        for i, (name, lat, lng) in enumerate(names_and_points, start=1):
            session.add(Community(code=f"LP{i:02d}", name=name, lat=lat, lng=lng))


def test_follow_consent_and_pick_community(chat, harness):
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60), ("ชุมชนลาดพร้าว 101", 13.79, 100.62))
    u = chat("Ufollow1", consent=False)
    u.follow().expect("ยินดีต้อนรับ", "PDPA")
    assert "ยินยอม" in u.quick_labels()
    u.tap("ยินยอม").expect("ชุมชนไหน")
    u.say("โชคชัย๔").expect("เรียบร้อย", "ชุมชนโชคชัย 4")
    with harness.db.session() as s:
        user = users.get_user(s, "Ufollow1")
        assert user.consent_at is not None
        assert user.community.name == "ชุมชนโชคชัย 4"


def test_decline_consent_still_can_use_menu(chat, harness):
    u = chat("Udecline", consent=False)
    u.follow().tap("ไม่ยินยอม").expect("ไม่เป็นไร", "ยินยอม")
    with harness.db.session() as s:
        user = users.get_user(s, "Udecline")
        assert user.consent_at is None and user.consent_declined_at is not None
    # Changing one's mind as people type it (it showed the privacy menu and recorded nothing).
    u.say("เปลี่ยนใจแล้วค่ะ ยินยอมค่ะ").expect("บันทึกความยินยอมแล้ว")
    with harness.db.session() as s:
        assert users.get_user(s, "Udecline").consent_at is not None


def test_unknown_community_is_asked_again_with_reason(chat, harness):
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60))
    u = chat("Ucomm", consent=False)
    u.follow().tap("ยินยอม").say("ดาวอังคาร").expect("ไม่พบชุมชน")
    u.tap("โชคชัย").expect("เรียบร้อย")


def test_location_suggests_nearest_community(chat, harness):
    add_communities(harness.db, ("ชุมชนใกล้", 13.8200, 100.6000), ("ชุมชนไกล", 13.9000, 100.7000))
    u = chat("Uloc", consent=False)
    u.follow().tap("ยินยอม")
    u.send("location", latitude=13.8201, longitude=100.6001, title="บ้าน", address="ลาดพร้าว")
    u.expect("ใกล้คุณที่สุด")
    assert u.quick_labels()[0] == "ชุมชนใกล้"
    u.tap("ชุมชนใกล้").expect("เรียบร้อย", "ชุมชนใกล้")


def test_back_and_cancel_mid_flow(chat, harness):
    u = chat("Uback", consent=False)
    u.follow().tap("ยินยอม").say("ย้อนกลับ").expect("PDPA")
    u.say("ยกเลิกค่ะ").expect("ยกเลิก")
    with harness.db.session() as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == "Uback"))
        assert conv.flow is None


def test_old_button_is_not_acted_on_twice(chat, harness):
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60))
    u = chat("Uold", consent=False)
    u.follow()
    consent_button = u.find_action("ยินยอม")
    u.postback(consent_button["data"]).expect("ชุมชนไหน")
    u.postback(consent_button["data"]).expect("ใช้ไม่ได้แล้ว")


def test_session_expires_after_30_minutes(chat, harness):
    from datetime import timedelta

    u = chat("Uexp", consent=False)
    u.follow()
    with harness.db.session() as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == "Uexp"))
        conv.expires_at = conv.expires_at - timedelta(minutes=31)
    u.say("สวัสดีค่ะ").expect("หมดเวลา")
    with harness.db.session() as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == "Uexp"))
        assert conv.flow is None


def test_role_code_from_cli_grants_staff(chat, harness, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-role-code", "staff", "--note", "ทดสอบ"])
    assert result.exit_code == 0, result.output
    code = result.output.split()[0]
    u = chat("Ustaffcode")
    u.say(f"รหัส {code}").expect("เจ้าหน้าที่")
    u.say(f"รหัส {code}").expect("ถูกใช้ไปแล้ว")
    with harness.db.session() as s:
        assert users.get_user(s, "Ustaffcode").role == "staff"


def test_delete_my_data_frees_the_seat_for_the_waitlist(chat, harness):
    from datetime import timedelta

    from bot.services import activities
    from bot.thaidate import now_utc
    from storage.models import Activity, Signup

    start = now_utc() + timedelta(days=3)
    with harness.db.session() as s:
        act = Activity(title="เดินเร็วรอบสวน", place="สวน", starts_at=start, ends_at=start + timedelta(hours=1),
                       capacity=1)
        s.add(act)
        s.flush()
        first = users.ensure_user(s, "Udelete1")
        second = users.ensure_user(s, "Udelete2")
        users.give_consent(s, first)
        users.give_consent(s, second)
        activities.signup(s, first, act.id, party_size=1, now=now_utc())
        activities.signup(s, second, act.id, party_size=1, now=now_utc())
        act_id = act.id
    u = chat("Udelete1", consent=False)
    u.say("ขอลบข้อมูลของฉันด้วยค่ะ").expect("ยืนยันไหมคะ")
    u.say("ยกเลิก").expect("ไม่ลบค่ะ ข้อมูลยังอยู่ครบนะคะ")  # "ยกเลิก" to "ลบเลย / ไม่ลบ" is the no
    u.say("ลบข้อมูลของฉัน").tap("ลบเลย").expect("ลบข้อมูลส่วนตัว")
    assert "📜 ธรรมนูญสุขภาพ" in u.quick_labels()  # the menu after it, not a dead end
    with harness.db.session(readonly=True) as s:
        statuses = {x.user_id: x.status for x in s.scalars(select(Signup).where(Signup.activity_id == act_id))}
        assert sorted(statuses.values()) == ["cancelled", "confirmed"]
        assert users.get_user(s, "Udelete1").display_name is None


def test_community_chips_put_the_most_joined_first_and_refresh_after_a_minute(chat, harness, monkeypatch):
    from bot.services import communities

    add_communities(harness.db, ("ชุมชนเอ", 13.8, 100.6), ("ชุมชนบี", 13.8, 100.6), ("ชุมชนซี", 13.8, 100.6))
    with harness.db.session() as s:
        ids = {c.name: c.id for c in s.scalars(select(Community))}
        for n in range(2):
            users.ensure_user(s, f"Upop{n}").community_id = ids["ชุมชนซี"]
    first = chat("Upop-new1", consent=False)
    first.follow().tap("ยินยอม").expect("ชุมชนไหน")
    assert first.quick_labels()[:3] == ["ชุมชนซี", "ชุมชนเอ", "ชุมชนบี"]

    with harness.db.session() as s:
        for n in range(2, 5):
            users.ensure_user(s, f"Upop{n}").community_id = ids["ชุมชนบี"]
    second = chat("Upop-new2", consent=False)
    second.follow().tap("ยินยอม")
    assert second.quick_labels()[:3] == ["ชุมชนซี", "ชุมชนเอ", "ชุมชนบี"]  # read within the minute

    later = communities._popular.clock() + communities.POPULAR_FOR_SECONDS + 1
    monkeypatch.setattr(communities._popular, "clock", lambda: later)
    third = chat("Upop-new3", consent=False)
    third.follow().tap("ยินยอม")
    assert third.quick_labels()[:3] == ["ชุมชนบี", "ชุมชนซี", "ชุมชนเอ"]


def _community_of(harness, user_id):
    with harness.db.session() as s:
        user = users.get_user(s, user_id)
        return user.community.name if user.community else None


def test_a_skipped_community_is_set_later_by_typing_its_name(chat, harness):
    """Onboarding promises "เลือกชุมชนภายหลังได้ โดย…พิมพ์ชื่อชุมชน": the name alone is understood."""
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60), ("ชุมชนลาดพร้าว 101", 13.79, 100.62))
    u = chat("Ulater", consent=False)
    u.follow().tap("ยินยอม").tap("ข้าม").expect("เลือกชุมชนภายหลังได้")
    u.say("ชุมชนลาดพร้าว 101 ค่ะ").expect("ชุมชนลาดพร้าว 101 ใช่ไหมคะ")
    assert u.quick_labels()[:2] == ["ตั้งเป็นชุมชนของฉัน", "ดูกิจกรรมของชุมชนนี้"]
    u.tap("ตั้งเป็นชุมชนของฉัน").expect("ตั้งชุมชนของคุณเป็น ชุมชนลาดพร้าว 101 แล้วค่ะ")
    assert _community_of(harness, "Ulater") == "ชุมชนลาดพร้าว 101"
    u.say("ลาดพร้าว 101").expect("คือชุมชนของคุณ")
    assert u.quick_labels()[0] == "ดูกิจกรรมของชุมชนนี้"


def test_change_community_by_command(chat, harness):
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60), ("ชุมชนลาดพร้าว 101", 13.79, 100.62))
    u = chat("Umove", community="ชุมชนโชคชัย 4")
    u.say("เปลี่ยนชุมชนเป็นลาดพร้าว 101 ค่ะ").expect("ตั้งชุมชนของคุณเป็น ชุมชนลาดพร้าว 101 แล้วค่ะ")
    assert _community_of(harness, "Umove") == "ชุมชนลาดพร้าว 101"
    # Said as news of a move (it was not understood).
    u.say("ยายย้ายไปอยู่ชุมชนโชคชัย 4 แล้วจ้ะ").expect("ตั้งชุมชนของคุณเป็น ชุมชนโชคชัย 4 แล้วค่ะ")
    assert _community_of(harness, "Umove") == "ชุมชนโชคชัย 4"
    u.say("เปลี่ยนชุมชนเป็นดาวอังคาร").expect("ไม่พบชุมชน “ดาวอังคาร” ค่ะ", "ตอนนี้คุณอยู่ชุมชนไหนคะ")
    u.say("ยกเลิก")
    u.say("ขอเปลี่ยนชุมชนหน่อย").expect("ตอนนี้คุณอยู่ชุมชนไหนคะ")
    assert "ส่งตำแหน่ง" in u.quick_labels()
    u.say("ดาวอังคาร").expect("ไม่พบชุมชน")
    u.tap("ชุมชนโชคชัย 4").expect("ตั้งชุมชนของคุณเป็น ชุมชนโชคชัย 4 แล้วค่ะ")
    assert _community_of(harness, "Umove") == "ชุมชนโชคชัย 4"


def test_without_consent_the_community_is_not_kept(chat, harness):
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60))
    u = chat("Unoconsent", consent=False)
    u.say("เปลี่ยนชุมชนเป็นโชคชัย 4").expect("ยินยอม")
    with harness.db.session() as s:
        found = s.scalar(select(Community).where(Community.name == "ชุมชนโชคชัย 4"))
    u.postback(f"community.set?id={found.id}").expect("ยินยอม")
    u.postback("community.set?id=abc").expect("ยินยอม")
    assert _community_of(harness, "Unoconsent") is None


def test_typing_skip_is_the_same_as_the_skip_chip(chat, harness):
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60))
    u = chat("Utypedskip", consent=False)
    u.follow().tap("ยินยอม").say("ข้ามค่ะ").expect("เรียบร้อย", "เลือกชุมชนภายหลังได้")
    assert _community_of(harness, "Utypedskip") is None


def test_consent_given_after_declining_asks_for_the_community(chat, harness):
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60))
    u = chat("Ulateconsent", consent=False)
    u.follow().tap("ไม่ยินยอม")
    u.say("ยินยอมค่ะ").expect("บันทึกความยินยอมแล้ว", "ตอนนี้คุณอยู่ชุมชนไหนคะ")
    u.say("โชคชัย 4").expect("ตั้งชุมชนของคุณเป็น ชุมชนโชคชัย 4 แล้วค่ะ")
    assert _community_of(harness, "Ulateconsent") == "ชุมชนโชคชัย 4"
    other = chat("Ulateconsent2", consent=False)
    other.follow().tap("ไม่ยินยอม")
    other.say("ยินยอม").say("ข้าม").expect("ไว้เลือกชุมชนภายหลังได้")
    assert _community_of(harness, "Ulateconsent2") is None


def test_delete_my_data_answered_by_typing(chat, harness):
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60))
    u = chat("Utypeddelete", community="ชุมชนโชคชัย 4")
    u.say("ลบข้อมูลของฉัน").expect("ยืนยันไหมคะ")
    u.say("ไม่ค่ะ").expect("ไม่ลบค่ะ")
    assert _community_of(harness, "Utypeddelete") == "ชุมชนโชคชัย 4"
    u.say("ลบข้อมูลของฉัน").say("ใช่ค่ะ").expect("ลบข้อมูลส่วนตัวของคุณเรียบร้อยแล้ว")
    assert _community_of(harness, "Utypeddelete") is None
    u.postback("privacy.delete_no").expect("ไม่ลบค่ะ")  # a button from an older card still answers


def test_consent_typed_with_a_polite_particle(chat, harness):
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60))
    u = chat("Uconsent_typed", consent=False)
    u.follow().say("ยินยอมค่ะ").expect("ชุมชนไหน")
    other = chat("Udecline_typed", consent=False)
    other.follow().say("ขอไม่ยินยอมนะคะ").expect("ไม่เป็นไร")
    with harness.db.session() as s:
        assert users.get_user(s, "Uconsent_typed").consent_at is not None
        declined = users.get_user(s, "Udecline_typed")
        assert declined.consent_at is None and declined.consent_declined_at is not None


def test_a_command_typed_at_the_community_step_asks_before_leaving(chat):
    """"ติดต่อเจ้าหน้าที่" used to get "ไม่พบชุมชน “ติดต่อเจ้าหน้าที่”"."""
    u = chat("Ucmd", consent=False)
    u.say("ยินยอม").expect("ชุมชนไหน")
    u.say("ติดต่อเจ้าหน้าที่").expect("ออกจาก")
    u.say("ออกเลย").expect("พิมพ์ข้อความถึงเจ้าหน้าที่ได้เลยค่ะ")


def test_a_sentence_at_the_community_step_is_not_quoted_back_as_a_name(chat):
    u = chat("Usentence", consent=False)
    u.say("ยินยอม").expect("ชุมชนไหน")
    u.say("อยากทราบว่าตรวจสุขภาพฟรีต้องนำบัตรประชาชนไปไหมคะ")
    u.expect("ข้อนี้ขอชื่อชุมชนค่ะ เช่น “ลาดพร้าว 101”").expect_not("ไม่พบชุมชน")


def test_deleting_my_data_leaves_my_ideas_with_the_community_but_not_mine(chat, harness):
    """The idea stays (it is the community's), without the person: not in "โครงการของฉัน", no phone, no
    notices of its progress (they kept coming), and the question says so first."""
    from bot.services import ideas
    from bot.thaidate import now_utc
    from storage.models import Idea, OutboxMessage

    u = chat("Uideadel")
    with harness.db.session() as s:
        me = users.get_user(s, "Uideadel")
        idea_id = ideas.submit(s, me, now=now_utc(), title="ลานออกกำลังกายผู้สูงอายุ", contact_phone="0812345678").id
    u.say("โครงการของฉัน").expect("ลานออกกำลังกายผู้สูงอายุ")
    u.say("ลบข้อมูลของฉัน").expect("โครงการที่คุณเคยเสนอจะยังอยู่กับชุมชนโดยไม่ระบุชื่อคุณ").tap("ลบเลย")
    u.say("โครงการของฉัน").expect_not("ลานออกกำลังกายผู้สูงอายุ")
    staff = chat("Ustaffdel", role="staff")
    staff.say(f"รับพิจารณาโครงการ {idea_id}")
    harness.run_outbox()
    with harness.db.session(readonly=True) as s:
        idea = s.get(Idea, idea_id)
        assert idea.status == "under_review" and idea.contact_phone is None
        assert idea.user_id != users.get_user(s, "Uideadel").id
        assert not [row for row in s.scalars(select(OutboxMessage)) if "Uideadel" in (row.to or [])
                    and "พิจารณา" in str(row.messages)]


def test_someone_who_declined_consent_gets_no_announcements(chat, harness):
    from bot.services import broadcasts

    chat("Uannyes")
    chat("Uannno", consent=False).follow().tap("ไม่ยินยอม")
    chat("Uannlater", consent=False).follow()  # not answered yet: still a follower of the account
    with harness.db.session(readonly=True) as s:
        got = broadcasts.audience_ids(s, "all", None)
        # LINE's broadcast endpoint reaches every follower: with someone to leave out, it is a multicast.
        assert not broadcasts.uses_broadcast_endpoint(s, "all")
    assert "Uannyes" in got and "Uannlater" in got and "Uannno" not in got
    staff = chat("Uannstaff", role="staff")
    staff.say("ประกาศถึงทุกคนว่าพรุ่งนี้ฝุ่น PM2.5 สูง งดออกกำลังกายกลางแจ้งนะคะ").tap("ใช้ข้อความนี้").tap("ไม่ต้อง")
    staff.tap("ส่งเลย").tap("ยืนยันส่ง").expect("รับประกาศ #")
    harness.run_outbox()
    assert "ฝุ่น PM2.5" in chat("Uannyes").refresh().text
    assert "ฝุ่น PM2.5" not in chat("Uannno", consent=False).refresh().text


def test_a_name_many_numbered_communities_share_is_asked_which(chat, harness):
    """"ลาดพร้าว" with no number set ชุมชนลาดพร้าว 71 (the first of several) without asking."""
    add_communities(harness.db, ("ชุมชนลาดพร้าว 71", 13.80, 100.60), ("ชุมชนลาดพร้าว 101", 13.79, 100.62),
                    ("ชุมชนลาดพร้าว 87", 13.79, 100.61), ("ชุมชนวัดลาดพร้าว", 13.81, 100.60),
                    ("ชุมชนนาคนิวาส", 13.80, 100.59), ("ชุมชนนาคนิวาส 30", 13.80, 100.59))
    u = chat("Ualike", consent=False)
    u.follow().tap("ยินยอม").say("ลาดพร้าวค่ะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ", "อยู่ชุมชนไหนคะ")
    assert {"ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 87", "ชุมชนลาดพร้าว 101"} <= set(u.quick_labels())
    u.tap("ชุมชนลาดพร้าว 101").expect("ชุมชนของคุณคือ ชุมชนลาดพร้าว 101")
    # A number, in digits or words, or a name without a number of its own, is clear: no question.
    u.say("เปลี่ยนชุมชน").say("ลาดพร้าวแปดสิบเจ็ด").expect("ชุมชนลาดพร้าว 87 แล้วค่ะ")
    u.say("เปลี่ยนชุมชน").say("นาคนิวาส").expect("ชุมชนนาคนิวาส แล้วค่ะ")
    u.say("เปลี่ยนชุมชนเป็นลาดพร้าวค่ะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ")
    assert "ชุมชนลาดพร้าว 71" in u.quick_labels()
    u.tap("ชุมชนลาดพร้าว 71").expect("ชุมชนลาดพร้าว 71 แล้วค่ะ")


def test_seeing_what_is_kept_about_me(chat, harness, tmp_path):
    """PDPA's right of access: the policy promises "ขอดู"; it offered only read, withdraw, delete and mute."""
    from datetime import timedelta

    from bot.services import charter
    from bot.thaidate import format_date, now_utc
    from storage.models import Idea
    from tests.charter.helpers import SMALL_YAML, write

    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60))
    u = chat("Umydata", community="ชุมชนโชคชัย 4", name="ป้าสมศรี")
    u.say("เก็บข้อมูลอะไรเราไปบ้าง ขอดูหน่อย")
    u.expect("ชื่อที่แสดง: ป้าสมศรี", "ชุมชน: ชุมชนโชคชัย 4", f"ให้ไว้เมื่อ {format_date(now_utc())}",
             "ความเห็นต่อธรรมนูญ: 0 ข้อ", "โครงการที่เสนอ: 0 โครงการ", "ข่าวประกาศ: รับอยู่").expect_not("เบอร์โทร")
    assert "ลบข้อมูลของฉัน" in u.quick_labels() and "โครงการของฉัน" not in u.quick_labels()
    with harness.db.session() as s:
        user = users.get_user(s, "Umydata")
        s.add(Idea(user_id=user.id, title="ลานออกกำลังกาย", status="submitted", contact_phone="081-234-5678"))
        demo = charter.load_charter(s, write(tmp_path, "c.yaml", SMALL_YAML), now=now_utc())
        charter.publish(s, demo, now=now_utc())
        charter.create_round(s, demo, "รอบที่ 1", now_utc() - timedelta(days=1), now_utc() + timedelta(days=7))
    u.say("ข้อ 2").tap("เห็นด้วย").say("ดีค่ะ ควรทำ")
    u.say("ปิดการแจ้งเตือน")
    u.say("ข้อมูลส่วนตัว").tap("ดูข้อมูลของฉัน")
    u.expect("เบอร์โทรที่ให้ไว้กับโครงการ: 081-234-5678", "ความเห็นต่อธรรมนูญ: 1 ข้อ (มีข้อความ 1 ข้อ)",
             "โครงการที่เสนอ: 1 โครงการ", "ข่าวประกาศ: ปิดรับอยู่")
    assert "โครงการของฉัน" in u.quick_labels()


def test_a_question_about_the_data_at_consent_is_answered(chat):
    """It asked whether to leave the sign-up ("จะออกจากขั้นตอนนี้แล้วไปต่อเลยไหมคะ")."""
    u = chat("Uconsentq", consent=False)
    u.follow().say("ใครอะ เอาข้อมูลเราไปทำไร ขายให้ใครป่าว")
    u.expect("ไม่ขายหรือส่งต่อให้ผู้อื่น", "ก่อนเริ่ม ขอความยินยอม").expect_not("ออกจากขั้นตอน")
    assert "ยินยอม" in u.quick_labels()
    u.tap("ยินยอม").expect("ชุมชนไหน")


def test_every_community_holding_the_name_is_offered_most_residents_first(chat, harness):
    """"ลาดพร้าว" offered only the eight numbered communities (ลาดพร้าว 71 … 122), never วัดลาดพร้าว,
    หลังวัดลาดพร้าว, เคหะลาดพร้าว, บ้านสวนลาดพร้าว … whose names hold it too."""
    from tests.support.communities import LAT_PHRAO, add_district

    ids = add_district(harness.db)
    for i, name in enumerate(("ชุมชนหลังวัดลาดพร้าว",) * 3 + ("ชุมชนเคหะลาดพร้าว",) * 2):
        chat(f"Uneighbour{i}", community=name)
    u = chat("Ushared", consent=False)
    u.follow().tap("ยินยอม").say("ลาดพร้าวค่ะ")
    u.expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ", "ในปุ่มมี 9 จาก 14 ชุมชน", "ถ้าไม่มีชุมชนของคุณ พิมพ์ชื่อเต็มได้เลยนะคะ",
             "อยู่ชุมชนไหนคะ")
    labels = u.quick_labels()
    assert len(labels) <= 13 and all(len(label) <= 20 for label in labels)
    # Where most residents are first, then by name (a number after its name); a long name by its alias.
    assert labels == ["ชุมชนหลังวัดลาดพร้าว", "ชุมชนเคหะลาดพร้าว", "บ้านมั่นคงลาดพร้าว", "ชุมชนบ้านสวนลาดพร้าว",
                      "ชุมชนริมคลองลาดพร้าว", "ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 80", "ชุมชนลาดพร้าว 87",
                      "ชุมชนลาดพร้าว 94", "ส่งตำแหน่ง", "ข้าม", "ย้อนกลับ", "ยกเลิก"]
    u.expect("เช่น “ลาดพร้าว 101”")  # the first left out
    u.say("วัดลาดพร้าว").expect("ชุมชนของคุณคือ ชุมชนวัดลาดพร้าว")  # one left out of the chips, typed
    with harness.db.session() as s:
        assert users.get_user(s, "Ushared").community_id == ids["ชุมชนวัดลาดพร้าว"]
    assert len(LAT_PHRAO) == 14


def test_a_few_sharing_the_name_are_all_offered_and_a_long_name_gets_a_short_chip(chat, harness):
    with harness.db.session() as s:
        s.add_all([Community(code="LP07", name="ชุมชนลาดพร้าว 71"), Community(code="LP11", name="ชุมชนลาดพร้าว 101"),
                   Community(code="LP15", name="ชุมชนวัดลาดพร้าว"),
                   Community(code="LP18", name="ชุมชนบ้านมั่นคงริมคลองลาดพร้าว", aliases=["บ้านมั่นคงลาดพร้าว"])])
    u = chat("Ufew")
    u.say("เปลี่ยนชุมชนเป็นลาดพร้าว").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ").expect_not("ในปุ่มมี")
    # No one lives in any of them yet: by name, a number after its name.
    assert u.quick_labels()[:4] == ["บ้านมั่นคงลาดพร้าว", "ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 101", "ชุมชนวัดลาดพร้าว"]
    u.tap("บ้านมั่นคงลาดพร้าว").expect("ตั้งชุมชนของคุณเป็น ชุมชนบ้านมั่นคงริมคลองลาดพร้าว แล้วค่ะ")
    # Another number in the answer is not the community's (any digit counted: it set ลาดพร้าว 71).
    u.say("เปลี่ยนชุมชน").say("บ้านเลขที่ 5 ลาดพร้าวค่ะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ").expect_not("แล้วค่ะ ✅")


def test_a_name_many_share_typed_on_its_own_asks_which_then_offers_it(chat, harness):
    """"ลาดพร้าวค่ะ" on its own (the router reads it as small talk) answered "เรื่องนี้ “ร่วมกัน”
    ยังช่วยไม่ได้ค่ะ", though the onboarding says a community can be set later by typing its name."""
    from tests.support.communities import add_district

    add_district(harness.db)
    u = chat("Ualone")
    u.say("ลาดพร้าวค่ะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ หมายถึงชุมชนไหนคะ", "ในปุ่มมี 12 จาก 14 ชุมชน")
    u.expect_not("ยังช่วยไม่ได้")
    u.tap("ชุมชนเคหะลาดพร้าว").expect("ชุมชนเคหะลาดพร้าว ใช่ไหมคะ ตั้งเป็นชุมชนของคุณ")
    u.tap("ตั้งเป็นชุมชนของฉัน").expect("ตั้งชุมชนของคุณเป็น ชุมชนเคหะลาดพร้าว แล้วค่ะ")


def test_a_leaders_role_code_for_a_name_many_communities_share_is_refused(app, harness):
    """`create-role-code leader --community ลาดพร้าว` tied the code to the first community whose name held
    it (ลาดพร้าว 71, or ลาดพร้าว 101 for "ลาดพร้าว 1"), without a word."""
    from storage.models import RoleCode
    from tests.support.communities import add_district

    ids = add_district(harness.db)
    runner = app.test_cli_runner()
    for typed in ("ลาดพร้าว", "ลาดพร้าว 1"):
        result = runner.invoke(args=["create-role-code", "leader", "--community", typed])
        assert result.exit_code != 0 and "ชุมชนลาดพร้าว 101" in result.output and "ชุมชนลาดพร้าว 112" in result.output
    with harness.db.session() as s:
        assert s.query(RoleCode).count() == 0
    assert runner.invoke(args=["create-role-code", "leader", "--community", "ลาดพร้าว 101"]).exit_code == 0
    with harness.db.session() as s:
        assert s.query(RoleCode).one().community_id == ids["ชุมชนลาดพร้าว 101"]


def test_saying_one_moved_changes_the_community(chat, harness):
    """"ย้ายไปอยู่ลาดพร้าวแล้วค่ะ", "ย้ายบ้านไปลาดพร้าว 101 แล้ว", "ตอนนี้อยู่ชุมชนวัดลาดพร้าวแล้วค่ะ" were not
    understood ("ขอโทษค่ะ ยังไม่แน่ใจว่าต้องการอะไร"): only "ย้ายไปอยู่ชุมชน…" with the word ชุมชน was."""
    from tests.support.communities import add_district

    ids = add_district(harness.db)
    u = chat("Umoved", community="ชุมชนโชคชัย 4")

    def home() -> int:
        with harness.db.session() as s:
            return users.get_user(s, "Umoved").community_id

    u.say("ย้ายไปอยู่ลาดพร้าวแล้วค่ะ").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ", "ตอนนี้คุณอยู่ชุมชนไหนคะ")
    u.expect_not("ยังไม่แน่ใจ")
    assert "ชุมชนลาดพร้าว 71" in u.quick_labels() and home() == ids["ชุมชนโชคชัย 4"]  # asked, not set
    u.tap("ชุมชนลาดพร้าว 71").expect("ตั้งชุมชนของคุณเป็น ชุมชนลาดพร้าว 71 แล้วค่ะ")
    for said, name in (("ย้ายบ้านไปลาดพร้าว 101 แล้ว", "ชุมชนลาดพร้าว 101"),
                       ("ตอนนี้อยู่ชุมชนวัดลาดพร้าวแล้วค่ะ", "ชุมชนวัดลาดพร้าว"),
                       ("ผมเพิ่งย้ายมาอยู่ที่เคหะลาดพร้าวครับ", "ชุมชนเคหะลาดพร้าว"),
                       ("ย้ายบ้านมาอยู่บ้านสวนลาดพร้าวค่ะ", "ชุมชนบ้านสวนลาดพร้าว"),
                       ("ย้ายบ้านแล้วค่ะ ตอนนี้อยู่นาคนิวาส", "ชุมชนนาคนิวาส")):
        u.say(said).expect(f"ตั้งชุมชนของคุณเป็น {name} แล้วค่ะ")
        assert home() == ids[name], said
    # "now at" without ชุมชน may be where one has got to: asked, not changed.
    u.say("ตอนนี้อยู่ลาดพร้าว 101 แล้วค่ะ").expect("ชุมชนลาดพร้าว 101 ใช่ไหมคะ ตั้งเป็นชุมชนของคุณ")
    assert home() == ids["ชุมชนนาคนิวาส"]
    # Moving somewhere that is no community of the district, or not moving at all: as before.
    u.say("ย้ายไปอยู่ต่างจังหวัดแล้วค่ะ").expect_not("ตั้งชุมชน", "ชุมชนไหน")
    u.say("ตอนนี้ผมอยู่ที่งานวัดลาดพร้าวแล้ว").expect_not("ตั้งชุมชน", "ชุมชนไหน")
    assert home() == ids["ชุมชนนาคนิวาส"]
    # The name alone: "บ้าน" is the name's, not "บ้าน(อยู่)…" (it was taken off, leaving which ลาดพร้าว).
    u.say("บ้านสวนลาดพร้าวค่ะ").expect("ชุมชนบ้านสวนลาดพร้าว ใช่ไหมคะ").expect_not("มีหลายชุมชน")
    # A leader's community came with the role: not changed by saying so.
    leader = chat("Umovedleader", role="leader", community="ชุมชนโชคชัย 4")
    leader.say("ย้ายบ้านไปลาดพร้าว 101 แล้ว").expect(users.LEADER_COMMUNITY_FIXED[:20])


def test_a_community_typed_by_one_of_its_aliases(chat, harness):
    """"บ้านมั่นคงลาดพร้าว" (the alias its chip shows) answered "ชุมชนลาดพร้าวมีหลายชุมชนค่ะ"; moving to
    "เลียบด่วนประดิษฐ์มนูธรรม" was not understood."""
    from tests.support.communities import add_district

    ids = add_district(harness.db)
    u = chat("Ualias", consent=False)
    u.follow().tap("ยินยอม").say("บ้านมั่นคงลาดพร้าวค่ะ")
    u.expect("ชุมชนของคุณคือ ชุมชนบ้านมั่นคงริมคลองลาดพร้าว").expect_not("มีหลายชุมชน")
    u.say("ย้ายไปอยู่เลียบด่วนประดิษฐ์มนูธรรมแล้วค่ะ").expect("ตั้งชุมชนของคุณเป็น ชุมชนประดิษฐ์มนูธรรม แล้วค่ะ")
    u.say("เปลี่ยนชุมชนเป็นบ้านมั่นคงลาดพร้าว").expect("ตั้งชุมชนของคุณเป็น ชุมชนบ้านมั่นคงริมคลองลาดพร้าว แล้วค่ะ")
    with harness.db.session(readonly=True) as s:
        assert users.get_user(s, "Ualias").community_id == ids["ชุมชนบ้านมั่นคงริมคลองลาดพร้าว"]
    u.say("เปลี่ยนชุมชนเป็นลาดพร้าว").expect("ชุมชนลาดพร้าวมีหลายชุมชนค่ะ")  # still asked which


def test_an_alias_several_communities_have_is_asked_which(chat, harness):
    with harness.db.session() as s:
        s.add_all([Community(code="LP01", name="ชุมชนร่มเย็น", aliases=["ตรอกข้าวหอม"]),
                   Community(code="LP02", name="ชุมชนสุขสันต์", aliases=["ตรอกข้าวหอม"]),
                   Community(code="LP03", name="ชุมชนเพิ่มสุข")])
    u = chat("Ushared_alias")
    u.say("เปลี่ยนชุมชนเป็นตรอกข้าวหอม").expect("“ตรอกข้าวหอม” เป็นชื่อของหลายชุมชนค่ะ").expect_not("แล้วค่ะ ✅")
    assert u.quick_labels()[:2] == ["ชุมชนร่มเย็น", "ชุมชนสุขสันต์"]
    with harness.db.session(readonly=True) as s:
        assert users.get_user(s, "Ushared_alias").community_id is None
    u.tap("ชุมชนสุขสันต์").expect("ตั้งชุมชนของคุณเป็น ชุมชนสุขสันต์ แล้วค่ะ")


def test_consent_said_naturally_at_the_consent_step(chat, harness):
    """"โอเคค่ะ ยินยอม" asked whether to leave the sign-up; "ตกลงค่ะ" and "ok" asked to tap a button."""
    for user_id, said in (("Unat1", "โอเคค่ะ ยินยอม"), ("Unat2", "ได้ค่ะ ยินยอมค่ะ"), ("Unat3", "ตกลงค่ะ"),
                          ("Unat4", "ok")):
        u = chat(user_id, consent=False)
        u.follow().say(said).expect("ชุมชนไหน").expect_not("ออกจากขั้นตอน", "กรุณาเลือก")
    with harness.db.session() as s:
        assert all(users.get_user(s, f"Unat{i}").consent_at is not None for i in range(1, 5))


def test_consent_refused_naturally_is_never_read_as_consent(chat, harness):
    for user_id, said in (("Uref1", "ไม่ยินยอมค่ะ"), ("Uref2", "ไม่ให้เก็บ"), ("Uref3", "ไม่ยินยอม ไม่อยากให้เก็บข้อมูล")):
        u = chat(user_id, consent=False)
        u.follow().say(said).expect("ไม่เป็นไร").expect_not("ชุมชนไหน")
        with harness.db.session() as s:
            user = users.get_user(s, user_id)
            assert user.consent_at is None and user.consent_declined_at is not None
    asked = chat("Uref4", consent=False)
    asked.follow().say("ถ้าไม่ยินยอมจะใช้ได้ไหมคะ").expect("ก่อนเริ่ม ขอความยินยอม").expect_not("ไม่เป็นไร")


def test_changing_ones_mind_as_people_say_it(chat, harness):
    u = chat("Umind", consent=False)
    u.follow().tap("ไม่ยินยอม").expect("ถ้าเปลี่ยนใจ พิมพ์ “ยินยอม”")
    u.say("เปลี่ยนใจแล้วค่ะ ยินยอมก็ได้").expect("บันทึกความยินยอมแล้ว").expect_not("ยังไม่แน่ใจ")
    with harness.db.session() as s:
        assert users.get_user(s, "Umind").consent_at is not None


def test_privacy_requests_in_everyday_words_do_what_they_ask(chat, harness):
    """Each showed the privacy button menu ("เรื่องข้อมูลของคุณ เลือกได้เลยค่ะ") instead."""
    u = chat("Uprivwords")
    u.say("ลบข้อมูลของฉันทั้งหมดเลยค่ะ").expect("ยืนยันไหมคะ").expect_not("เลือกได้เลยค่ะ")
    u.tap("ไม่ลบ").expect("ข้อมูลยังอยู่ครบ")
    u.say("ไม่อยากได้ข่าวสารแล้วค่ะ ส่งมาเยอะเกิน").expect("ปิดการแจ้งเตือนข่าวประกาศแล้วค่ะ")
    u.say("ถอนความยินยอมค่ะ").expect("ถอนความยินยอมแล้วค่ะ").expect_not("เลือกได้เลยค่ะ")
    with harness.db.session() as s:
        user = users.get_user(s, "Uprivwords")
        assert user.consent_at is None and user.muted_categories == ["announcement"]
    u.say("ถอนความยินยอมค่ะ").expect("ยังไม่ได้ให้ความยินยอม")


def test_a_number_or_ok_at_the_community_step_picks_from_the_chips(chat, harness):
    """"1" and "โอเค" at the community step got "ไม่พบชุมชน “1”": a number is the chip in that place (or the
    one with that number in its name), "โอเค" the one community suggested; otherwise how to answer."""
    add_communities(harness.db, ("ชุมชนโชคชัย 4", 13.82, 100.60), ("ชุมชนลาดพร้าว 101", 13.79, 100.62),
                    ("ชุมชนเชียงใหม่", 18.79, 98.98))
    u = chat("Unumber", consent=False)
    u.follow().tap("ยินยอม").expect("ชุมชนไหน")
    first, second = u.quick_labels()[:2]
    u.say("โอเคค่ะ").expect("ขอชื่อชุมชนของคุณค่ะ", "พิมพ์ 1 สำหรับปุ่มแรก").expect_not("ไม่พบชุมชน")
    u.say("9").expect("ขอชื่อชุมชนของคุณค่ะ").expect_not("ไม่พบชุมชน")
    u.say("๒").expect("เรียบร้อย", f"ชุมชนของคุณคือ {second}")
    u.say("เปลี่ยนชุมชน").say("1").expect(f"ตั้งชุมชนของคุณเป็น {first} แล้วค่ะ")
    u.say("เปลี่ยนชุมชน").say("101").expect("ตั้งชุมชนของคุณเป็น ชุมชนลาดพร้าว 101 แล้วค่ะ")  # its own number
    near = chat("Unear", consent=False)
    near.follow().tap("ยินยอม")
    near.send("location", latitude=13.8201, longitude=100.6001, title="บ้าน", address="ลาดพร้าว")
    near.expect("ใกล้คุณที่สุด")
    assert [label for label in near.quick_labels() if label.startswith("ชุมชน")] == ["ชุมชนโชคชัย 4", "ชุมชนลาดพร้าว 101"]
    near.say("ok").expect("ขอชื่อชุมชนของคุณค่ะ")  # two suggested: which, asked


def test_ok_at_the_community_step_takes_the_one_suggested(chat, harness):
    add_communities(harness.db, ("ชุมชนใกล้", 13.8200, 100.6000), ("ชุมชนเชียงใหม่", 18.79, 98.98))
    u = chat("Uok", consent=False)
    u.follow().tap("ยินยอม")
    u.send("location", latitude=13.8201, longitude=100.6001, title="บ้าน", address="ลาดพร้าว")
    u.expect("ใกล้คุณที่สุด").say("โอเค").expect("เรียบร้อย", "ชุมชนของคุณคือ ชุมชนใกล้")
