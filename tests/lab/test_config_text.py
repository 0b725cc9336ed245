import random
import re

import pytest
from netraven_lab.config_text import bump_revision, generate_config
from netraven_lab.password_hashes import md5_crypt_shaped, scrypt_shaped, type7


class TestGeneratedConfig:
    def test_same_hostname_and_size_give_the_same_text(self) -> None:
        assert generate_config("lab-rtr-01", 4096) == generate_config("lab-rtr-01", 4096)

    def test_hostnames_give_different_configs(self) -> None:
        assert generate_config("lab-rtr-01") != generate_config("lab-rtr-02")

    def test_names_its_device_and_ends_like_ios(self) -> None:
        text = generate_config("lab-rtr-07")
        assert "\nhostname lab-rtr-07\n" in text
        assert text.startswith("!\nversion ")
        assert text.endswith("\nend\n")

    @pytest.mark.parametrize(
        "secret",
        [
            r"^enable secret 5 \$1\$\S+$",
            r"^username admin privilege 15 password 7 0822455D0A16$",
            r"^username \S+ privilege 15 secret 9 \$9\$\S+$",
            r"^snmp-server community S3cr3tRO RO",
            r"^tacacs-server host \S+ key 7 [0-9A-F]+$",
            r"^ key 7 [0-9A-F]+$",
            r"^ntp authentication-key 1 md5 [0-9A-F]+ 7$",
            r"^ password 7 [0-9A-F]+$",
        ],
    )
    def test_carries_secrets_for_redaction_to_find(self, secret: str) -> None:
        assert re.search(secret, generate_config("lab-rtr-01"), re.MULTILINE)

    @pytest.mark.parametrize("size", [2048, 20_000, 200_000])
    def test_grows_to_the_size_hint(self, size: int) -> None:
        text = generate_config("lab-rtr-01", size)
        assert size <= len(text) < size + 512

    def test_pads_with_access_ports_and_acl_entries(self) -> None:
        text = generate_config("lab-rtr-01", 200_000)
        assert text.count("\ninterface GigabitEthernet") > 500
        assert len(re.findall(r"^ \d+ permit tcp any host", text, re.MULTILINE)) > 500


class TestBumpRevision:
    def test_changes_exactly_one_line(self) -> None:
        before = generate_config("lab-rtr-01")
        after = bump_revision(before)
        changed = [
            pair for pair in zip(before.splitlines(), after.splitlines()) if pair[0] != pair[1]
        ]
        assert changed == [(" description lab revision 0", " description lab revision 1")]

    def test_counts_up(self) -> None:
        text = bump_revision(bump_revision(generate_config("lab-rtr-01")))
        assert " description lab revision 2\n" in text


class TestPasswordHashes:
    def test_type7_matches_ios(self) -> None:
        assert type7("cisco", 8) == "0822455D0A16"

    def test_hash_shapes(self) -> None:
        rng = random.Random(1)
        assert re.fullmatch(r"\$1\$[./0-9A-Za-z]{4}\$[./0-9A-Za-z]{22}", md5_crypt_shaped(rng))
        assert re.fullmatch(r"\$9\$[./0-9A-Za-z]{14}\$[./0-9A-Za-z]{43}", scrypt_shaped(rng))
