"""LineGateway against the stand-in LINE API: limits, retries, retry keys, reply → push fallback."""

import time
import uuid

import pytest

from bot import replies
from bot.config import Settings
from bot.line import LineGateway
from tests.conftest import TOKEN


@pytest.fixture
def gateway(fake_line):
    settings = Settings(channel_access_token=TOKEN, line_api_base_url=fake_line.base_url,
                        line_data_api_base_url=fake_line.base_url)
    gw = LineGateway(settings, base_delay=0.01)
    yield gw
    gw.close()


def test_push_is_retried_after_429_and_delivered_once(gateway, fake_line):
    fake_line.store.fail_next(429, times=2, retry_after=0)
    key = str(uuid.uuid4())
    result = gateway.push("Ugw1", [replies.text("สวัสดีค่ะ")], retry_key=key)
    assert result.ok and result.attempts == 3
    assert len(fake_line.store.messages_for("Ugw1")) == 1


def test_retry_after_is_honoured(gateway, fake_line):
    fake_line.store.fail_next(429, times=1, retry_after=1)
    started = time.monotonic()
    assert gateway.push("Ugw2", [replies.text("x")], retry_key=str(uuid.uuid4())).ok
    assert time.monotonic() - started >= 0.9


def test_same_retry_key_twice_counts_as_delivered_but_is_not_delivered_again(gateway, fake_line):
    key = str(uuid.uuid4())
    assert gateway.push("Ugw3", [replies.text("ครั้งเดียว")], retry_key=key).ok
    second = gateway.push("Ugw3", [replies.text("ครั้งเดียว")], retry_key=key)
    assert second.ok and second.status == 409
    assert len(fake_line.store.messages_for("Ugw3")) == 1


def test_permanent_error_is_not_retried(gateway, fake_line):
    fake_line.store.fail_next(400, times=1)
    result = gateway.push("Ugw4", [replies.text("x")], retry_key=str(uuid.uuid4()))
    assert not result.ok and result.permanent_failure and result.attempts == 1


def test_expired_reply_token_falls_back_to_push(gateway, fake_line):
    result = gateway.send_reply("no-such-token", "Ugw5", [replies.text("ตอบช้าไปหน่อยค่ะ")], str(uuid.uuid4()))
    assert result.ok
    delivered = fake_line.store.messages_for("Ugw5")
    assert [m["via"] for m in delivered] == ["push"]


def test_more_than_five_messages_and_long_text_are_split_not_rejected(gateway, fake_line):
    fake_line.store.register_reply_token("tok-long", "Ugw6")
    messages = [replies.text(f"ข้อความ {i}") for i in range(7)] + [replies.text("ก" * 12000)]
    result = gateway.send_reply("tok-long", "Ugw6", messages, str(uuid.uuid4()))
    assert result.ok
    delivered = fake_line.store.messages_for("Ugw6")
    assert len(delivered) == 10  # 7 short + 12,000 characters as three texts
    assert [m["via"] for m in delivered][:5] == ["reply"] * 5
    assert all(len(m["message"]["text"]) <= 5000 for m in delivered)


def test_limits_are_enforced_in_one_place():
    many = [replies.quick_message(f"ตัวเลือกที่ยาวมากเกินยี่สิบตัวอักษร {i}") for i in range(20)]
    bubbles = [replies.bubble(f"การ์ด {i}", ["บรรทัด"]) for i in range(15)]
    batches = replies.finalize([replies.text("เลือกเลยค่ะ", quick=many), replies.carousel("การ์ด", bubbles)])
    assert len(batches) == 1
    text, carousel = batches[0]
    assert "quickReply" not in text and len(carousel["quickReply"]["items"]) == 13
    assert all(len(i["action"]["label"]) <= 20 for i in carousel["quickReply"]["items"])
    assert len(carousel["contents"]["contents"]) == 12
    replies.validate(batches[0])


def test_postback_data_over_300_characters_is_refused_at_build_time():
    from bot import postback

    with pytest.raises(postback.PostbackTooLong):
        postback.encode("x", data="ก" * 400)


def test_a_message_line_would_refuse_is_never_sent(gateway, fake_line):
    result = gateway.push("Ugw7", [{"type": "text"}], retry_key=str(uuid.uuid4()))
    assert not result.ok and result.permanent_failure and result.status == 400
    assert fake_line.store.messages_for("Ugw7") == [] and not fake_line.store.calls


def test_a_card_checked_when_finalized_is_sent_and_a_refused_one_is_not(gateway, fake_line):
    """finalize() checks each piece once and marks it; the gateway still refuses what failed that check."""
    fake_line.store.register_reply_token("tok-good", "Ugw8")
    fake_line.store.register_reply_token("tok-bad", "Ugw9")
    good = _card("ok")
    bad = {"type": "flex", "altText": "การ์ด", "contents": {"type": "bubble", "size": "huge"}}  # no such size
    assert type(replies.finalize([good])[0][0]) is replies.CheckedMessage
    assert type(replies.finalize([bad])[0][0]) is dict
    assert gateway.send_reply("tok-good", "Ugw8", [good], str(uuid.uuid4())).ok
    refused = gateway.send_reply("tok-bad", "Ugw9", [bad], str(uuid.uuid4()))
    assert not refused.ok and refused.status == 400 and "invalid request" in refused.error
    assert len(fake_line.store.messages_for("Ugw8")) == 1 and fake_line.store.messages_for("Ugw9") == []


def _card(data: str, label: str = "ส่ง") -> dict:
    action = {"type": "postback", "label": label, "data": data, "displayText": label}
    return {"type": "template", "altText": "ยืนยัน",
            "template": {"type": "buttons", "text": "ส่งเลยไหมคะ", "actions": [action]}}


def test_cards_that_differ_only_in_free_text_or_postback_data_are_checked_as_one():
    assert replies.validation_key(_card("flow?n=ab12&v=1")) == replies.validation_key(_card("flow?n=cd34&v=2"))
    assert replies.validation_key(_card("x", label="ส่ง")) == replies.validation_key(_card("x", label="ไม่ส่ง"))
    # what the models do check keeps cards apart: the data's length, and a label that is not a string
    assert replies.validation_key(_card("flow?n=ab12&v=1")) != replies.validation_key(_card("flow?n=ab12&v=10"))
    assert replies.validation_key(_card("x", label="ส่ง")) != replies.validation_key(_card("x", label=None))


def test_a_valid_card_does_not_let_a_twin_with_a_label_that_is_not_text_through():
    replies.validate([_card("x", label="ส่ง")])
    with pytest.raises(ValueError):
        replies.validate([_card("x", label=5)])


def test_a_valid_card_does_not_let_a_longer_postback_through():
    replies.validate([_card("ข" * 300)])
    with pytest.raises(ValueError):
        replies.validate([_card("ข" * 301)])  # the SDK's model: data is at most 300 characters


def _bubble(text: str, layout: str = "vertical") -> dict:
    return {"type": "bubble", "body": {"type": "box", "layout": layout, "contents": [{"type": "text", "text": text}]}}


def test_a_carousel_is_checked_bubble_by_bubble_and_a_bad_bubble_among_known_ones_is_caught():
    good = [_bubble(f"กิจกรรม {n}") for n in range(3)]
    replies.validate([{"type": "flex", "altText": "กิจกรรม", "contents": {"type": "carousel", "contents": good}}])
    with pytest.raises(ValueError):
        replies.validate([{"type": "flex", "altText": "กิจกรรม",
                           "contents": {"type": "carousel", "contents": [*good, _bubble("ใหม่", layout="diagonal")]}}])
    with pytest.raises(ValueError):  # the message around known bubbles is still checked
        replies.validate([{"type": "flex", "contents": {"type": "carousel", "contents": good}}])
    with pytest.raises(ValueError):  # so is a bubble that is not an object
        replies.validate([{"type": "flex", "altText": "x", "contents": {"type": "carousel", "contents": [*good, "x"]}}])
