"""A site's requests are sealed to its public key: only its private key opens them."""

import base64
import uuid

import pytest
from netraven_shared.events.site_dispatch import SiteRequest
from netraven_shared.site_seal import (
    CannotOpen,
    InvalidSiteKey,
    decoded_key,
    fingerprint,
    new_private_key,
    open_sealed,
    public_key_of,
    seal,
)


def request() -> SiteRequest:
    return SiteRequest(
        run_id=uuid.uuid4(),
        device_id=uuid.uuid4(),
        hostname="branch-a-sw-01",
        address="10.20.0.11",
        port=22,
        device_type="cisco_ios",
        logins=[
            {
                "credential_id": uuid.uuid4(),
                "name": "ops",
                "username": "netraven",
                "password": "the-site-password",
            }
        ],
    )


class TestSealing:
    def test_the_sites_key_opens_its_request(self) -> None:
        key, sealed_request = new_private_key(), request()
        assert open_sealed(seal(sealed_request, public_key_of(key)), key) == sealed_request

    def test_a_request_sealed_for_site_a_does_not_open_with_site_bs_key(self) -> None:
        site_a, site_b = new_private_key(), new_private_key()
        sealed = seal(request(), public_key_of(site_a))
        with pytest.raises(CannotOpen, match="does not open with this site's key"):
            open_sealed(sealed, site_b)

    def test_the_ciphertext_holds_no_secret(self) -> None:
        sealed = seal(request(), public_key_of(new_private_key()))
        assert b"the-site-password" not in base64.b64decode(sealed)
        assert "the-site-password" not in sealed

    def test_a_tampered_box_does_not_open(self) -> None:
        key = new_private_key()
        raw = bytearray(base64.b64decode(seal(request(), public_key_of(key))))
        raw[-1] ^= 1
        with pytest.raises(CannotOpen):
            open_sealed(base64.b64encode(bytes(raw)).decode(), key)

    def test_sealed_text_that_is_not_a_site_request_is_refused(self) -> None:
        from nacl.public import SealedBox

        key = new_private_key()
        sealed = base64.b64encode(SealedBox(key.public_key).encrypt(b'{"x": 1}')).decode()
        with pytest.raises(CannotOpen, match="not a site request"):
            open_sealed(sealed, key)


class TestSiteKeys:
    @pytest.mark.parametrize(
        ("text", "why"),
        [("not base64!", "not valid base64"), (base64.b64encode(b"short").decode(), "5 bytes")],
    )
    def test_a_bad_public_key_is_refused(self, text: str, why: str) -> None:
        with pytest.raises(InvalidSiteKey, match=why):
            decoded_key(text)

    def test_the_fingerprint_is_sha256_of_the_key(self) -> None:
        public = public_key_of(new_private_key())
        assert fingerprint(public).startswith("SHA256:")
        assert fingerprint(public) != fingerprint(public_key_of(new_private_key()))
