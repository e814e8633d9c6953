"""`make run`: the bot, the simulator and the worker in one process, on SQLite with demo data."""

from __future__ import annotations

import os

from bot.config import SIMULATOR_SECRET, SIMULATOR_TOKEN

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8000"))


def main() -> None:
    os.environ.setdefault("RUAMKAN_SIMULATOR", "1")
    os.environ.setdefault("RUAMKAN_EMBEDDED_WORKER", "1")
    os.environ.setdefault("LINE_CHANNEL_SECRET", SIMULATOR_SECRET)
    os.environ.setdefault("LINE_CHANNEL_ACCESS_TOKEN", SIMULATOR_TOKEN)
    os.environ.setdefault("LINE_API_BASE_URL", f"http://{HOST}:{PORT}/fake-line")
    os.environ.setdefault("PUBLIC_BASE_URL", f"http://{HOST}:{PORT}")

    from gunicorn.app.base import BaseApplication

    class LocalServer(BaseApplication):
        def load_config(self) -> None:
            # One process: the simulator's stand-in LINE API keeps its messages in memory.
            for key, value in {"bind": f"{HOST}:{PORT}", "workers": 1, "worker_class": "gthread",
                               "threads": 32, "timeout": 120, "accesslog": None,
                               "control_socket_disable": True}.items():
                if key in self.cfg.settings:  # control_socket_disable exists only in newer gunicorn
                    self.cfg.set(key, value)

        def load(self):  # noqa: ANN202 - gunicorn's interface
            from bot.app import create_app

            return create_app(seed_demo=True, serving=True)

    print(f"\n  ร่วมกัน is running. Open the simulator: http://{HOST}:{PORT}/simulator\n", flush=True)
    LocalServer().run()


if __name__ == "__main__":
    main()
