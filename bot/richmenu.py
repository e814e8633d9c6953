"""Rich menus per role (resident, leader, staff): drawn with a bundled Thai font, uploaded via the API."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from linebot.v3.messaging import ApiClient, Configuration, MessagingApiBlob, RichMenuRequest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.line import LineGateway
from storage.models import RichMenuRecord

log = logging.getLogger(__name__)

FONT = Path(__file__).parent / "assets" / "sarabun-thai-700-normal.woff"
WIDTH, HEIGHT = 2500, 1686
COLS, ROWS = 3, 2


@dataclass(frozen=True)
class Tile:
    label: str
    text: str
    color: str


RESIDENT = (
    Tile("ธรรมนูญสุขภาพ", "ธรรมนูญสุขภาพ", "#2E7D32"),
    Tile("กิจกรรม", "กิจกรรม", "#00897B"),
    Tile("เสนอโครงการ", "เสนอโครงการ", "#F9A825"),
    Tile("ที่ฉันสมัครไว้", "ที่ฉันสมัครไว้", "#1565C0"),
    Tile("โครงการของฉัน", "โครงการของฉัน", "#6A1B9A"),
    Tile("วิธีใช้", "วิธีใช้", "#546E7A"),
)
LEADER = RESIDENT[:4] + (
    Tile("โครงการในชุมชน", "โครงการในชุมชน", "#6A1B9A"),
    Tile("วิธีใช้", "วิธีใช้", "#546E7A"),
)
STAFF = (
    Tile("ผลความเห็น", "ผลธรรมนูญ", "#2E7D32"),
    Tile("กิจกรรม", "กิจกรรม", "#00897B"),
    Tile("โครงการรอตรวจ", "โครงการรอตรวจ", "#F9A825"),
    Tile("ประกาศ", "ประกาศ", "#C62828"),
    Tile("เช็คอิน", "เช็คอิน", "#1565C0"),
    Tile("วิธีใช้", "วิธีใช้", "#546E7A"),
)
MENUS = {"resident": RESIDENT, "leader": LEADER, "staff": STAFF}
CHAT_BAR = {"resident": "เมนู ร่วมกัน", "leader": "เมนูแกนนำ", "staff": "เมนู จนท."}


def menu_role(role: str) -> str:
    return "staff" if role in ("staff", "admin") else role if role in MENUS else "resident"


def request_body(role: str) -> dict:
    tiles = MENUS[role]
    w, h = WIDTH // COLS, HEIGHT // ROWS
    areas = [{"bounds": {"x": (i % COLS) * w, "y": (i // COLS) * h, "width": w, "height": h},
              "action": {"type": "message", "label": t.label[:20], "text": t.text}} for i, t in enumerate(tiles)]
    return {"size": {"width": WIDTH, "height": HEIGHT}, "selected": True, "name": f"ruamkan-{role}",
            "chatBarText": CHAT_BAR[role], "areas": areas}


def render_png(role: str) -> bytes:
    tiles = MENUS[role]
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 150)
    w, h = WIDTH // COLS, HEIGHT // ROWS
    for i, tile in enumerate(tiles):
        x, y = (i % COLS) * w, (i // COLS) * h
        draw.rounded_rectangle((x + 20, y + 20, x + w - 20, y + h - 20), radius=60, fill=tile.color)
        box = draw.textbbox((0, 0), tile.label, font=font)
        size = 150 if box[2] - box[0] < w - 80 else int(150 * (w - 80) / (box[2] - box[0]))
        label_font = ImageFont.truetype(str(FONT), size)
        box = draw.textbbox((0, 0), tile.label, font=label_font)
        draw.text((x + (w - (box[2] - box[0])) / 2, y + (h - (box[3] - box[1])) / 2 - box[1]), tile.label,
                  font=label_font, fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def setup(session: Session, settings: Settings, gateway: LineGateway) -> dict[str, str]:
    """Create and upload one rich menu per role; the resident menu becomes everyone's default."""
    blob_config = Configuration(host=settings.line_data_api_base_url, access_token=settings.channel_access_token)
    created: dict[str, str] = {}
    with ApiClient(blob_config) as client:
        blob = MessagingApiBlob(client)
        for role in MENUS:
            response = gateway.api.create_rich_menu(RichMenuRequest.from_dict(request_body(role)))
            rid = response.rich_menu_id
            blob.set_rich_menu_image(rid, body=bytearray(render_png(role)), _headers={"Content-Type": "image/png"})
            old = session.get(RichMenuRecord, role)
            if old is not None:
                try:
                    gateway.api.delete_rich_menu(old.rich_menu_id)
                except Exception:  # noqa: BLE001 - an already deleted menu is fine
                    log.info("old rich menu %s not deleted", old.rich_menu_id)
                old.rich_menu_id = rid
            else:
                session.add(RichMenuRecord(role=role, rich_menu_id=rid))
            created[role] = rid
    gateway.api.set_default_rich_menu(created["resident"])
    return created


def link_for_role(session: Session, gateway: LineGateway, line_user_id: str, role: str) -> bool:
    """Show the user the menu of their role (best effort; the quick-reply menu works regardless)."""
    record = session.scalar(select(RichMenuRecord).where(RichMenuRecord.role == menu_role(role)))
    if record is None:
        return False
    try:
        gateway.api.link_rich_menu_id_to_user(line_user_id, record.rich_menu_id)
        return True
    except Exception as exc:  # noqa: BLE001
        log.info("rich menu not linked for %s: %s", line_user_id, exc)
        return False
