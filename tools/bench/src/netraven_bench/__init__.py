"""`make bench`: what NetRaven costs per device, against a plain Netmiko pool and on its own.

`python -m netraven_bench` runs P1 and P2; `netraven_bench.logs`, `.git`, `.login` and `.sse`
measure the log pages, gitkeeper's commits, the api under a login flood and its live streams at
scale. Not shipped in any image.
"""
