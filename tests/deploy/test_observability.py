"""deploy/observability/: the alert rules pass promtool's check and unit tests, the example scrape
configuration is valid, every dashboard query is valid PromQL, and the rules and dashboard use
only metric names the services register (the e2e test tests/e2e/test_metrics.py checks the same
against a running stack's scrapes)."""

import subprocess
from pathlib import Path

import netraven_gitkeeper.git_metrics
import netraven_notifier.sender
import netraven_shared.metrics.consumers
import netraven_shared.metrics.db_pool
import netraven_shared.rejected_events
import netraven_worker.backup_metrics
import yaml
from prometheus_client import REGISTRY, generate_latest

from tests.fixtures.observability import (
    ALERTS,
    ALERTS_TEST,
    FLEET_FRESHNESS,
    SCRAPE_CONFIG,
    alert_expressions,
    dashboard_expressions,
    series_names,
    used_metric_names,
)

SERVICE_FAMILIES = (
    netraven_gitkeeper.git_metrics,
    netraven_notifier.sender,
    netraven_shared.metrics.consumers,
    netraven_shared.metrics.db_pool,
    netraven_shared.rejected_events,
    netraven_worker.backup_metrics,
)


def promtool(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    # `make test-python` installs it (the Makefile's test-packages target): no skip
    return subprocess.run(
        ["promtool", *map(str, arguments)], check=False, capture_output=True, text=True, timeout=60
    )


class TestAlertRules:
    def test_promtool_accepts_the_rules(self) -> None:
        checked = promtool("check", "rules", ALERTS)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert f"SUCCESS: {len(alert_expressions())} rules found" in checked.stdout

    def test_the_alerts_unit_tests_pass(self) -> None:
        tested = promtool("test", "rules", ALERTS_TEST)
        assert tested.returncode == 0, tested.stdout + tested.stderr

    def test_every_alert_tells_the_operator_what_to_do(self) -> None:
        rules = [
            rule
            for group in yaml.safe_load(ALERTS.read_text())["groups"]
            for rule in group["rules"]
        ]
        for rule in rules:
            assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
            assert rule["annotations"]["summary"], rule["alert"]
            assert len(rule["annotations"]["description"]) > 150, rule["alert"]

    def test_the_issue_s_alerts_are_all_there(self) -> None:
        assert {
            "NetRavenBackupsStale",
            "NetRavenBackupFailureRatioHigh",
            "NetRavenConsumerLagHigh",
            "NetRavenConsumerLagGrowing",
            "NetRavenMirrorPushFailing",
            "NetRavenServiceDown",
        } <= set(alert_expressions())


class TestScrapeConfig:
    def test_promtool_accepts_the_example_configuration(self) -> None:
        checked = promtool("check", "config", SCRAPE_CONFIG)
        assert checked.returncode == 0, checked.stdout + checked.stderr

    def test_it_scrapes_the_api_s_metrics_port_not_its_public_one(self) -> None:
        config = yaml.safe_load(SCRAPE_CONFIG.read_text())
        targets = {
            job["job_name"]: target
            for job in config["scrape_configs"]
            for static in job["static_configs"]
            for target in static["targets"]
        }
        assert targets == {
            "netraven-api": "api:8100",
            "netraven-scheduler": "scheduler:8101",
            "netraven-worker": "worker:8102",
            "netraven-log-collector": "log-collector:8103",
            "netraven-gitkeeper": "gitkeeper:8104",
            "netraven-notifier": "notifier:8105",
        }


class TestDashboard:
    def test_every_query_is_valid_promql(self, tmp_path: Path) -> None:
        """promtool has no query check without a server: each query becomes a recording rule."""
        queries = dashboard_expressions()
        rules = tmp_path / "dashboard_queries.yml"
        rules.write_text(
            yaml.safe_dump(
                {
                    "groups": [
                        {
                            "name": "dashboard",
                            "rules": [
                                {"record": f"dashboard:query_{index}", "expr": expr}
                                for index, expr in enumerate(queries.values())
                            ],
                        }
                    ]
                }
            )
        )
        checked = promtool("check", "rules", rules)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert len(queries) > 20

    def test_it_shows_every_family_the_issue_names(self) -> None:
        queried = " ".join(dashboard_expressions().values())
        for family in (
            "netraven_devices_by_backup_age",
            "netraven_fleet_stale_devices",
            "netraven_backups_total",
            "netraven_backup_session_seconds_bucket",
            "netraven_consumer_pending_messages",
            "netraven_git_commits_total",
            "netraven_rejected_events_total",
            "netraven_notifications_total",
            "netraven_db_pool_connections",
        ):
            assert family in queried, family


class TestMetricNames:
    def test_rules_and_dashboard_use_only_names_the_services_register(self) -> None:
        assert SERVICE_FAMILIES  # imported for the families they register
        registered = series_names(generate_latest(REGISTRY).decode()) | {"up"}
        unknown = used_metric_names() - registered - FLEET_FRESHNESS
        assert not unknown, f"used by the rules or the dashboard, exported by no service: {unknown}"

    def test_the_names_check_would_catch_a_typo(self) -> None:
        registered = series_names(generate_latest(REGISTRY).decode())
        assert "netraven_backups_total" in registered
        assert "netraven_backup_total" not in registered
