"""The benchmark's worker: `python -m netraven_bench.worker` runs NetRaven's worker with the
instant fake session (`fake_session`) in place of SSH, so devices are NOT contacted. Production
code has no such switch: the benchmark injects its stand-in through the worker's entry."""

from netraven_worker.__main__ import main

from netraven_bench.fake_session import instant_session

if __name__ == "__main__":
    main(collect=instant_session)
