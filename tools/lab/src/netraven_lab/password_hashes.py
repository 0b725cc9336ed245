"""Strings shaped like the secrets IOS prints: reversible type 7, and type 5 / type 9 hashes."""

import random

_TYPE7_KEY = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
_CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def type7(plaintext: str, salt: int) -> str:
    """The real (reversible) Cisco type 7 encoding, e.g. type7("cisco", 8) == "0822455D0A16"."""
    encoded = (
        f"{ord(char) ^ ord(_TYPE7_KEY[(salt + index) % len(_TYPE7_KEY)]):02X}"
        for index, char in enumerate(plaintext)
    )
    return f"{salt:02d}" + "".join(encoded)


def _crypt_chars(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(_CRYPT_ALPHABET) for _ in range(length))


def md5_crypt_shaped(rng: random.Random) -> str:
    """Looks like a type 5 secret; nothing needs to verify it."""
    return f"$1${_crypt_chars(rng, 4)}${_crypt_chars(rng, 22)}"


def scrypt_shaped(rng: random.Random) -> str:
    """Looks like a type 9 secret; nothing needs to verify it."""
    return f"$9${_crypt_chars(rng, 14)}${_crypt_chars(rng, 43)}"
