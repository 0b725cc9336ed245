"""A device's TLS certificate checked the way its SSH host key is (docs/device-trust.md).

Devices serve self-signed certificates, so no certificate authority vouches for them: the
certificate's public key is pinned instead (`x509-spki`, netraven_shared/host_keys.py). The pinned
key must match; with nothing pinned the first key seen is trusted, unless pinning is strict. The
check runs right after the TLS handshake, before a byte of the request (and its password) leaves,
on every connection, a reconnect included.
"""

import base64
import http.client
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from netraven_shared.host_keys import X509_SPKI, HostKey

from netraven_worker.connection import HostKeyRefused


class CertificatePin:
    def __init__(self, hostname: str, pinned: HostKey | None, strict: bool) -> None:
        self._hostname = hostname
        self._strict = strict
        self.trusted = pinned  # the key the device proved it holds, once it did

    def check(self, certificate_der: bytes) -> None:
        offered = HostKey(key_type=X509_SPKI, public_key=_public_key(certificate_der))
        if self.trusted is None:
            if self._strict:
                raise HostKeyRefused(
                    f"no certificate key pinned for {self._hostname} and pinning is strict: "
                    f"an admin must accept {offered.fingerprint} or pre-load the key",
                    offered,
                )
            self.trusted = offered
        elif offered != self.trusted:
            raise HostKeyRefused(
                f"TLS certificate key changed: was {self.trusted.fingerprint}, now "
                f"{offered.fingerprint}; an admin must accept the new key",
                offered,
            )


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection that sends nothing to a device whose certificate key is not trusted."""

    def __init__(self, host: str, port: int, timeout: float, pin: CertificatePin) -> None:
        context = ssl.create_default_context()
        context.check_hostname = False  # the pin is the check: no authority signs a device's
        context.verify_mode = ssl.CERT_NONE
        super().__init__(host, port, timeout=timeout, context=context)
        self._pin = pin

    def connect(self) -> None:
        super().connect()
        assert isinstance(self.sock, ssl.SSLSocket)
        try:
            self._pin.check(self.sock.getpeercert(binary_form=True) or b"")
        except BaseException:
            self.close()
            raise


def _public_key(certificate_der: bytes) -> str:
    try:
        certificate = x509.load_der_x509_certificate(certificate_der)
    except ValueError as error:
        raise HostKeyRefused(f"the device sent no usable TLS certificate ({error})", None) from None
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(spki).decode()
