"""The district's 36 communities (storage/demo/communities.yaml), for tests about names many share."""

from __future__ import annotations

from bot.demo_data import read_demo_yaml
from storage.db import Database
from storage.models import Community

LAT_PHRAO = ("ชุมชนลาดพร้าว 71", "ชุมชนลาดพร้าว 80", "ชุมชนลาดพร้าว 87", "ชุมชนลาดพร้าว 94", "ชุมชนลาดพร้าว 101",
             "ชุมชนลาดพร้าว 107", "ชุมชนลาดพร้าว 112", "ชุมชนลาดพร้าว 122", "ชุมชนวัดลาดพร้าว",
             "ชุมชนหลังวัดลาดพร้าว", "ชุมชนริมคลองลาดพร้าว", "ชุมชนบ้านมั่นคงริมคลองลาดพร้าว", "ชุมชนเคหะลาดพร้าว",
             "ชุมชนบ้านสวนลาดพร้าว")
"""The 14 whose names hold "ลาดพร้าว": eight numbered, six not."""


def add_district(db: Database) -> dict[str, int]:
    """Every community of the demo district, with its aliases; their ids by name."""
    with db.session() as session:
        rows = [Community(code=row["code"], name=row["name"], lat=row.get("lat"), lng=row.get("lng"),
                          aliases=list(row.get("aliases") or []))
                for row in read_demo_yaml("communities")["communities"]]
        session.add_all(rows)
        session.flush()
        ids = {row.name: row.id for row in rows}
    assert set(LAT_PHRAO) <= set(ids), "the demo list changed: update LAT_PHRAO"
    return ids
