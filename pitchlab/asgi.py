"""The web app as an ASGI application: what the Procfile's ``web`` line serves (DESIGN.md: served under ASGI).

Whatever waits (a prediction, a phone remote's long-poll, a progress stream) is an async view that awaits Redis
and holds no thread; sync views run as before, each request's in a thread of its own.

The handler loads Django's own middleware in their inline form (core/inline_middleware.py): the same classes,
with the hooks that do no I/O run on the event loop instead of a thread each. ``settings.MIDDLEWARE`` keeps
Django's names, which its security checks (``check --deploy``) look for.
"""

import os

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitchlab.settings")


class Handler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        from pitchlab.core.inline_middleware import INLINE

        named = settings.MIDDLEWARE
        settings.MIDDLEWARE = [INLINE.get(path, path) for path in named]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = named


django.setup(set_prefix=False)
application = Handler()
