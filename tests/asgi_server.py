"""The tests' live server: the project's ASGI application under uvicorn, as the Procfile serves it.

It replaces pytest-django's ``live_server`` (Django's threaded WSGI server): the browser tests, and every other
test that talks to a live server, run against the server production runs, with the same HTTP protocol class
(``pitchlab.serving.DeadlineProtocol``). It runs in a thread of the test process, so a test's ``settings``
changes and its database rows are the server's too. Static files are served from the finders, as
``runserver`` does (no collectstatic in tests).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.test.utils import modify_settings

HOST = "localhost"


class AsgiLiveServer:
    """What the ``live_server`` fixture gives: ``url``, and ``str()`` of it (pytest-django's interface)."""

    def __init__(self) -> None:
        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        from pitchlab.asgi import application

        config = uvicorn.Config(
            ASGIStaticFilesHandler(application),
            host="127.0.0.1",
            port=0,
            loop="uvloop",
            http="pitchlab.serving:DeadlineProtocol",
            lifespan="off",
            log_level="warning",
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="asgi-live-server", daemon=True)
        # pytest-django's _live_server_helper enables this around each test that uses the server.
        self._live_server_modified_settings = modify_settings(ALLOWED_HOSTS={"append": HOST})
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the ASGI live server did not start")
            time.sleep(0.01)
        self.port = int(self.server.servers[0].sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __str__(self) -> str:
        return self.url

    def __add__(self, other: Any) -> str:
        return f"{self}{other}"

    def __radd__(self, other: Any) -> str:
        return f"{other}{self}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
