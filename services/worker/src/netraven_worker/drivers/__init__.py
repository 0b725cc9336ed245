"""Tools for operators writing driver files: `python -m netraven_worker.drivers test ...`."""
