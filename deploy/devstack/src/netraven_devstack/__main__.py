import os
import signal
import sys
from pathlib import Path

from netraven_devstack.stack import run


def main() -> None:
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".netraven").resolve()
    # A build of one's own (NETRAVEN_FRONTEND_DIST) lets browser tests run while frontend/dist is
    # rebuilt.
    sys.exit(run(root, Path(os.environ.get("NETRAVEN_FRONTEND_DIST", "frontend/dist")).resolve()))


if __name__ == "__main__":
    main()
