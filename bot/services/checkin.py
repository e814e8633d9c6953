"""Check-in codes: short, unambiguous, unique per sign-up; and their QR images (PNG)."""

from __future__ import annotations

import io
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.thaidate import THAI_DIGITS
from storage.models import Signup

# No 0/O, 1/I/L, 5/S or 2/Z look-alikes: easy to read aloud and to type from a phone screen.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 6
_CODE_RE = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def random_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_code(session: Session, attempts: int = 20) -> str:
    """A code no other sign-up holds (27^6 ≈ 387 million codes, so a retry is rare)."""
    for _ in range(attempts):
        code = random_code()
        if session.scalar(select(Signup.id).where(Signup.checkin_code == code)) is None:
            return code
    raise RuntimeError("could not find a free check-in code")


def normalize_code(text: str) -> str:
    """What a person typed → the stored form: upper case, Thai digits, no spaces or dashes."""
    return re.sub(r"[\s\-_.]", "", (text or "").translate(THAI_DIGITS)).upper()


def looks_like_code(text: str) -> bool:
    return bool(_CODE_RE.match(normalize_code(text)))


def qr_png(code: str, box_size: int = 10) -> bytes:
    """A PNG QR image that encodes the check-in code."""
    import qrcode

    qr = qrcode.QRCode(box_size=box_size, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(normalize_code(code))
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_url(public_base_url: str | None, code: str) -> str | None:
    """The image URL LINE can fetch, or None when no public HTTPS address is configured."""
    if not public_base_url or not public_base_url.startswith("https://"):
        return None
    return f"{public_base_url.rstrip('/')}/qr/{normalize_code(code)}.png"
