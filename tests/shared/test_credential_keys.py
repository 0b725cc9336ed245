import pytest
from cryptography.fernet import Fernet
from netraven_shared.credential_keys import (
    LEGACY_KEY_ID,
    KeyRing,
    KeyRingError,
    legacy_key,
    new_key_entry,
)
from netraven_shared.crypto import CredentialCipher, MissingCredentialKey

K1 = Fernet.generate_key().decode()
K2 = Fernet.generate_key().decode()
SOURCE = "NETRAVEN_CREDENTIAL_KEYS"


def ring(text: str) -> KeyRing:
    return KeyRing.parse(text, SOURCE)


class TestParsing:
    def test_the_first_key_is_the_primary(self) -> None:
        parsed = ring(f"k2:{K2}, k1:{K1}")
        assert parsed.ids == ["k2", "k1"]
        assert parsed.primary_id == "k2"

    def test_one_entry_a_line_with_comments(self) -> None:
        assert ring(f"# rotated 2026-12\nk2:{K2}\n\nk1:{K1}\n").ids == ["k2", "k1"]

    def test_an_entry_without_an_id_is_refused_without_echoing_it(self) -> None:
        with pytest.raises(KeyRingError, match="not `id:key`") as refused:
            ring(K1)
        assert K1 not in str(refused.value)

    def test_a_key_that_is_not_fernet_is_refused_by_its_id(self) -> None:
        with pytest.raises(KeyRingError, match="key k1 is not a Fernet key.*Fernet.generate_key"):
            ring("k1:" + "x" * 32)

    def test_an_id_twice_is_refused(self) -> None:
        with pytest.raises(KeyRingError, match="names key k1 more than once"):
            ring(f"k1:{K1},k1:{K2}")

    def test_an_empty_ring_is_refused(self) -> None:
        with pytest.raises(KeyRingError, match="holds no key"):
            ring(" , \n# nothing\n")

    def test_a_ring_naming_legacy_cannot_take_the_legacy_key_too(self) -> None:
        with pytest.raises(KeyRingError, match="names key legacy more than once"):
            ring(f"legacy:{K1}").plus_legacy("old-secret-0123456789abcdefghijklmnop")

    def test_new_entries_parse_and_differ(self) -> None:
        first, second = new_key_entry("k3"), new_key_entry("k3")
        assert first != second
        assert ring(first).ids == ["k3"]

    def test_a_new_entry_needs_a_plain_id(self) -> None:
        with pytest.raises(KeyRingError, match="key id"):
            new_key_entry("k 3:")


class TestCipher:
    def test_what_the_old_single_key_sealed_still_opens_as_legacy(self) -> None:
        material = "the-old-credential-key-0123456789abcdef"
        sealed_the_old_way = Fernet(legacy_key(material)).encrypt(b"old-password")
        cipher = CredentialCipher(ring(f"k1:{K1}").plus_legacy(material))
        assert (
            cipher.decrypt(sealed_the_old_way, key_id=LEGACY_KEY_ID, credential="old")
            == "old-password"
        )

    def test_the_primary_encrypts_and_an_older_key_still_decrypts(self) -> None:
        sealed = CredentialCipher(ring(f"k1:{K1}")).encrypt("pw")
        rotated_ring = CredentialCipher(ring(f"k2:{K2},k1:{K1}"))
        assert rotated_ring.primary_key_id == "k2"
        assert rotated_ring.decrypt(sealed, key_id="k1", credential="c") == "pw"
        resealed = rotated_ring.reencrypt(sealed, key_id="k1", credential="c")
        assert (
            CredentialCipher(ring(f"k2:{K2}")).decrypt(resealed, key_id="k2", credential="c")
            == "pw"
        )

    def test_a_missing_key_is_named_with_the_credential(self) -> None:
        sealed = CredentialCipher(ring(f"k1:{K1}")).encrypt("pw")
        with pytest.raises(MissingCredentialKey) as missing:
            CredentialCipher(ring(f"k2:{K2}")).decrypt(sealed, key_id="k1", credential="lab-admin")
        assert str(missing.value).startswith(
            "credential 'lab-admin' is encrypted with key k1, "
            "which is not in NETRAVEN_CREDENTIAL_KEYS"
        )

    def test_a_missing_legacy_key_points_at_the_old_variable(self) -> None:
        with pytest.raises(
            MissingCredentialKey, match="set NETRAVEN_CREDENTIAL_KEY to the old secret"
        ):
            CredentialCipher(ring(f"k2:{K2}")).require(LEGACY_KEY_ID, "lab-admin")

    def test_an_id_now_holding_another_key_says_so(self) -> None:
        sealed = CredentialCipher(ring(f"k1:{K1}")).encrypt("pw")
        with pytest.raises(
            MissingCredentialKey, match="'lab-admin' does not decrypt.*names key k1"
        ):
            CredentialCipher(ring(f"k1:{K2}")).decrypt(sealed, key_id="k1", credential="lab-admin")
