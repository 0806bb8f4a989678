"""Keys derived from the server's secret: keyed hashes (no plain lookups of typed secrets or
names) and the encryption of TOTP seeds at rest. The key material is `COMPANION_DATA_KEY` when
set, else `SECRET_KEY`; it never sits in the database."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


def derive(purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived with HKDF-SHA256 from the configured secret."""
    material = current_app.config.get("DATA_KEY") or current_app.config["SECRET_KEY"]
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return hkdf.derive(material.encode())


def keyed_hash(purpose: str, value: str, length: int = 16) -> str:
    digest = hmac.new(derive(purpose), value.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return digest.hexdigest()[:length]


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(derive("totp-seed")))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str | None:
    """The plain text, or None for a token made with another key (or tampered with)."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None


class Encrypted(TypeDecorator):
    """A string column stored encrypted (Fernet: AES-128-CBC with HMAC-SHA256)."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
