"""Settings for the test suite: the production settings with APP_ENV=test and a fast hasher."""

import os

os.environ.setdefault("APP_ENV", "test")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HTTPS = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# The rendered-page cache outlives a test's rolled-back data (same ids, same frozen clock): off
# by default; tests/directory/test_page_cache.py turns a real one on.
CACHES = CACHES | {"pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
