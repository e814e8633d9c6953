"""`flask broadcast send|list|cancel`."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner

from bot.cli_broadcast import broadcast_cli
from storage.models import Broadcast
from tests.worker.helpers import FakeGateway, make_community, make_user, rows


def run(db, now, *args, gateway=None):
    result = CliRunner().invoke(broadcast_cli, list(args), obj={"db": db, "now": now, "gateway": gateway})
    return result


def test_send_now_schedule_list_cancel(db, now):
    with db.session() as s:
        home = make_community(s)
        for n in range(1, 4):
            make_user(s, n, community=home)
    sent = run(db, now, "send", "--text", "ประกาศจากเขตค่ะ", "--to", "community:ชุมชนร่วมใจ")
    assert sent.exit_code == 0, sent.output
    assert "ถึง: สมาชิกชุมชนร่วมใจ (3 คน)" in sent.output and "ผู้รับ 3 คน" in sent.output
    later = run(db, now, "send", "--text", "พรุ่งนี้มีตลาดนัดสุขภาพค่ะ", "--to", "all", "--at", "พรุ่งนี้ 9 โมง")
    assert later.exit_code == 0 and "ตั้งเวลาประกาศ #" in later.output and "09:00" in later.output
    listed = run(db, now, "list")
    assert "ตลาดนัดสุขภาพ" in listed.output and "ประกาศจากเขต" not in listed.output
    with db.session() as s:
        scheduled = [b for b in s.query(Broadcast).all() if b.status == "scheduled"][0]
        assert scheduled.created_via == "cli" and scheduled.scheduled_at == now + timedelta(hours=23)
    assert run(db, now, "cancel", str(scheduled.id)).exit_code == 0
    assert "ไม่มีประกาศที่ตั้งเวลาไว้" in run(db, now, "list").output
    assert run(db, now, "cancel", str(scheduled.id)).exit_code != 0


def test_large_send_checks_quota_and_refuses_without_yes(db, now):
    with db.session() as s:
        for n in range(1, 601):
            make_user(s, n)
    gateway = FakeGateway(quota=(1000, 700))
    refused = run(db, now, "send", "--text", "ข่าวใหญ่ค่ะ", "--to", "role:resident", gateway=gateway)
    assert refused.exit_code != 0 and "โควตา" in refused.output
    with db.session() as s:
        assert rows(s) == []
    forced = run(db, now, "send", "--text", "ข่าวใหญ่ค่ะ", "--to", "role:resident", "--yes", gateway=gateway)
    assert forced.exit_code == 0 and "ผู้รับ 600 คน" in forced.output


def test_an_announcement_to_a_name_many_communities_share_is_refused(db, now):
    from tests.support.communities import add_district

    add_district(db)
    refused = run(db, now, "send", "--text", "พรุ่งนี้มีรถพ่นยุงค่ะ", "--to", "community:ลาดพร้าว")
    assert refused.exit_code != 0
    assert "“ลาดพร้าว” ตรงกับ 14 ชุมชนค่ะ" in refused.output and "LP15  ชุมชนวัดลาดพร้าว" in refused.output
    with db.session() as s:
        assert s.query(Broadcast).count() == 0
    sent = run(db, now, "send", "--text", "พรุ่งนี้มีรถพ่นยุงค่ะ", "--to", "community:ลาดพร้าว 101")
    assert sent.exit_code == 0 and "ถึง: สมาชิกชุมชนลาดพร้าว 101" in sent.output, sent.output


def test_the_quota_is_asked_of_line_with_no_transaction_open(db, now):
    """On SQLite an open write transaction holds up every event while LINE answers."""
    from sqlalchemy import event

    with db.session() as s:
        for n in range(1, 601):
            make_user(s, n)
    open_transactions = []
    event.listen(db.engine, "begin", lambda conn: open_transactions.append(conn))
    event.listen(db.engine, "commit", lambda conn: open_transactions.remove(conn))
    event.listen(db.engine, "rollback", lambda conn: open_transactions.remove(conn) if conn in open_transactions
                 else None)
    asked = []

    class Watched(FakeGateway):
        def get_quota(self):
            asked.append(list(open_transactions))
            return super().get_quota()

    sent = run(db, now, "send", "--text", "ข่าวใหญ่ค่ะ", "--to", "role:resident", gateway=Watched(quota=(5000, 10)))
    assert sent.exit_code == 0 and "ผู้รับ 600 คน" in sent.output and "โควตา" in sent.output
    assert asked == [[]]
