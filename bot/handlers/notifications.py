"""Residents' side of what the bot sends unasked: mute/unmute announcements, answer a follow-up rating."""

from __future__ import annotations

from typing import Any

from bot import replies
from bot.context import Ctx
from bot.dispatcher import on_command, on_postback
from bot.flows import engine
from bot.flows.engine import Flow, Step, register_flow
from bot.services import reminders
from bot.services.outbox import MUTABLE_CATEGORIES

MUTED = ("ปิดการแจ้งเตือนข่าวประกาศแล้วค่ะ 🔕\n"
         "ยังได้รับการเตือนกิจกรรมที่คุณสมัครไว้ และเรื่องโครงการของคุณตามเดิมนะคะ "
         "(ไม่อยากให้เตือนก่อนกิจกรรม พิมพ์ “ปิดเตือนกิจกรรม”)\n"
         "เปิดอีกครั้งได้ทุกเมื่อ พิมพ์ “เปิดการแจ้งเตือน” ค่ะ")
ALREADY_MUTED = "ปิดการแจ้งเตือนข่าวประกาศไว้อยู่แล้วค่ะ การเตือนกิจกรรมที่คุณสมัครยังส่งตามเดิมนะคะ"
UNMUTED = "เปิดการแจ้งเตือนข่าวประกาศแล้วค่ะ 🔔 จะได้รับข่าวจากชุมชนตามเดิมนะคะ"
ALREADY_ON = "การแจ้งเตือนข่าวประกาศเปิดอยู่แล้วค่ะ"
ASK_COMMENT = "ขอบคุณสำหรับ {stars} ค่ะ 🙏\nอยากเล่าเพิ่มไหมคะ ชอบอะไร หรืออยากให้ปรับอะไร พิมพ์มาได้เลย หรือแตะ “ข้าม” ค่ะ"


def _muted(ctx: Ctx) -> list[str]:
    return list(ctx.user.muted_categories or []) if ctx.user else []


_FED_UP = r"(?:\s*(?:ส่งมา|มัน)?\s*(?:เยอะ|บ่อย|มาก|ถี่)\s*(?:เกิน(?:ไป)?|จัง|มาก)?|\s*รำคาญ(?:จัง|มาก)?|\s*(?:ค่ะ|คะ|ครับ|นะ|แล้ว))*"
"""What people add when turning something off: "ส่งมาเยอะเกิน", "รำคาญ"."""
MUTE_TYPED = (r"(?:ขอ)?(?:ปิด|หยุด|ยกเลิก|ไม่(?:ต้อง|อยาก)?(?:รับ|ได้)|ไม่เอา|(?:ไม่ต้อง|อย่า|เลิก)ส่ง)(?:การ)?"
              r"(?:แจ้งเตือน|ข่าว(?:สาร)?)(?:ข่าว)?(?:ประกาศ)?(?:อีก)?(?:แล้ว)?(?:ค่ะ|คะ|ครับ|นะ)*" + _FED_UP)
REMINDERS_OFF_TYPED = (r"(?:ขอ)?(?:ไม่ต้อง|ไม่อยากให้|อย่า|ปิด|หยุด|ยกเลิก|เลิก)\s*(?:การ)?(?:ส่ง)?(?:แจ้ง)?เตือน\s*"
                       r"(?:ล่วงหน้า)?\s*(?:ก่อน(?:ไป)?|ของ)?\s*(?:กิจกรรม|นัด)(?:ล่วงหน้า)?(?:อีก)?" + _FED_UP)
"""'ไม่ต้องเตือนก่อนกิจกรรมนะคะ รำคาญ', 'ปิดเตือนกิจกรรม'."""
REMINDERS_OFF = ("ได้ค่ะ จะไม่เตือนก่อนกิจกรรมที่คุณสมัครไว้แล้วนะคะ 🔕\n"
                 "รหัสเช็คอินดูได้ที่ “ที่ฉันสมัครไว้” เสมอค่ะ เปิดอีกครั้ง พิมพ์ “เปิดเตือนกิจกรรม”")
REMINDERS_ON = "เปิดการเตือนก่อนกิจกรรมแล้วค่ะ 🔔 จะเตือนก่อนกิจกรรมที่คุณสมัครไว้ตามเดิมนะคะ"


@on_command(REMINDERS_OFF_TYPED)
def reminders_off(ctx: Ctx, _match: Any) -> None:
    """Only the reminders before one's activities (announcements have their own switch)."""
    if ctx.user is None:
        return
    changed = reminders.set_reminders(ctx.session, ctx.user, on=False, now=ctx.now)
    lead = REMINDERS_OFF if changed else "ปิดการเตือนก่อนกิจกรรมไว้อยู่แล้วค่ะ เปิดอีกครั้ง พิมพ์ “เปิดเตือนกิจกรรม”"
    ctx.reply(replies.text(lead, quick=[replies.quick_message("เปิดเตือนกิจกรรม"), replies.quick_message("เมนู")]))


@on_command(r"(?:ขอ)?(?:เปิด|ให้)\s*(?:การ)?(?:แจ้ง)?เตือน\s*(?:ก่อน)?\s*(?:กิจกรรม|นัด)(?:เหมือนเดิม|ตามเดิม)?(?:ด้วย)?"
            r"(?:ค่ะ|คะ|ครับ|นะ)*")
def reminders_on(ctx: Ctx, _match: Any) -> None:
    if ctx.user is None:
        return
    changed = reminders.set_reminders(ctx.session, ctx.user, on=True, now=ctx.now)
    ctx.reply(replies.text(REMINDERS_ON if changed else "การเตือนก่อนกิจกรรมเปิดอยู่แล้วค่ะ",
                           quick=[replies.quick_message("เมนู")]))


@on_command(MUTE_TYPED)
def mute(ctx: Ctx, _match: Any) -> None:
    if ctx.user is None:
        return
    current = _muted(ctx)
    if all(c in current for c in MUTABLE_CATEGORIES):
        ctx.reply(replies.text(ALREADY_MUTED, quick=[replies.quick_message("เปิดการแจ้งเตือน")]))
        return
    ctx.user.muted_categories = sorted(set(current) | set(MUTABLE_CATEGORIES))
    ctx.reply(replies.text(MUTED, quick=[replies.quick_message("เปิดการแจ้งเตือน"), replies.quick_message("เมนู")]))


@on_command(r"เปิด(?:การ)?แจ้งเตือน(?:ข่าว)?(?:ประกาศ)?(?:ค่ะ|คะ|ครับ|นะ)*")
def unmute(ctx: Ctx, _match: Any) -> None:
    if ctx.user is None:
        return
    current = _muted(ctx)
    if not any(c in current for c in MUTABLE_CATEGORIES):
        ctx.reply(replies.text(ALREADY_ON))
        return
    ctx.user.muted_categories = [c for c in current if c not in MUTABLE_CATEGORIES]
    ctx.reply(replies.text(UNMUTED, quick=[replies.quick_message("เมนู")]))


# --- after-activity rating -----------------------------------------------------------------------

@register_flow
class FeedbackCommentFlow(Flow):
    """One optional comment after a star rating (the rating itself is already stored)."""

    name = "activity_feedback"
    title = "เล่าความประทับใจกิจกรรม"
    steps = (
        Step("comment", ask=lambda ctx: ASK_COMMENT.format(stars=engine.data(ctx).get("stars_th", "คะแนน")),
             parse=engine.free_text(max_len=1000), skippable=True),
    )

    def finish(self, ctx: Ctx, data: dict[str, Any]) -> None:
        if data.get("comment"):
            reminders.record_feedback(ctx.session, ctx.user, data["activity_id"], data["rating"], data["comment"],
                                      now=ctx.now)
            ctx.reply(replies.text("บันทึกความเห็นแล้วค่ะ ขอบคุณมากนะคะ 💚 ทีมงานจะนำไปปรับกิจกรรมครั้งต่อไปค่ะ"))
        else:
            ctx.reply(replies.text("ขอบคุณค่ะ ไว้พบกันในกิจกรรมครั้งหน้านะคะ 💚"))


@on_postback("feedback.rate")
def rate(ctx: Ctx, args: dict[str, str]) -> None:
    if ctx.user is None:
        return
    row = reminders.record_feedback(ctx.session, ctx.user, args.get("a", ""), args.get("r", ""), now=ctx.now)
    ctx.start_flow("activity_feedback", activity_id=row.activity_id, rating=row.rating,
                   stars_th=f"{row.rating} ดาว")
