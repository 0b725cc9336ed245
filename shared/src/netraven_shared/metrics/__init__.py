"""Prometheus metrics: the families every service shares, where they are served, and how the
worker's processes add theirs up (docs/operations.md, "Metrics and alerts").

Each family is declared once, beside the concept it counts, and recorded where the fact is known;
`exposition` serves whatever the process registered on prometheus-client's default registry."""
