"""Rich menus: uploaded per role through the API, and linked when a role code is redeemed."""

from bot import richmenu
from storage.models import RichMenuRecord


def test_setup_uploads_one_menu_per_role_and_sets_the_default(app, harness):
    settings = app.extensions["ruamkan.settings"]
    with harness.db.session() as session:
        created = richmenu.setup(session, settings, app.extensions["ruamkan.gateway"])
    store = harness.fake.store
    assert set(created) == {"resident", "leader", "staff"}
    for rid in created.values():
        assert store.rich_menu_image(rid) is not None
    assert store.effective_rich_menu("Uanyone")["richMenuId"] == created["resident"]
    with harness.db.session(readonly=True) as session:
        assert session.get(RichMenuRecord, "staff").rich_menu_id == created["staff"]


def test_redeeming_a_staff_code_links_the_staff_menu(app, harness, chat):
    with harness.db.session() as session:
        created = richmenu.setup(session, app.extensions["ruamkan.settings"], app.extensions["ruamkan.gateway"])
    code = app.test_cli_runner().invoke(args=["create-role-code", "staff"]).output.split()[0]
    chat("Ustaffmenu").say(f"รหัส {code}")
    harness.wait()
    assert harness.fake.store.user_rich_menu_id("Ustaffmenu") == created["staff"]


def test_every_menu_tile_sends_a_command_the_bot_understands(chat):
    """Each tile's text gets a real answer, never the "not sure" fallback."""
    for role in richmenu.MENUS:
        body = richmenu.request_body(role)
        assert len(body["areas"]) == 6 and len(body["chatBarText"]) <= 14
        user = chat(f"Utile{role}", role=role)
        for area in body["areas"]:
            user.say(area["action"]["text"])
            assert user.last, f"no answer to {area['action']['text']!r}"
            user.expect_not("ยังไม่แน่ใจ")
            user.say("ยกเลิก")
