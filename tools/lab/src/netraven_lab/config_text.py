"""Deterministic IOS running-configs, full of secrets for redaction to find, padded to a size."""

import random
import re

from netraven_lab.password_hashes import md5_crypt_shaped, scrypt_shaped, type7

_REVISION = re.compile(r"^( description lab revision )(\d+)$", re.MULTILINE)


def generate_config(hostname: str, size_bytes: int = 2048) -> str:
    """The same hostname and size always give the same text, at least size_bytes long."""
    rng = random.Random(hostname)
    site = rng.randrange(1, 250)
    head = _head(hostname, rng, site)
    acl_head = [
        "ip access-list extended EDGE-IN",
        " 10 permit tcp any any established",
        " 20 permit ospf any any",
    ]
    tail = _tail(rng, site)
    fixed_bytes = sum(len(line) + 1 for line in head + acl_head + tail)
    ports, acl_entries = _padding(random.Random(f"{hostname}/padding"), size_bytes - fixed_bytes)
    acl_end = [f" {30 + 10 * len(acl_entries)} deny   ip any any log", "!"]
    return "\n".join(head + ports + acl_head + acl_entries + acl_end + tail) + "\n"


def bump_revision(config_text: str) -> str:
    """Raise the Loopback0 description counter by one: a harmless, visible config change."""
    return _REVISION.sub(lambda match: f"{match[1]}{int(match[2]) + 1}", config_text, count=1)


def _head(hostname: str, rng: random.Random, site: int) -> list[str]:
    return [
        "!",
        "version 15.7",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "service password-encryption",
        "!",
        f"hostname {hostname}",
        "!",
        "boot-start-marker",
        "boot-end-marker",
        "!",
        f"enable secret 5 {md5_crypt_shaped(rng)}",
        "!",
        "aaa new-model",
        "aaa authentication login default group tacacs+ local",
        "aaa authorization exec default group tacacs+ local",
        "aaa session-id common",
        "clock timezone UTC 0 0",
        "!",
        "no ip domain lookup",
        "ip domain name lab.netraven.local",
        "ip cef",
        "!",
        "username admin privilege 15 password 7 0822455D0A16",
        f"username netops privilege 15 secret 9 {scrypt_shaped(rng)}",
        f"username backup privilege 15 password 7 {type7(f'Backup{site}!', rng.randrange(16))}",
        "!",
        "vlan 10",
        " name USERS",
        "vlan 20",
        " name VOICE",
        "vlan 99",
        " name MGMT",
        "!",
        "interface Loopback0",
        " description lab revision 0",
        f" ip address 10.255.{site}.1 255.255.255.255",
        "!",
        "interface GigabitEthernet0/0",
        f" description Uplink to core-{site:03d}",
        f" ip address 10.{site}.0.2 255.255.255.252",
        " ip access-group EDGE-IN in",
        " duplex auto",
        " speed auto",
        "!",
        "interface GigabitEthernet0/1",
        " description Users",
        f" ip address 10.{site}.10.1 255.255.255.0",
        " duplex auto",
        " speed auto",
        "!",
    ]


def _tail(rng: random.Random, site: int) -> list[str]:
    return [
        "router ospf 1",
        f" router-id 10.255.{site}.1",
        " passive-interface default",
        " no passive-interface GigabitEthernet0/0",
        f" network 10.{site}.0.0 0.0.255.255 area 0",
        "!",
        "no ip http server",
        "no ip http secure-server",
        "ip ssh version 2",
        "!",
        "ip access-list standard MGMT-HOSTS",
        " 10 permit 10.99.0.0 0.0.0.255",
        " 20 deny   any log",
        "!",
        "logging host 10.99.0.20",
        "snmp-server community S3cr3tRO RO MGMT-HOSTS",
        f"snmp-server community Wr1te{rng.randrange(1000, 9999)} RW MGMT-HOSTS",
        f"snmp-server location Lab site {site}",
        "snmp-server contact netops@lab.netraven.local",
        "!",
        f"tacacs-server host 10.99.0.11 key 7 {type7(f'TacOld{site}', rng.randrange(16))}",
        "tacacs server TACACS-1",
        " address ipv4 10.99.0.10",
        f" key 7 {type7(f'TacKey{site}', rng.randrange(16))}",
        "!",
        "banner motd ^C",
        "Authorized access only. Disconnect now if you are not authorised.",
        "^C",
        "!",
        "line con 0",
        " logging synchronous",
        "line vty 0 4",
        " access-class MGMT-HOSTS in",
        f" password 7 {type7(f'Vty{site}pass', rng.randrange(16))}",
        " transport input ssh",
        "!",
        f"ntp authentication-key 1 md5 {type7(f'Ntp{site}key', rng.randrange(16))} 7",
        "ntp authenticate",
        "ntp trusted-key 1",
        "ntp server 10.99.0.1 key 1",
        "!",
        "end",
    ]


def _padding(rng: random.Random, missing_bytes: int) -> tuple[list[str], list[str]]:
    """Access ports and ACL entries, about two bytes of ports per byte of ACL, until filled."""
    ports: list[str] = []
    acl_entries: list[str] = []
    port_bytes = acl_bytes = 0
    while port_bytes + acl_bytes < missing_bytes:
        if port_bytes <= 2 * acl_bytes:
            number = len(ports) // 6
            block = [
                f"interface GigabitEthernet{1 + number // 48}/0/{1 + number % 48}",
                f" description Access port {number + 1} desk {rng.randrange(100, 999)}",
                f" switchport access vlan {rng.choice((10, 20, 99))}",
                " switchport mode access",
                " spanning-tree portfast",
                "!",
            ]
            ports.extend(block)
            port_bytes += sum(len(line) + 1 for line in block)
        else:
            sequence = 30 + 10 * len(acl_entries)
            host = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            entry = f" {sequence} permit tcp any host {host} eq {rng.choice((22, 443, 8443))}"
            acl_entries.append(entry)
            acl_bytes += len(entry) + 1
    return ports, acl_entries
