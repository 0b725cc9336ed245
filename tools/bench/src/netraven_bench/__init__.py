"""`make bench`: what NetRaven costs per device, against a plain Netmiko pool and on its own.

`python -m netraven_bench` runs P1 and P2; `netraven_bench.logs`, `.git` and `.login` measure the
log pages, gitkeeper's commits and the api under a login flood. Not shipped in any image.
"""
