"""Bad input at the webhook: each one answered without a 500, nothing lost or doubled."""

import json
import threading

from sqlalchemy import func, select

from bot.simulator.events import build_event, new_reply_token, sign_body, signed_request
from storage.models import Conversation, OutboxMessage, User, WebhookEvent
from tests.conftest import SECRET


def count(db, model, *where):
    with db.session(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_forged_signature_is_refused_and_nothing_stored(client, harness):
    body, headers = signed_request([build_event("text", "Uforge", text="hi")], "not-the-secret")
    response = client.post("/callback", data=body, headers=headers)
    assert response.status_code == 400
    assert count(harness.db, WebhookEvent) == 0


def test_missing_signature_is_refused(client, harness):
    body, headers = signed_request([build_event("text", "Unosig", text="hi")], SECRET)
    headers.pop("X-Line-Signature")
    assert client.post("/callback", data=body, headers=headers).status_code == 400
    assert count(harness.db, WebhookEvent) == 0


def test_body_that_is_not_json(client):
    body = b"this is not json {"
    response = client.post("/callback", data=body, headers={"X-Line-Signature": sign_body(body, SECRET)})
    assert response.status_code == 400


def test_json_of_the_wrong_shape(client, harness):
    for body in (b"[1,2,3]", b'{"events": "nope"}', b'{"destination": "x"}', b'"string"'):
        response = client.post("/callback", data=body, headers={"X-Line-Signature": sign_body(body, SECRET)})
        assert response.status_code == 400, body
    body = json.dumps({"destination": "x", "events": [1, "two", None]}).encode()
    assert client.post("/callback", data=body,
                       headers={"X-Line-Signature": sign_body(body, SECRET)}).status_code == 200


def test_verify_request_with_no_events_is_ok(client):
    body = b'{"destination":"Uxxx","events":[]}'
    assert client.post("/callback", data=body, headers={"X-Line-Signature": sign_body(body, SECRET)}).status_code == 200


def test_body_too_large(client):
    body = b'{"events": [], "pad": "' + b"x" * 1_100_000 + b'"}'
    response = client.post("/callback", data=body, headers={"X-Line-Signature": sign_body(body, SECRET)})
    assert response.status_code == 413


def test_event_type_never_seen_before_is_logged_and_ignored(harness):
    event = build_event("somethingNew", "Unew", text=None)
    assert harness.post_events([event]).status_code == 200
    harness.wait()
    with harness.db.session(readonly=True) as s:
        row = s.scalar(select(WebhookEvent))
        assert row.event_type == "somethingNew" and row.status == "done"
    assert harness.messages_to("Unew") == []


def test_every_webhook_event_type_is_handled_without_error(harness):
    kinds = ["text", "sticker", "image", "video", "audio", "file", "location", "postback", "follow", "join",
             "leave", "memberJoined", "memberLeft", "unsend", "messageEdited", "accountLink", "beacon",
             "videoPlayComplete", "membership", "unfollow"]
    events = [build_event(kind, f"Ukind{i:02d}", text="สวัสดี" if kind in ("text", "messageEdited") else None,
                          data="menu" if kind == "postback" else None) for i, kind in enumerate(kinds)]
    assert harness.post_events(events).status_code == 200
    harness.wait()
    with harness.db.session(readonly=True) as s:
        statuses = dict(s.execute(select(WebhookEvent.event_type, WebhookEvent.status)).all())
    assert set(statuses.values()) == {"done"}, statuses


def test_a_5000_character_text_is_answered(chat, harness):
    u = chat("Ulong")
    u.say("ก" * 5000)
    assert u.last, "a reply was expected"


def test_only_emoji_and_zero_width(chat):
    u = chat("Uemoji").say("😀😀😀")
    assert u.last and "📜 ธรรมนูญสุขภาพ" in u.quick_labels()
    chat("Uzw").say("\u200b\u200b\u200d").expect("ไม่เห็นข้อความ")


def test_sticker_in_the_middle_of_a_flow_keeps_the_flow(chat, harness):
    u = chat("Usticker", consent=False)
    u.follow()
    u.send("sticker", package_id="446", sticker_id="1988")
    u.expect("PDPA")
    with harness.db.session(readonly=True) as s:
        conv = s.scalar(select(Conversation).where(Conversation.line_user_id == "Usticker"))
        assert conv.flow == "onboarding" and conv.step == "consent"


def test_same_event_delivered_twice_acts_once(harness):
    token = new_reply_token()
    harness.fake.store.register_reply_token(token, "Utwice")
    event = build_event("follow", "Utwice", reply_token=token)
    redelivered = dict(event, deliveryContext={"isRedelivery": True})
    assert harness.post_events([event]).status_code == 200
    assert harness.post_events([redelivered]).status_code == 200
    assert harness.post_events([event, event]).status_code == 200
    harness.wait()
    assert count(harness.db, WebhookEvent) == 1
    assert count(harness.db, OutboxMessage) == 1
    welcome = [m for m in harness.messages_to("Utwice") if "ยินดีต้อนรับ" in json.dumps(m, ensure_ascii=False)]
    assert len(welcome) == 1


def test_two_events_for_one_user_arriving_at_once(chat, harness):
    """Both are processed, one after the other, and the flow moves exactly two steps."""
    u = chat("Urace", consent=False)
    u.follow()
    consent = u.find_action("ยินยอม")["data"]
    events = [build_event("postback", "Urace", data=consent, reply_token=new_reply_token()),
              build_event("text", "Urace", text="ข้าม", reply_token=new_reply_token())]
    for e in events:
        harness.fake.store.register_reply_token(e["replyToken"], "Urace")
    barrier = threading.Barrier(2)
    results = []

    def post(event):
        barrier.wait()
        with harness.app.test_client() as c:
            body, headers = signed_request([event], SECRET)
            results.append(c.post("/callback", data=body, headers=headers).status_code)

    threads = [threading.Thread(target=post, args=(e,)) for e in events]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    harness.wait()
    assert results == [200, 200]
    assert count(harness.db, WebhookEvent, WebhookEvent.status == "done") == 3
    with harness.db.session(readonly=True) as s:
        user = s.scalar(select(User).where(User.line_user_id == "Urace"))
        assert user.consent_at is not None


def test_user_who_blocked_the_bot_gets_no_push(chat, harness):
    from bot.services.outbox import enqueue_push

    u = chat("Ublock")
    u.unfollow()
    with harness.db.session() as s:
        user = s.scalar(select(User).where(User.line_user_id == "Ublock"))
        assert user.is_active is False
        assert enqueue_push(s, user, [{"type": "text", "text": "ข่าว"}], category="announcement") is None
    u.follow().expect("ยินดีต้อนรับกลับ")


def test_group_chat_stays_quiet_unless_addressed(chat):
    member = chat("Ugroupmember", group_id="Cgroup1")
    member.say("พรุ่งนี้ใครไปตลาดบ้าง").expect_quiet()
    member.say("@ร่วมกัน วิธีใช้").expect("ช่วยอะไรได้บ้าง")


def test_bot_joining_a_group_introduces_itself_once(harness):
    from bot.simulator.events import build_event, new_reply_token

    token = new_reply_token()
    harness.fake.store.register_reply_token(token, "Cgroup2")
    event = build_event("join", "Ujoin", group_id="Cgroup2", reply_token=token)
    assert harness.post_events([event]).status_code == 200
    harness.wait()
    said = [m["message"]["text"] for m in harness.messages_to("Cgroup2")]
    assert len(said) == 1 and "@ร่วมกัน" in said[0]


def test_events_left_pending_by_a_dead_process_are_recovered(app, harness):
    """A process that died after the ack leaves rows pending; recover() finishes them exactly once."""
    from datetime import timedelta

    from bot.thaidate import now_utc

    token = new_reply_token()
    harness.fake.store.register_reply_token(token, "Urecover")
    event = build_event("text", "Urecover", text="วิธีใช้", reply_token=token)
    with harness.db.session() as s:
        s.add(WebhookEvent(webhook_event_id=event["webhookEventId"], event_type="message",
                           source_key="Urecover", payload=json.dumps(event, ensure_ascii=False),
                           received_at=now_utc() - timedelta(minutes=5)))
    processor = app.extensions["ruamkan.processor"]
    assert processor.recover() == 1
    harness.wait()
    assert processor.recover() == 0
    assert len(harness.messages_to("Urecover")) == 1


def test_a_text_event_whose_text_is_not_a_string_is_ignored_after_a_good_one_of_the_same_shape(harness):
    """Events of a shape the SDK read before are not parsed again; a field of the wrong type still counts."""
    good = build_event("text", "Ushape1", text="สวัสดีค่ะ")
    bad = build_event("text", "Ushape2", text="สวัสดีค่ะ")
    bad["message"]["text"] = 123456789
    assert harness.post_events([good]).status_code == 200
    harness.wait()
    assert harness.messages_to("Ushape1"), "the good one is answered"
    assert harness.post_events([bad]).status_code == 200
    harness.wait()
    assert harness.messages_to("Ushape2") == []
    with harness.db.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(WebhookEvent).where(WebhookEvent.status == "done")) == 2


def test_a_photo_outside_any_journey_says_what_photos_are_for(chat):
    """It said only "ได้รับไฟล์แล้วค่ะ"."""
    u = chat("Uphoto", community="ชุมชนโชคชัย 4")
    u.send("image").expect("ได้รับรูปแล้วค่ะ", "ภาพประกอบโครงการ", "ส่งรูป").expect_not("ได้รับไฟล์")
    assert "💡 เสนอโครงการ" in u.quick_labels()
    u.tap("เสนอโครงการ").expect("ชื่ออะไรคะ")
