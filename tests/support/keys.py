"""Service-account key files for tests: a real RSA key, or any text planted in its place."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def new_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def service_account_file(path: Path, email: str, *, pem: str, key_id: str = "1") -> Path:
    """A service-account JSON key at `path`, as Google's console gives it."""
    info = {
        "type": "service_account",
        "project_id": email.split("@")[1].split(".", maxsplit=1)[0],
        "private_key_id": key_id,
        "private_key": pem,
        "client_email": email,
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    path.write_text(json.dumps(info))
    return path
