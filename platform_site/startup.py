"""Refuse to serve without a secret key: sessions and CSRF tokens would be forgeable or broken."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def secret_key_missing() -> bool:
    try:
        return not settings.SECRET_KEY
    except ImproperlyConfigured:  # Django raises on an empty key when it is read
        return True


def require_secret_key() -> None:
    """Called by wsgi.py and asgi.py: the web server does not start without a key."""
    if secret_key_missing():
        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable (or SECRET_KEY_FILE) to serve Tsunagu."
        )
