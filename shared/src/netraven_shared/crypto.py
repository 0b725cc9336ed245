"""Encryption at rest for device credentials: a MultiFernet over the key ring
(credential_keys.py)."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from netraven_shared.credential_keys import LEGACY_KEY_ID, KeyRing
from netraven_shared.errors import Conflict
from netraven_shared.settings import SecretSettings


class MissingCredentialKey(Conflict):
    """A credential sealed with a key the ring lacks (its id is absent, or now names another key):
    put the key back, or enter the credential again."""


class CredentialCipher:
    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring
        self._fernet = MultiFernet([Fernet(key) for _, key in ring.keys])

    @property
    def primary_key_id(self) -> str:
        """The id of the key `encrypt` uses: record it beside the ciphertext."""
        return self.ring.primary_id

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, token: bytes, *, key_id: str, credential: str) -> str:
        self.require(key_id, credential)
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken:
            raise self._wrong_key(key_id, credential) from None

    def reencrypt(self, token: bytes, *, key_id: str, credential: str) -> bytes:
        """The same secret sealed with the primary key (for rotation)."""
        self.require(key_id, credential)
        try:
            return self._fernet.rotate(token)
        except InvalidToken:
            raise self._wrong_key(key_id, credential) from None

    def require(self, key_id: str, credential: str) -> None:
        if key_id in self.ring.ids:
            return
        restore = (
            "set NETRAVEN_CREDENTIAL_KEY to the old secret"
            if key_id == LEGACY_KEY_ID
            else "add that key back to the ring"
        )
        raise MissingCredentialKey(
            f"credential '{credential}' is encrypted with key {key_id}, "
            f"which is not in {self.ring.source}: "
            f"{restore} (then run `credential-keys rotate`), or enter the credential again"
        )

    def _wrong_key(self, key_id: str, credential: str) -> MissingCredentialKey:
        return MissingCredentialKey(
            f"credential '{credential}' does not decrypt with any key of {self.ring.source}, "
            f"although it names key {key_id}: that id now holds another key than the one that "
            "encrypted it; put the original key back"
        )


def credential_cipher(settings: SecretSettings) -> CredentialCipher:
    return CredentialCipher(settings.credential_ring)
