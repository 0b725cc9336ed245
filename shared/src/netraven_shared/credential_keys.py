"""The credential key ring: named Fernet keys, the first encrypts, every one decrypts.

Written `k2:<key>,k1:<key>` in NETRAVEN_CREDENTIAL_KEYS, or one `id:key` a line in the file
NETRAVEN_CREDENTIAL_KEYS_FILE names. Each credential row records the id of the key that sealed it,
so an operator can see which keys are still in use before retiring one (docs/secrets.md).
The legacy NETRAVEN_CREDENTIAL_KEY, any string hashed into one key, joins the ring as "legacy".
"""

import base64
import hashlib
import re
from dataclasses import dataclass

from cryptography.fernet import Fernet

LEGACY_KEY_ID = "legacy"
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
GENERATE_KEY = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


class KeyRingError(ValueError):
    """A key ring that cannot be used as written."""


@dataclass(frozen=True)
class KeyRing:
    """Keys by id, in order: the first is the primary. `source` names where the ring came from,
    for messages about a key it lacks."""

    keys: tuple[tuple[str, bytes], ...]
    source: str

    @property
    def primary_id(self) -> str:
        return self.keys[0][0]

    @property
    def ids(self) -> list[str]:
        return [key_id for key_id, _ in self.keys]

    @classmethod
    def parse(cls, text: str, source: str) -> "KeyRing":
        """Entries `id:key` separated by commas or new lines; blank lines and `#` comments are
        skipped."""
        entries = [entry.strip() for line in text.splitlines() for entry in line.split(",")]
        keys = tuple(
            _parse_entry(entry, source) for entry in entries if entry and not entry.startswith("#")
        )
        if not keys:
            raise KeyRingError(
                f"{source} holds no key: write `id:key` entries, each key made with {GENERATE_KEY}"
            )
        return cls(keys, source)._checked()

    @classmethod
    def legacy(cls, material: str) -> "KeyRing":
        return cls(((LEGACY_KEY_ID, legacy_key(material)),), "NETRAVEN_CREDENTIAL_KEY")

    def plus_legacy(self, material: str) -> "KeyRing":
        """This ring, also decrypting what the legacy key sealed."""
        return KeyRing((*self.keys, (LEGACY_KEY_ID, legacy_key(material))), self.source)._checked()

    def _checked(self) -> "KeyRing":
        ids = self.ids
        if repeated := sorted({key_id for key_id in ids if ids.count(key_id) > 1}):
            raise KeyRingError(
                f"{self.source} names key {', '.join(repeated)} more than once: "
                "give every key its own id"
            )
        return self


def legacy_key(material: str) -> bytes:
    """The key NETRAVEN_CREDENTIAL_KEY always meant: sha256 of the string, so old rows still
    decrypt."""
    return base64.urlsafe_b64encode(hashlib.sha256(material.encode()).digest())


def new_key_entry(key_id: str) -> str:
    """A ring entry with a fresh random key, to add in front of the ring."""
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise KeyRingError(f"key id {key_id!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return f"{key_id}:{Fernet.generate_key().decode()}"


def _parse_entry(entry: str, source: str) -> tuple[str, bytes]:
    key_id, separator, key = (part.strip() for part in entry.partition(":"))
    if not separator or not KEY_ID_PATTERN.fullmatch(key_id):
        raise KeyRingError(
            f"{source}: an entry is not `id:key` with an id of letters, digits, '.', '_' or '-'"
        )
    try:
        Fernet(key.encode())
    except ValueError:
        raise KeyRingError(
            f"{source}: key {key_id} is not a Fernet key (32 bytes, url-safe base64); "
            f"make one with {GENERATE_KEY}"
        ) from None
    return key_id, key.encode()
