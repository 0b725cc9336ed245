import sys

from netraven_worker.drivers.replay import main

raise SystemExit(main(sys.argv[1:]))
