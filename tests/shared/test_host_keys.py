import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from netraven_shared.host_keys import (
    X509_SPKI,
    HostKey,
    InvalidHostKey,
    fingerprint_of,
    known_hosts_name,
    parse_known_hosts,
)

# An Ed25519 public key and the fingerprint `ssh-keygen -lf` prints for it.
ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIA1RgGvXLJoO49+wEd2AhyXXw/kr7FdKzucrFmAdtTpL"
ED25519_FINGERPRINT = "SHA256:OdaTjk+kMDGQS9cIiva/RpKM2GvTJD9DC6jg8kSpdyo"


def test_the_fingerprint_is_the_one_ssh_keygen_prints() -> None:
    assert fingerprint_of(ED25519) == ED25519_FINGERPRINT
    assert HostKey(key_type="ssh-ed25519", public_key=ED25519).fingerprint == ED25519_FINGERPRINT


def test_a_fingerprint_that_is_not_the_keys_is_refused() -> None:
    with pytest.raises(ValueError, match="is not the key's"):
        HostKey(key_type="ssh-ed25519", public_key=ED25519, fingerprint="SHA256:" + "A" * 43)


def test_parse_reads_a_pub_file_line_and_checks_the_type_inside_the_blob() -> None:
    assert HostKey.parse(f"ssh-ed25519 {ED25519} root@r1").openssh() == f"ssh-ed25519 {ED25519}"
    with pytest.raises(InvalidHostKey, match="not of type ssh-rsa"):
        HostKey.parse(f"ssh-rsa {ED25519}")
    with pytest.raises(InvalidHostKey, match="expected"):
        HostKey.parse("ssh-ed25519")
    with pytest.raises(InvalidHostKey):
        HostKey.parse("ssh-ed25519 not*base64")


def test_parse_reads_a_tls_certificates_public_key_and_checks_it_is_one() -> None:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    spki = base64.b64encode(
        key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    ).decode()
    parsed = HostKey.parse(f"{X509_SPKI} {spki}")
    assert (parsed.key_type, parsed.public_key) == (X509_SPKI, spki)
    assert parsed.fingerprint == fingerprint_of(spki)
    with pytest.raises(InvalidHostKey, match="not a DER SubjectPublicKeyInfo"):
        HostKey.parse(f"{X509_SPKI} {ED25519}")


def test_known_hosts_lines_give_their_host_patterns_and_reject_what_cannot_be_matched() -> None:
    text = f"# lab\n\n[10.0.0.1]:2222,r1 ssh-ed25519 {ED25519}\n"
    [(hosts, key)] = parse_known_hosts(text)
    assert hosts == ["[10.0.0.1]:2222", "r1"] and key.fingerprint == ED25519_FINGERPRINT
    hashed = "|1|" + base64.b64encode(b"x").decode() + f" ssh-ed25519 {ED25519}"
    with pytest.raises(InvalidHostKey, match="line 1: hashed host names"):
        parse_known_hosts(hashed)
    with pytest.raises(InvalidHostKey, match="line 2: markers"):
        parse_known_hosts(f"r1 ssh-ed25519 {ED25519}\n@revoked r2 ssh-ed25519 {ED25519}")


def test_known_hosts_names_a_host_on_another_port_in_brackets() -> None:
    assert known_hosts_name("10.0.0.1", 22) == "10.0.0.1"
    assert known_hosts_name("10.0.0.1", 2222) == "[10.0.0.1]:2222"
