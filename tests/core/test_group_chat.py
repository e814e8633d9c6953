"""The bot in a LINE group: whose buttons are whose, answers without the bot's name, and nothing personal shown."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from bot.thaidate import BKK, now_utc
from storage.models import Activity, Conversation, Signup, User
from tests.charter.helpers import published_with_round

GROUP = "C" + "g" * 32
SOMSRI, SOMCHAI = "U" + "a" * 32, "U" + "b" * 32


@pytest.fixture
def rum(db):
    """An activity open for sign-up, "รำไม้พลอง"."""
    starts = now_utc() + timedelta(days=3)
    with db.session() as s:
        activity = Activity(title="รำไม้พลอง", description="รำไม้พลองป้าบุญมี", place="ลานวัด", starts_at=starts,
                            ends_at=starts + timedelta(hours=1), capacity=10, signup_deadline=starts - timedelta(hours=2),
                            status="published")
        s.add(activity)
        s.flush()
        return activity.id


def signup_of(db, line_user_id: str) -> Signup | None:
    with db.session(readonly=True) as s:
        user = s.scalar(select(User).where(User.line_user_id == line_user_id))
        return s.scalar(select(Signup).where(Signup.user_id == user.id))


def in_group(db, line_user_id: str) -> tuple:
    """The member's journey in the group: flow, step, answers, nonce."""
    with db.session(readonly=True) as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == line_user_id,
                                                   Conversation.chat_key == GROUP))
        return (conv.flow, conv.step, conv.data, conv.nonce) if conv else None


# --- 1. another member's buttons -----------------------------------------------------------------

def test_a_button_of_another_members_sign_up_is_theirs_and_the_same_is_offered(chat, db, rum):
    """Somchai tapped Somsri's "2 คน" and was told "ปุ่มนี้ใช้ไม่ได้แล้ว"."""
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP)
    somchai = chat(SOMCHAI, name="สมชาย", group_id=GROUP)
    somsri.say("@ร่วมกัน สมัครรำไม้พลอง").expect("ไปกี่คนคะ")
    before = in_group(db, SOMSRI)
    somchai.refresh().tap("2 คน")
    somchai.expect("ปุ่มนี้เป็นของคุณสมศรีค่ะ", "กดแทนกันไม่ได้นะคะ ขั้นตอนของคุณสมศรียังอยู่เหมือนเดิมค่ะ",
                   "ถ้าอยากสมัคร “รำไม้พลอง” ด้วย แตะ “สมัครให้ตัวเอง” ได้เลยค่ะ").expect_not("ใช้ไม่ได้แล้ว")
    assert in_group(db, SOMSRI) == before and signup_of(db, SOMCHAI) is None
    somsri.tap("2 คน").expect("สรุปการสมัครค่ะ", "จำนวน 2 คน")  # her buttons still work, as they were
    somchai.refresh().tap("ยืนยันสมัคร").expect("ปุ่มนี้เป็นของคุณสมศรีค่ะ")
    assert signup_of(db, SOMSRI) is None
    somchai.tap("สมัครให้ตัวเอง").expect("“รำไม้พลอง”\nไปกี่คนคะ").tap("1 คน").tap("ยืนยันสมัคร")
    somchai.expect("ลงทะเบียนให้คุณสมชายสำเร็จค่ะ")
    assert signup_of(db, SOMCHAI).party_size == 1
    somsri.tap("ยืนยันสมัคร").expect("ลงทะเบียนให้คุณสมศรีสำเร็จค่ะ", "จำนวน 2 คน")


def test_a_member_with_a_question_of_their_own_is_asked_it_again(chat, db, rum):
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP)
    somchai = chat(SOMCHAI, name="สมชาย", group_id=GROUP)
    somsri.say("@ร่วมกัน สมัครรำไม้พลอง")
    somchai.say("@ร่วมกัน สมัครรำไม้พลอง")
    somchai.tap("1 คน").expect("สรุปการสมัคร")  # his own button: his answer
    mine = in_group(db, SOMCHAI)
    somchai.refresh()
    somchai.last = somsri.last
    somchai.tap("3 คน").expect("ปุ่มนี้เป็นของคุณสมศรีค่ะ", "ส่วนขั้นตอนของคุณเองยังรออยู่ตรงนี้ค่ะ", "สรุปการสมัคร")
    assert in_group(db, SOMCHAI)[:3] == mine[:3] and in_group(db, SOMSRI)[1] == "party"


def test_a_button_sent_before_buttons_named_their_owner_is_found_by_its_count(chat, db, rum):
    chat(SOMSRI, name="สมศรี", group_id=GROUP).say("@ร่วมกัน สมัครรำไม้พลอง")
    nonce = in_group(db, SOMSRI)[3]
    somchai = chat(SOMCHAI, group_id=GROUP)
    somchai.postback(f"f?s=party&n={nonce}&v=2").expect("ปุ่มนี้เป็นของคุณสมศรีค่ะ")
    somchai.postback("f?s=party&n=abcdef&v=2").expect("ปุ่มนี้ใช้ไม่ได้แล้ว")  # no one's: as before
    with db.session() as s:  # her name is not known (no consent to keep her profile)
        s.execute(update(User).where(User.line_user_id == SOMSRI).values(display_name=None))
    somchai.postback(f"f?s=party&n={nonce}&v=2").expect("ปุ่มนี้เป็นของสมาชิกอีกท่านในกลุ่มค่ะ",
                                                       "ขั้นตอนของท่านนั้นยังอยู่เหมือนเดิมค่ะ")


def test_a_button_of_another_members_stance_offers_the_clause(chat, harness, db, tmp_path):
    with harness.db.session() as s:
        published_with_round(s, tmp_path, now_utc())
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP)
    somsri.say("@ร่วมกัน ข้อ 3").tap("ไม่เห็นด้วย").expect("ข้าม")
    before = in_group(db, SOMSRI)
    somchai = chat(SOMCHAI, group_id=GROUP)
    somchai.refresh().tap("ข้าม").expect("ปุ่มนี้เป็นของคุณสมศรีค่ะ", "แตะ “ความเห็นต่อข้อ 3”")
    assert in_group(db, SOMSRI) == before
    somchai.tap("ความเห็นต่อข้อ 3").expect("ข้อ 3").expect_not("ปุ่มนี้เป็นของ")


# --- 2. an answer without the bot's name --------------------------------------------------------

def test_the_answer_to_the_bots_question_needs_no_mention_but_chatter_is_left_alone(chat, harness, db, rum):
    """Somsri's "2 คน" after the bot asked her "ไปกี่คนคะ" in the group was ignored (no "@ร่วมกัน")."""
    asked_at = now_utc() + timedelta(hours=1)
    harness.set_clock(asked_at)
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP)
    somchai = chat(SOMCHAI, name="สมชาย", group_id=GROUP)
    somsri.say("@ร่วมกัน สมัครรำไม้พลอง").expect("ไปกี่คนคะ")
    harness.set_clock(asked_at + timedelta(minutes=3))
    somchai.refresh().say("2 คน").expect_quiet()  # another member: no question of his is open
    somsri.say("เดี๋ยวไปซื้อกับข้าวก่อนนะ").expect_quiet()  # her chatter is not an answer
    somsri.say("ไปด้วยกันไหม").expect_quiet()
    assert in_group(db, SOMSRI)[1] == "party"
    somsri.say("๒ คนค่ะ").expect("สรุปการสมัครค่ะ", "จำนวน 2 คน")
    somsri.say("โอเคค่ะ").expect_quiet()  # said to anyone in a group: not taken as her yes
    somsri.say("ใช่ค่ะ").expect("ลงทะเบียนให้คุณสมศรีสำเร็จค่ะ")
    assert signup_of(db, SOMSRI).party_size == 2 and signup_of(db, SOMCHAI) is None


def test_an_answer_long_after_the_question_needs_the_bots_name(chat, harness, db, rum):
    asked_at = now_utc() + timedelta(hours=1)
    harness.set_clock(asked_at)
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP)
    somsri.say("@ร่วมกัน สมัครรำไม้พลอง").expect("ไปกี่คนคะ")
    harness.set_clock(asked_at + timedelta(minutes=11))
    somsri.say("2 คน").expect_quiet()
    somsri.say("@ร่วมกัน 2 คน").expect("สรุปการสมัครค่ะ")  # asked again just now: the window starts again
    harness.set_clock(asked_at + timedelta(minutes=20))
    somsri.say("ไม่สมัครแล้ว").expect("ยังไม่ได้สมัครนะคะ")  # a chip's label typed, 9 minutes after it was asked
    assert in_group(db, SOMSRI)[0] is None and signup_of(db, SOMSRI) is None


def test_cancel_typed_without_the_bots_name_leaves_her_own_journey(chat, harness, db, rum):
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP)
    somsri.say("@ร่วมกัน สมัครรำไม้พลอง").expect("ไปกี่คนคะ")
    chat(SOMCHAI, group_id=GROUP).refresh().say("ยกเลิก").expect_quiet()
    assert in_group(db, SOMSRI)[1] == "party"
    somsri.tap("ยกเลิก").expect("ออกจากการสมัครแล้วค่ะ")  # the chip sends "ยกเลิก" as her text
    assert in_group(db, SOMSRI)[0] is None


# --- 3. the check-in code is sent one-to-one --------------------------------------------------------

def test_signing_up_in_a_group_confirms_there_and_sends_the_code_one_to_one(chat, harness, db, rum):
    """The code (and QR) was shown to the whole group."""
    own = chat(SOMSRI, name="สมศรี").say("สวัสดีค่ะ")  # she has the bot as a friend: a one-to-one chat
    in_group = chat(SOMSRI, group_id=GROUP)
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").tap("2 คน").tap("ยืนยันสมัคร")
    code = signup_of(db, SOMSRI).checkin_code
    in_group.expect("ลงทะเบียนให้คุณสมศรีสำเร็จค่ะ 🎉", "“รำไม้พลอง”", "จำนวน 2 คน",
                    "ส่งรหัสเช็คอินไปที่แชตส่วนตัวกับ “ร่วมกัน” แล้วนะคะ").expect_not(code)
    assert not any(m["type"] == "image" for m in in_group.last)
    harness.run_outbox()
    own.refresh().expect("ลงทะเบียนสำเร็จค่ะ", "“รำไม้พลอง”", f"รหัสเช็คอิน: {code}")
    in_group.refresh().expect_quiet()  # nothing more in the group
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").expect("คุณสมศรีสมัคร “รำไม้พลอง” ไว้แล้วค่ะ (2 คน)",
                                                  "รหัสเช็คอินดูได้ในแชตส่วนตัว").expect_not(code)


def test_someone_met_only_in_the_group_is_asked_to_open_a_one_to_one_chat(chat, harness, db, rum):
    in_group = chat(SOMCHAI, name="สมชาย", group_id=GROUP)
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").tap("1 คน").tap("ยืนยันสมัคร")
    code = signup_of(db, SOMCHAI).checkin_code
    in_group.expect("ลงทะเบียนให้คุณสมชายสำเร็จค่ะ", "เพิ่ม “ร่วมกัน” เป็นเพื่อน",
                    "พิมพ์ “รหัสเช็คอินของฉัน” ในแชตส่วนตัว").expect_not(code, "ส่งรหัสเช็คอินไปที่แชตส่วนตัว")
    harness.run_outbox()
    assert not harness.messages_to(SOMCHAI)  # no push to someone the bot cannot reach
    chat(SOMCHAI).say("รหัสเช็คอินของฉัน").expect(code)


def test_arriving_said_in_a_group_shows_no_code_there(chat, harness, db):
    """"เช็คอินค่ะ มาถึงแล้ว" on the day showed the code and its QR to the group."""
    at = datetime.combine(now_utc().astimezone(BKK).date() + timedelta(days=1), time(9), tzinfo=BKK)
    harness.set_clock(at)
    with db.session() as s:
        s.add(Activity(title="รำไม้พลอง", description="รำไม้พลอง", place="ลานวัด", starts_at=at + timedelta(hours=1),
                       ends_at=at + timedelta(hours=2), capacity=10, status="published"))
    chat(SOMSRI).say("สวัสดีค่ะ")
    in_group = chat(SOMSRI, group_id=GROUP)
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").tap("1 คน").tap("ยืนยันสมัคร")
    code = signup_of(db, SOMSRI).checkin_code
    in_group.say("@ร่วมกัน เช็คอินค่ะ มาถึงแล้ว").expect("ข้อมูลส่วนตัว").expect_not(code)
    chat(SOMSRI).say("เช็คอินค่ะ มาถึงแล้ว").expect(code)  # one-to-one: shown


def test_changing_how_many_go_in_a_group_does_not_show_the_code(chat, db, rum):
    chat(SOMSRI).say("สวัสดีค่ะ")
    in_group = chat(SOMSRI, group_id=GROUP)
    in_group.say("@ร่วมกัน สมัครรำไม้พลอง").tap("1 คน").tap("ยืนยันสมัคร")
    code = signup_of(db, SOMSRI).checkin_code
    in_group.say("@ร่วมกัน ขอเปลี่ยนเป็น 3 คน")
    in_group.tap("ใช่")
    in_group.expect("จาก 1 เป็น 3 คนแล้วค่ะ", "รหัสเช็คอินเดิม ใช้ได้ทุกคนในกลุ่มนะคะ").expect_not(code)


# --- a question only a typed answer meets ----------------------------------------------------------

def test_a_question_to_type_in_a_group_says_the_answer_needs_the_bots_name(chat, db):
    """Asked "โครงการชื่ออะไรคะ" in a group, Somsri typed the name alone and the bot, reading only what names it,
    said nothing: nothing told her "@ร่วมกัน" was needed. Questions with buttons to tap, and one-to-one chats,
    need no such note."""
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP)
    somsri.say("@ร่วมกัน เสนอโครงการ").expect("ชื่ออะไร", "(ตอบโดยพิมพ์ @ร่วมกัน ตามด้วยคำตอบนะคะ)")
    somsri.say("ลานกีฬาเด็ก").expect_quiet()  # without the name: not taken, as the note says
    somsri.say("@ร่วมกัน ลานกีฬาเด็ก").expect("ประเด็น").expect_not("@ร่วมกัน")  # chips: tapped without the name
    alone = chat("U" + "c" * 32, name="สมหญิง")
    alone.say("เสนอโครงการ").expect("ชื่ออะไร").expect_not("@ร่วมกัน")
    alone.say("ลานกีฬาเด็ก").tap("ข้าม").expect_not("@ร่วมกัน")


def test_the_comment_asked_after_a_stance_in_a_group_says_it_needs_the_bots_name(chat, harness, tmp_path):
    """After "ไม่เห็นด้วย" in a group the bot asked for the reason, chips "เปลี่ยนคำตอบ" and "ข้าม" beside it, and
    a reason typed alone went unread. The stance itself, a tap, needs no such note."""
    with harness.db.session() as s:
        published_with_round(s, tmp_path, now_utc())
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP)
    somsri.say("@ร่วมกัน ข้อ 3").expect_not("@ร่วมกัน ตามด้วย")
    somsri.tap("ไม่เห็นด้วย").expect("ข้าม", "(ตอบโดยพิมพ์ @ร่วมกัน ตามด้วยคำตอบนะคะ)")
    somsri.say("@ร่วมกัน อยากให้เพิ่มลานออกกำลังกายค่ะ").expect_not("ตามด้วยคำตอบ")


def test_a_picture_asked_for_in_a_group_is_the_answer_but_not_another_members(chat, harness, db):
    """Somsri at an idea's photo step sent her picture in the group: it was ignored (a picture cannot carry
    “@ร่วมกัน”), so "ข้าม" was all she could do."""
    asked_at = now_utc() + timedelta(hours=1)
    harness.set_clock(asked_at)
    home = "ชุมชนโชคชัย 4"
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP, community=home)
    somchai = chat(SOMCHAI, name="สมชาย", group_id=GROUP, community=home)
    somsri.say("@ร่วมกัน เสนอโครงการ").say("@ร่วมกัน ลานออกกำลังกายผู้สูงอายุ").tap("ออกกำลังกาย").tap(home)
    somsri.tap("ผู้สูงอายุ").say("@ร่วมกัน ผู้สูงอายุไม่มีที่ออกกำลังกาย").say("@ร่วมกัน ทำลานและจัดแอโรบิก")
    somsri.say("@ร่วมกัน 30").say("@ร่วมกัน 5000").tap("กองทุนสุขภาพ กทม.").expect("มีรูปสถานที่หรือปัญหาไหมคะ")
    harness.set_clock(asked_at + timedelta(minutes=3))
    somchai.refresh().send("image", messageId="his-photo").expect_quiet()  # no question of his asks for one
    assert in_group(db, SOMSRI)[1] == "photo"
    somsri.send("image", messageId="her-photo").expect("เบอร์โทร")
    assert in_group(db, SOMSRI)[1] == "phone" and in_group(db, SOMSRI)[2].get("photo") == "her-photo"


def test_a_picture_long_after_the_photo_was_asked_for_is_left_alone(chat, harness, db):
    asked_at = now_utc() + timedelta(hours=1)
    harness.set_clock(asked_at)
    home = "ชุมชนโชคชัย 4"
    somsri = chat(SOMSRI, name="สมศรี", group_id=GROUP, community=home)
    somsri.say("@ร่วมกัน เสนอโครงการ").say("@ร่วมกัน ลานออกกำลังกายผู้สูงอายุ").tap("ออกกำลังกาย").tap(home)
    somsri.tap("ผู้สูงอายุ").say("@ร่วมกัน ผู้สูงอายุไม่มีที่ออกกำลังกาย").say("@ร่วมกัน ทำลานและจัดแอโรบิก")
    somsri.say("@ร่วมกัน 30").say("@ร่วมกัน 5000").tap("กองทุนสุขภาพ กทม.").expect("มีรูปสถานที่หรือปัญหาไหมคะ")
    harness.set_clock(asked_at + timedelta(minutes=11))
    somsri.send("image", messageId="late-photo").expect_quiet()
    assert in_group(db, SOMSRI)[1] == "photo"
