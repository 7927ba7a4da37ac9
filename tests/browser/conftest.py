"""The browser tests use the session's one chromium: the ``browser`` fixture in tests/conftest.py."""
