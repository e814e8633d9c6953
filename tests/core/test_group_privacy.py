"""What is kept about a person is shown in their one-to-one chat with the bot, never to a whole group."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services import activities, ideas
from bot.thaidate import now_utc
from storage.models import User
from tests.activities.factories import make_activity
from tests.charter.helpers import published_with_round

ONE_TO_ONE = "เรื่องนี้เป็นข้อมูลส่วนตัวค่ะ 🔒 ขอแสดงเฉพาะในแชตส่วนตัวกับ “ร่วมกัน” นะคะ"
GROUP = "C" + "a" * 32


@pytest.fixture
def kept(chat, harness, tmp_path):
    """Ukept answered clause 3, signed up for an activity and proposed an idea (in their one-to-one chat)."""
    now = now_utc()
    chat("Ukept", community="ชุมชนนาคนิวาส")
    with harness.db.session() as s:
        published_with_round(s, tmp_path, now)
        user = s.scalar(select(User).where(User.line_user_id == "Ukept"))
        row = activities.signup(s, user, make_activity(s, now, title="โยคะยามเช้า").id, 2, now=now)
        ideas.submit(s, user, now=now, title="ลานออกกำลังกายริมคลอง", problem="ไม่มีที่ออกกำลังกาย",
                     plan="ทำลานหน้าศาลา")
        code = row.checkin_code
    chat("Ukept").say("ข้อ 3").tap("ไม่เห็นด้วย").say("ร้านค้าแถวบ้านจะขายไม่ได้").expect("บันทึกความเห็น")
    return code


@pytest.mark.parametrize(("said", "secret"), [
    ("ดูความเห็นของฉัน", "ร้านค้าแถวบ้านจะขายไม่ได้"),
    ("ความเห็นของฉันข้อ 3", "ไม่เห็นด้วย"),
    ("ขอดูข้อมูลของฉัน", "ชุมชนนาคนิวาส"),
    ("ที่ฉันสมัครไว้", "โยคะยามเช้า"),
    ("รหัสเช็คอินของฉัน", "โยคะยามเช้า"),
    ("โครงการของฉัน", "ลานออกกำลังกายริมคลอง"),
])
def test_own_answers_asked_in_a_group_are_shown_only_one_to_one(chat, kept, said, secret):
    """"ดูความเห็นของฉัน" in a LINE group showed the person's stances and comments to everyone there."""
    in_group = chat("Ukept", group_id=GROUP)
    in_group.say(said).expect(ONE_TO_ONE, f"ทักแชต “ร่วมกัน” แล้วพิมพ์ “{said}” ได้เลยค่ะ")
    in_group.expect_not(secret, kept, "ข้อ 3:")
    assert not in_group.quick_labels()
    chat("Ukept").say(said).expect(secret).expect_not(ONE_TO_ONE)


def test_the_bots_name_in_front_is_not_quoted_back_and_the_rest_is_answered(chat, kept):
    in_group = chat("Ukept", group_id=GROUP)
    in_group.say("@ร่วมกัน ดูความเห็นของฉัน").expect("แล้วพิมพ์ “ดูความเห็นของฉัน” ได้เลยค่ะ").expect_not("ร้านค้าแถวบ้าน")
    in_group.say("@ร่วมกัน วิธีใช้").expect("ช่วยอะไรได้บ้าง").expect_not(ONE_TO_ONE)


def test_deleting_ones_data_is_not_asked_in_a_group(chat, harness, kept):
    in_group = chat("Ukept", group_id=GROUP)
    in_group.say("ลบข้อมูลของฉัน").expect(ONE_TO_ONE).expect_not("ยืนยันไหมคะ")
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(User.display_name).where(User.line_user_id == "Ukept"))


def test_staff_lists_of_names_stay_out_of_groups(chat, harness, kept):
    with harness.db.session(readonly=True) as s:
        from storage.models import Activity

        activity_id = s.scalar(select(Activity.id).where(Activity.title == "โยคะยามเช้า"))
    chat("Ustaffer", role="staff")
    staff_in_group = chat("Ustaffer", group_id=GROUP)
    staff_in_group.say(f"รายชื่อผู้สมัคร {activity_id}").expect(ONE_TO_ONE).expect_not(kept, "ผู้ใช้ kept")
    chat("Ustaffer").say(f"รายชื่อผู้สมัคร {activity_id}").expect(kept)
    staff_in_group.say("ข้อความรอตอบ").expect(ONE_TO_ONE)
