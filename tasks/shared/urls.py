"""Database URLs shown without their secrets, and the secrets they carry."""

from __future__ import annotations

import re
import urllib.parse

from sqlalchemy.engine import make_url

SECRET_QUERY_KEYS = ("token", "key", "secret", "password", "passwd", "pwd", "sig", "auth")


def is_secret_query_key(key: str) -> bool:
    """Return whether a URL query parameter of this name carries a credential."""
    return any(word in key.lower() for word in SECRET_QUERY_KEYS)


def safe_url(url: str) -> str:
    """Return `url` with its password and credential-like query values masked."""
    try:
        parsed = make_url(url)
        query = {key: "***" if is_secret_query_key(key) else v for key, v in parsed.query.items()}
        return parsed.set(query=query).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparseable URL is shown as nothing at all
        return "<unparseable database URL>"


def url_secrets(url: str) -> list[str]:
    """Return the credentials written in `url` (password, secret query values), as written too."""
    userinfo = re.search(r"//([^/?#]*)@", url)
    found = [userinfo.group(1), userinfo.group(1).partition(":")[2]] if userinfo else []
    pairs = (pair.partition("=") for pair in url.partition("?")[2].partition("#")[0].split("&"))
    found += [value for key, _, value in pairs if is_secret_query_key(urllib.parse.unquote(key))]
    return sorted({s for value in found if value for s in (value, urllib.parse.unquote(value))})
