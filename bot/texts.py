"""Shared Thai sentences the bot says (area-specific ones live beside their handlers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot import replies
from bot.config import IDEA_PHOTO_KEEP_DAYS
from bot.services.log_retention import Retention

if TYPE_CHECKING:
    from bot.config import Settings

BOT_NAME = "ร่วมกัน"
CONTACT_STAFF_SAID = "ติดต่อเจ้าหน้าที่"
"""What the chips offering a person send."""

WELCOME = (
    "สวัสดีค่ะ ยินดีต้อนรับสู่ “ร่วมกัน” 🌿\n"
    "ผู้ช่วยงานสุขภาพชุมชนของเขตลาดพร้าวค่ะ ที่นี่คุณอ่านและให้ความเห็นธรรมนูญสุขภาพ "
    "สมัครกิจกรรม และเสนอโครงการเพื่อชุมชนได้ในแชตเดียว"
)
PRIVACY_SHORT = (
    "ก่อนเริ่ม ขอความยินยอมเรื่องข้อมูลส่วนบุคคลนะคะ (PDPA)\n"
    "• เราเก็บ: ชื่อที่แสดงใน LINE ชุมชนของคุณ ความเห็น การสมัครกิจกรรม และโครงการที่คุณเสนอ\n"
    "• เพื่อ: จัดกิจกรรม สรุปความเห็นให้เขต และแจ้งข่าวที่เกี่ยวกับคุณ\n"
    "• ลบได้เสมอ: พิมพ์ “ลบข้อมูลของฉัน” เมื่อไรก็ได้ค่ะ"
)


def logs_kept(settings: Settings | None = None) -> str:
    """How long the messages a person sent and the bot sent them are kept, in one sentence (the settings')."""
    keep = Retention.of(settings)
    if keep.inbox_days == keep.outbox_days:
        return f"ข้อความที่คุณส่งมาและที่เราส่งถึงคุณเก็บไว้ {keep.inbox_days} วันแล้วลบค่ะ"
    return (f"ข้อความที่คุณส่งมาเก็บไว้ {keep.inbox_days} วัน ข้อความที่เราส่งถึงคุณเก็บไว้ {keep.outbox_days} วัน "
            "แล้วลบค่ะ")


def privacy_full(settings: Settings | None = None) -> str:
    """The whole privacy notice; how long a closed idea's picture and the messages are kept are the settings' (PDPA)."""
    days = settings.idea_photo_keep_days if settings is not None else IDEA_PHOTO_KEEP_DAYS
    return (
        "นโยบายข้อมูลส่วนบุคคลของ “ร่วมกัน” ค่ะ\n\n"
        "ข้อมูลที่เก็บ: รหัสผู้ใช้ LINE ชื่อที่แสดง ชุมชนที่เลือก ความเห็นต่อธรรมนูญสุขภาพ การสมัครกิจกรรม "
        "โครงการที่เสนอและรูปที่แนบ ข้อความที่คุณส่งถึงเจ้าหน้าที่ และเบอร์โทรกับชื่อผู้ติดต่อที่คุณให้ไว้เอง\n"
        "ใช้เพื่อ: จัดกิจกรรมและแจ้งเตือน สรุปความเห็นให้สำนักงานเขตและคณะทำงานธรรมนูญ (รายงานเป็นภาพรวม) "
        "และติดตามโครงการที่คุณเสนอ\n"
        f"ระยะเวลาเก็บ: รูปที่แนบกับโครงการจะลบเมื่อโครงการปิดครบ {days} วัน (เสร็จสิ้น ไม่ผ่านการพิจารณา "
        f"หรือถอนแล้ว) เหลือเพียงบันทึกว่าเคยมีรูปค่ะ {logs_kept(settings)}\n"
        "ผู้เข้าถึง: เจ้าหน้าที่เขตและแกนนำชุมชนที่ได้รับสิทธิ์เท่านั้น ไม่ขายหรือส่งต่อให้ผู้อื่น\n"
        "สิทธิ์ของคุณ: ขอดู แก้ไข ถอนความยินยอม หรือ “ลบข้อมูลของฉัน” ได้ทุกเมื่อ "
        "และพิมพ์ “ปิดการแจ้งเตือน” เพื่อหยุดรับข่าวประชาสัมพันธ์ค่ะ"
    )


PRIVACY_FULL = privacy_full()
"""With the default keeping time (the handlers use ``privacy_full(ctx.settings)``)."""


def consent_prompt(yes_data: str, no_data: str, more_data: str) -> dict[str, Any]:
    return replies.text(PRIVACY_SHORT, quick=[
        replies.quick_postback("ยินยอม", yes_data, "ยินยอม"),
        replies.quick_postback("ไม่ยินยอม", no_data, "ไม่ยินยอม"),
        replies.quick_postback("อ่านรายละเอียด", more_data, "ขออ่านรายละเอียด"),
    ])


MENU_ITEMS = (
    ("📜 ธรรมนูญสุขภาพ", "ธรรมนูญสุขภาพ"),
    ("🏃 กิจกรรม", "กิจกรรม"),
    ("💡 เสนอโครงการ", "เสนอโครงการ"),
    ("📋 โครงการของฉัน", "โครงการของฉัน"),
    ("✅ ที่ฉันสมัครไว้", "ที่ฉันสมัครไว้"),
    ("❓ วิธีใช้", "วิธีใช้"),
)
LEADER_MENU_ITEMS = (
    ("🏘 โครงการในชุมชน", "โครงการในชุมชน"),
    ("📣 ขอให้ช่วยประกาศ", "ขอให้ช่วยประกาศถึงลูกบ้าน"),
)
STAFF_MENU_ITEMS = (
    ("📊 ผลความเห็น", "ผลธรรมนูญ"),
    ("🗂 โครงการรอตรวจ", "โครงการรอตรวจ"),
    ("🚧 โครงการที่อนุมัติ", "โครงการที่อนุมัติแล้ว"),
    ("📣 ประกาศ", "ประกาศ"),
    ("💬 ข้อความรอตอบ", "ข้อความรอตอบ"),
)


def menu_quick(role: str | None = None) -> list[dict[str, Any]]:
    items = [replies.quick_message(label, text) for label, text in MENU_ITEMS]
    if role == "leader":
        items += [replies.quick_message(label, text) for label, text in LEADER_MENU_ITEMS]
    if role in ("staff", "admin"):
        items += [replies.quick_message(label, text) for label, text in STAFF_MENU_ITEMS]
    return items


def menu(role: str | None = None, lead: str = "เลือกเมนูได้เลยค่ะ หรือพิมพ์สิ่งที่ต้องการได้เลยนะคะ") -> dict[str, Any]:
    return replies.text(lead, quick=menu_quick(role))


def help_text(role: str | None = None) -> dict[str, Any]:
    lines = [
        "“ร่วมกัน” ช่วยอะไรได้บ้างคะ",
        "• อ่านธรรมนูญสุขภาพ แล้วบอกว่าเห็นด้วยหรือไม่ในแต่ละข้อ",
        "• ดูและสมัครกิจกรรม (พิมพ์ เช่น “เสาร์นี้มีกิจกรรมอะไร”)",
        "• เสนอโครงการเพื่อชุมชน และติดตามสถานะ",
        "• ย้ายบ้านหรือเลือกชุมชนผิด พิมพ์ “เปลี่ยนชุมชน” ได้เลย",
        *([] if role in ("staff", "admin") else ["• อยากคุยกับเจ้าหน้าที่ พิมพ์ “ติดต่อเจ้าหน้าที่”"]),
        "ทุกขั้นตอนพิมพ์ “ย้อนกลับ” “ยกเลิก” หรือ “เมนู” ได้เสมอค่ะ",
        "🚑 เจ็บป่วยฉุกเฉิน โทร 1669 ได้ตลอด 24 ชั่วโมงนะคะ",
    ]
    if role == "leader":
        lines.append("แกนนำชุมชน: “โครงการในชุมชน” ดูและรับรองโครงการที่ลูกบ้านเสนอ "
                     "และ “ขอให้ช่วยประกาศ” ส่งเรื่องที่อยากแจ้งลูกบ้านให้เจ้าหน้าที่ประกาศ")
    if role in ("staff", "admin"):
        lines.append("เจ้าหน้าที่: “ผลธรรมนูญ” “ผลธรรมนูญ ข้อ 3” “เปิดรอบรับฟังความคิดเห็น” “โครงการรอตรวจ” “อนุมัติโครงการ 12” “โครงการที่อนุมัติแล้ว” “สรุปโครงการ” “โครงการ เลขที่” “ประกาศ” "
                     "“ข้อความรอตอบ” “คำสั่งกิจกรรม” “เช็คอิน รหัส”")
    return replies.text("\n".join(lines), quick=menu_quick(role))


ASK_STAFF_ACTION = "contact.ask"
UNANSWERED = "unanswered"
"""What a resident asked that the bot could not answer (kept a while): the "ถามเจ้าหน้าที่" chip sends it on."""


def ask_staff_chip(carried: bool) -> dict[str, Any]:
    """"ถามเจ้าหน้าที่": with what was just asked ready to send (`carried`), or the journey to write it."""
    if carried:
        from bot import postback

        return replies.quick_postback("💬 ถามเจ้าหน้าที่", postback.encode(ASK_STAFF_ACTION), "ถามเจ้าหน้าที่")
    return replies.quick_message("💬 ถามเจ้าหน้าที่", CONTACT_STAFF_SAID)


def not_sure(role: str | None = None, carried: bool = False) -> dict[str, Any]:
    """Not understood: the menu, and a person to ask (residents only; staff are the people asked); with
    `carried`, the chip sends on what was asked (kept by the caller)."""
    quick = menu_quick(role)
    if role in ("staff", "admin"):
        return replies.text("ขอโทษค่ะ ยังไม่แน่ใจว่าต้องการอะไร ลองเลือกจากเมนูด้านล่าง หรือพิมพ์ “คำสั่ง” "
                            "เพื่อดูคำสั่งทั้งหมดได้นะคะ", quick=quick)
    quick.append(ask_staff_chip(carried))
    if carried:
        return replies.text("ขอโทษค่ะ เรื่องนี้ “ร่วมกัน” ยังตอบไม่ได้ แตะ “ถามเจ้าหน้าที่” "
                            "เพื่อส่งคำถามนี้ถึงเจ้าหน้าที่ได้เลย ไม่ต้องพิมพ์ใหม่ค่ะ", quick=quick)
    return replies.text("ขอโทษค่ะ ยังไม่แน่ใจว่าต้องการอะไร ลองเลือกจากเมนูด้านล่าง หรือถามเจ้าหน้าที่ได้นะคะ",
                        quick=quick)


def old_button(role: str | None = None) -> dict[str, Any]:
    """A button from an earlier step: nothing changed, and the menu of the person's role to go on from."""
    return replies.text("ปุ่มนี้ใช้ไม่ได้แล้วค่ะ (เป็นปุ่มจากขั้นตอนก่อนหน้า) ไม่มีอะไรเปลี่ยนแปลงนะคะ",
                        quick=menu_quick(role))


def consent_needed() -> dict[str, Any]:
    return replies.text(
        "ส่วนนี้ต้องได้รับความยินยอมเรื่องข้อมูลก่อนค่ะ คุณยังอ่านธรรมนูญและดูกิจกรรมได้ตามปกติ "
        "ถ้าต้องการให้ความยินยอม แตะหรือพิมพ์ “ยินยอม” ได้เลยนะคะ",
        quick=[replies.quick_message("ยินยอม"), replies.quick_message("อ่านนโยบาย", "นโยบายข้อมูล")],
    )


def cancelled(flow_title: str | None, changed_nothing: bool = False) -> str:
    """After "ยกเลิก" typed mid-journey; for a yes/no question (``changed_nothing``) that nothing changed."""
    if changed_nothing or not flow_title:
        return "ได้ค่ะ ไม่ทำรายการนี้ต่อแล้ว ทุกอย่างยังเหมือนเดิมนะคะ"
    return f"ยกเลิก{flow_title}แล้วค่ะ ไม่มีข้อมูลใดถูกส่งนะคะ"


def expired(flow_title: str | None) -> str:
    return f"ขั้นตอน{flow_title or ''}หมดเวลาแล้วค่ะ (เงียบไปเกิน 30 นาที) เริ่มใหม่ได้เสมอนะคะ"


def only_text_please() -> dict[str, Any]:
    return replies.text("ตอนนี้รับเป็นข้อความพิมพ์นะคะ ลองพิมพ์อีกครั้งได้เลยค่ะ")


def empty_text() -> dict[str, Any]:
    return replies.text("ไม่เห็นข้อความเลยค่ะ ลองพิมพ์ใหม่อีกครั้งนะคะ")


ONE_TO_ONE = "เรื่องนี้เป็นข้อมูลส่วนตัวค่ะ 🔒 ขอแสดงเฉพาะในแชตส่วนตัวกับ “ร่วมกัน” นะคะ"
ONE_TO_ONE_ASK = "ทักแชต “ร่วมกัน” แล้วพิมพ์ “{said}” ได้เลยค่ะ"
ONE_TO_ONE_QUOTED = 40
"""What was typed is quoted back, to type again in the one-to-one chat, up to this long."""


def one_to_one(said: str | None = None) -> dict[str, Any]:
    """In a group or room: what is kept about a person is shown in their one-to-one chat with the bot only."""
    said = " ".join((said or "").split())
    ask = ONE_TO_ONE_ASK.format(said=said) if 0 < len(said) <= ONE_TO_ONE_QUOTED else "ทักแชต “ร่วมกัน” ได้เลยค่ะ"
    return replies.text(f"{ONE_TO_ONE} {ask}")


def person(display_name: str | None) -> str | None:
    """How the bot names someone in a group: "คุณสมศรี" (None when their name is not known)."""
    name = " ".join((display_name or "").split())
    if not name:
        return None
    return name if name.startswith("คุณ") else f"คุณ{name}"


def server_trouble() -> dict[str, Any]:
    return replies.text("ขออภัยค่ะ ระบบขัดข้องชั่วคราว ข้อมูลของคุณไม่หายนะคะ ลองใหม่อีกครั้งในอีกสักครู่ค่ะ")


def emergency(kind: str, staff_chip: bool = True, resume_chip: bool = False) -> dict[str, Any]:
    """An emergency told in chat: the number to call now, first and short; then a person, if they want one."""
    from nlp.emergency import SELF_HARM

    if kind == SELF_HARM:
        lines = ["💙 ขอบคุณที่บอกนะคะ คุณไม่ได้อยู่คนเดียวค่ะ",
                 "โทร 1323 (สายด่วนสุขภาพจิต) คุยได้ตลอด 24 ชั่วโมง โทรฟรีค่ะ",
                 "ถ้ามีใครกำลังทำร้ายตัวเองหรืออยู่ในอันตรายตอนนี้ โทร 1669 ทันทีนะคะ"]
    else:
        lines = ["🚑 โทร 1669 (สายด่วนการแพทย์ฉุกเฉิน) ตอนนี้เลยค่ะ โทรฟรี ตลอด 24 ชั่วโมง",
                 "บอกอาการและที่อยู่ให้ชัด แล้วอยู่กับผู้ป่วยไว้นะคะ"]
    quick: list[dict[str, Any]] = []
    if staff_chip:
        lines.append("“ร่วมกัน” เป็นแชตอัตโนมัติ ถ้าอยากให้เจ้าหน้าที่เขตติดต่อกลับ แตะ “ติดต่อเจ้าหน้าที่” ได้ค่ะ")
        quick.append(replies.quick_message("💬 ติดต่อเจ้าหน้าที่", CONTACT_STAFF_SAID))
    if resume_chip:
        from bot.services import outbox

        quick.append(replies.quick_postback(outbox.RESUME_LABEL, outbox.RESUME_ACTION, outbox.RESUME_LABEL))
    return replies.text("\n".join(lines), quick=quick or None)
