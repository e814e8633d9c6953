"""A project told in one message, as leaders type it: what the walk-through found misread, through the chat."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Community, Idea

HOME = "ชุมชนโชคชัย 4"


def _communities(harness, names) -> None:
    with harness.db.session() as s:
        for i, name in enumerate(names):
            if s.scalar(select(Community).where(Community.name == name)) is None:
                s.add(Community(code=f"M{i:03d}", name=name))


def _ideas(harness) -> list[tuple[str, str | None, str | None, str | None, int | None, str | None, str | None]]:
    """(title, community, problem, plan, budget, fund, phone) of every idea sent, oldest first."""
    with harness.db.session(readonly=True) as s:
        return [(i.title, s.get(Community, i.community_id).name if i.community_id else None, i.problem, i.plan,
                 i.budget, i.funding_source, i.contact_phone) for i in s.scalars(select(Idea).order_by(Idea.id))]


def test_the_community_said_with_ti_or_nai_is_the_community_and_not_the_plan(chat, harness):
    """Walk-through: "ที่ลาดพร้าว101" was not read as the community, and went into the plan ("ที่ลาดพร้าว101 ปลูกผักกินเอง")."""
    _communities(harness, ("ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 101", "ชุมชนพลับพลา"))
    said = ("ที่ลาดพร้าว101", "ที่ชุมชนลาดพร้าว 101", "ในชุมชนพลับพลา")
    for n, place in enumerate(said):
        c = chat(f"U{n:032d}", community=HOME)
        c.say(f"อยากทำโครงการสวนผักคนเมือง {place} ปลูกผักกินเองค่ะ งบ 5,000 บาท")
        c.expect("เก็บรายละเอียดจากข้อความไว้แล้ว (ชื่อโครงการ ชุมชน สิ่งที่จะทำ งบประมาณ)")
        c.tap("ข้าม").expect("เพื่อใคร").expect_not("ชุมชนไหน")  # the community was told
        c.tap("ข้าม").say("ผักแพง").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม").expect("สรุปโครงการ", "ปลูกผักกินเอง")
        c.expect_not(place)
        c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    assert [(title, community, plan) for title, community, _p, plan, *_ in _ideas(harness)] == [
        ("สวนผักคนเมือง", "ชุมชนลาดพร้าว 101", "ปลูกผักกินเอง"), ("สวนผักคนเมือง", "ชุมชนลาดพร้าว 101", "ปลูกผักกินเอง"),
        ("สวนผักคนเมือง", "ชุมชนพลับพลา", "ปลูกผักกินเอง")]


def test_a_phone_said_with_its_label_is_the_phone_and_a_wrong_one_is_asked_again(chat, harness):
    """Walk-through: "ติดต่อป้าแดง 081-…" left "ติดต่อป้าแดง" in the plan, and "เบอร์ 08123456" (too short) was silently
    left in the text: the whole message became the project's name, nothing else read."""
    c = chat("U" + "1" * 32, community=HOME)
    c.say("อยากทำโครงการลานกีฬาเด็ก จะทำลานกีฬาให้เด็กหลังเลิกเรียน ติดต่อป้าแดง 081-555-1234 ค่ะ")
    c.expect("(ชื่อโครงการ สิ่งที่จะทำ เบอร์ติดต่อ ชื่อผู้ติดต่อ)")
    c.tap("ข้าม").tap(HOME).tap("ข้าม").say("เด็กติดเกม").tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม")
    c.expect("สรุปโครงการ", "081-555-1234", "จะทำลานกีฬาให้เด็กหลังเลิกเรียน", "ป้าแดง")  # the contact's name
    c.expect_not("ติดต่อป้าแดง", "ขอเบอร์โทร")
    c.tap("ส่งโครงการ")
    w = chat("U" + "2" * 32, community=HOME)
    w.say("อยากทำโครงการห้องสมุดเด็ก จะทำมุมหนังสือให้เด็กอ่านหลังเลิกเรียน เบอร์ 08123456")
    w.expect("(ชื่อโครงการ สิ่งที่จะทำ)", "เบอร์ “08123456” ดูไม่ครบหรือไม่ถูกต้องค่ะ จะขอเบอร์อีกครั้งตอนท้ายนะคะ")
    w.tap("ข้าม").tap(HOME).tap("ข้าม").say("เด็กไม่มีที่อ่านหนังสือ").tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ")
    w.tap("ข้าม").expect("เบอร์ “08123456” ที่ให้ไว้ดูไม่ครบหรือไม่ถูกต้องค่ะ ขอเบอร์มือถือ 10 หลัก")
    w.say("081234567").expect("เบอร์นี้ดูไม่ถูกต้องค่ะ", "ขอเบอร์โทร").expect_not("“08123456”")  # as the step always does
    w.say("เบอร์ 0812345678 ค่ะ").expect("สรุปโครงการ", "081-234-5678", "จะทำมุมหนังสือให้เด็กอ่านหลังเลิกเรียน")
    w.expect_not("08123456 ")
    w.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    assert [(title, plan, phone) for title, _c, _p, plan, _b, _f, phone in _ideas(harness)] == [
        ("ลานกีฬาเด็ก", "จะทำลานกีฬาให้เด็กหลังเลิกเรียน", "081-555-1234"),
        ("ห้องสมุดเด็ก", "จะทำมุมหนังสือให้เด็กอ่านหลังเลิกเรียน", "081-234-5678")]


def test_fields_told_in_any_order_land_in_their_places(chat, harness):
    """Walk-through: "งบ 5,000 บาท" before the request made the bot ask the project's name, the message lost."""
    c = chat(community=HOME)
    c.say("งบ 5,000 บาท ค่ะ อยากทำโครงการลานกีฬาเด็ก ปัญหาคือเด็กติดเกม อยากขอทุนจาก สสส. "
          "จะทำลานกีฬาหลังเลิกเรียน กลุ่มเป้าหมาย เด็กในซอย")
    c.expect("(ชื่อโครงการ กลุ่มเป้าหมาย ปัญหาที่พบ สิ่งที่จะทำ งบประมาณ แหล่งทุน)").expect_not("ชื่ออะไรคะ")
    c.tap("ข้าม").tap(HOME).expect("ผู้เข้าร่วมประมาณกี่คน")  # target group, problem and plan were told
    c.tap("ข้าม").expect("รูป").tap("ข้าม").tap("ข้าม")
    c.expect("สรุปโครงการ", "ลานกีฬาเด็ก", "5,000 บาท", "สสส.", "เด็กและเยาวชน", "เด็กติดเกม", "จะทำลานกีฬาหลังเลิกเรียน")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    assert _ideas(harness) == [("ลานกีฬาเด็ก", HOME, "เด็กติดเกม", "จะทำลานกีฬาหลังเลิกเรียน", 5000, "thaihealth", None)]


def test_no_name_yet_is_not_taken_as_the_name(chat, harness):
    """Walk-through: "ยังไม่ได้ตั้งชื่อ" became the project's name."""
    c = chat("U" + "1" * 32, community=HOME)
    c.say("อยากทำโครงการค่ะ ยังไม่ได้ตั้งชื่อ จะชวนผู้สูงอายุรำไม้พลองทุกเช้า งบ 3000 บาท")
    c.expect("ยังไม่มีชื่อไม่เป็นไรค่ะ", "เช่น “ชวนผู้สูงอายุรำไม้พลองทุกเช้า” แตะปุ่มได้เลย")
    assert c.quick_labels()[0] == "ชวนผู้สูงอายุรำไม้พ…"
    c.tap("ชวนผู้สูงอายุรำไม้พ…").expect("ประเด็น")
    c.tap("ข้าม").tap(HOME).tap("ผู้สูงอายุ").say("ปวดเข่า").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม")
    c.expect("สรุปโครงการ: ชวนผู้สูงอายุรำไม้พลองทุกเช้า", "3,000 บาท").expect_not("ตั้งชื่อ")
    # Said where the name is asked, or alone with the request: asked for a name, with examples.
    n = chat("U" + "2" * 32, community=HOME)
    n.say("เสนอโครงการ").say("ยังไม่มีชื่อค่ะ").expect("ยังไม่มีชื่อไม่เป็นไรค่ะ", "“สวนผักคนเมือง”").expect_not("ประเด็น")
    n.say("ไม่รู้จะตั้งชื่ออะไร").expect("ยังไม่มีชื่อไม่เป็นไรค่ะ")
    n.say("ลานรำไม้พลอง").expect("ประเด็น")
    m = chat("U" + "3" * 32, community=HOME)
    m.say("อยากทำโครงการ ยังไม่ได้ตั้งชื่อค่ะ").expect("ยังไม่มีชื่อไม่เป็นไรค่ะ").expect_not("ประเด็น")
    m.say("เมนู").expect_not("“ยังไม่ได้ตั้งชื่อ”")  # not kept as the draft's name either


def test_a_name_several_communities_share_is_asked_which_and_kept_out_of_the_plan(chat, harness):
    """"ที่ลาดพร้าว" (eight communities hold the name) was left in the plan, and the community asked with the usual chips."""
    _communities(harness, ("ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 101"))
    c = chat(community=HOME)
    c.say("อยากทำโครงการสวนผักคนเมือง ที่ลาดพร้าว ปลูกผักกินเองค่ะ").expect("(ชื่อโครงการ สิ่งที่จะทำ)")
    c.tap("ข้าม").expect("ชุมชนไหน")
    assert c.quick_labels()[:2] == ["ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 101"]
    c.tap("ชุมชนลาดพร้าว 101").expect("เพื่อใคร")
    c.tap("ข้าม").say("ผักแพง").tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม")
    c.expect("สรุปโครงการ", "ชุมชนลาดพร้าว 101", "ปลูกผักกินเอง").expect_not("ที่ลาดพร้าว")


def test_a_community_not_on_the_list_is_said_back_where_the_community_is_asked(chat, harness):
    """"ในชุมชนพลับพลา" with no such community on the list was left in the plan, and the community asked as if not said."""
    c = chat(community=HOME)
    c.say("อยากทำโครงการสวนผักคนเมือง ในชุมชนพลับพลาค่ะ ปลูกผักกินเอง").expect("(ชื่อโครงการ สิ่งที่จะทำ)")
    c.tap("ข้าม").expect("ไม่พบ “ชุมชนพลับพลา” ในรายชื่อชุมชนของเขตค่ะ ทำที่ชุมชนไหนคะ")
    c.tap(HOME).expect("เพื่อใคร")
    c.tap("ข้าม").say("ผักแพง").tap("ข้าม").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม")
    c.expect("สรุปโครงการ", HOME, "ปลูกผักกินเอง").expect_not("พลับพลา")
    c.say("แก้ชุมชน").expect("ทำที่ชุมชนไหนคะ").expect_not("ไม่พบ")  # answered: asked as usual


def test_our_community_is_the_writers_own_and_a_group_before_its_count_is_the_target(chat, harness):
    """"ในชุมชนเรา" was left in the plan and the community asked again; "ผู้สูงอายุ 20 คน และเด็ก 10 คน" left
    "ผู้สูงอายุ" in the plan with the target group asked; "ผู้ป่วยติดเตียง 12 คน" was not read as คนพิการ."""
    c = chat("U" + "1" * 32, community=HOME)
    c.say("อยากทำโครงการรำวงย้อนยุค ในชุมชนเรา ชวนคนมารำวงทุกเย็นวันศุกร์ ผู้สูงอายุ 20 คน และเด็ก 10 คน")
    c.expect("(ชื่อโครงการ ชุมชน กลุ่มเป้าหมาย สิ่งที่จะทำ จำนวนผู้เข้าร่วม)")
    c.tap("ข้าม").expect("ปัญหา").expect_not("ชุมชนไหน", "เพื่อใคร")
    c.say("ผู้สูงอายุเหงา").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม")
    c.expect("สรุปโครงการ", HOME, "ผู้สูงอายุ", "30 คน", "ชวนคนมารำวงทุกเย็นวันศุกร์").expect_not("ในชุมชนเรา")
    c.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    w = chat("U" + "2" * 32, community=HOME)
    w.say("อยากทำโครงการเยี่ยมบ้าน ที่ชุมชนของเราค่ะ จะไปวัดความดันทุกสัปดาห์ ผู้ป่วยติดเตียง 12 คน")
    w.expect("(ชื่อโครงการ ชุมชน กลุ่มเป้าหมาย สิ่งที่จะทำ จำนวนผู้เข้าร่วม)")
    w.tap("ข้าม").say("ไม่มีคนดูแล").tap("ข้าม").tap("ไม่แน่ใจ").tap("ข้าม").tap("ข้าม")
    w.expect("สรุปโครงการ", HOME, "คนพิการ", "12 คน").expect_not("ที่ชุมชนของเรา")
    w.tap("ส่งโครงการ").expect("เรียบร้อยแล้วค่ะ")
    with harness.db.session(readonly=True) as s:
        assert [(i.target_group, i.participants, i.plan) for i in s.scalars(select(Idea).order_by(Idea.id))] == [
            ("elderly", 30, "ชวนคนมารำวงทุกเย็นวันศุกร์"), ("disabled", 12, "จะไปวัดความดันทุกสัปดาห์")]
    assert [community for _t, community, *_ in _ideas(harness)] == [HOME, HOME]
