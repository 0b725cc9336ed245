import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, FastAPI
from netraven_shared.batch_consumer import BatchConsumer
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.drivers.catalog import load_catalog_logging_errors
from netraven_shared.messaging import build_broker, declare_streams
from netraven_shared.metrics.live_gauges import LiveGauges
from netraven_shared.operator_log import OperatorLog
from netraven_shared.retention import sweep_forever
from netraven_shared.service_heartbeat import ServiceHeartbeat, readiness_of
from netraven_shared.task_stop import stop_task

from netraven_api.api_tokens.endpoints import router as api_tokens_router
from netraven_api.audit.endpoints import router as audit_router
from netraven_api.audit.refusals import RecordRefusals
from netraven_api.auth.endpoints import router as auth_router
from netraven_api.auth.oidc.endpoints import router as oidc_router
from netraven_api.auth.password_change import router as password_change_router
from netraven_api.auth.password_pool import size_pool
from netraven_api.auth.throttle import LoginThrottle
from netraven_api.bus.endpoints import router as bus_router
from netraven_api.compliance.endpoints import router as compliance_router
from netraven_api.compliance.fleet_check import FleetChecks
from netraven_api.compliance.handlers import compliance_consumer
from netraven_api.config import ApiSettings
from netraven_api.config_filters.endpoints import router as config_filters_router
from netraven_api.configs.endpoints import router as configs_router
from netraven_api.credentials.endpoints import router as credentials_router
from netraven_api.devices.endpoints import router as devices_router
from netraven_api.devices.import_endpoint import router as device_import_router
from netraven_api.errors import document_errors, install_error_handlers
from netraven_api.freshness.endpoints import router as freshness_router
from netraven_api.freshness.gauges import FreshnessGauges
from netraven_api.frontend import mount_dashboard
from netraven_api.health.endpoints import router as health_router
from netraven_api.host_keys.endpoints import router as host_keys_router
from netraven_api.http_hardening.api_docs import mount_api_docs
from netraven_api.http_hardening.stack import harden
from netraven_api.inventory_sources.endpoints import router as inventory_sources_router
from netraven_api.inventory_sources.job_runs import InventorySyncer
from netraven_api.jobs.endpoints import router as jobs_router
from netraven_api.jump_hosts.endpoints import router as jump_hosts_router
from netraven_api.logs.endpoints import router as logs_router
from netraven_api.logs.feed import LogFeed
from netraven_api.management_networks.endpoints import router as management_networks_router
from netraven_api.mirrors.endpoints import router as mirrors_router
from netraven_api.notifications.endpoints import router as notifications_router
from netraven_api.notifications.from_environment import apply_notify_urls
from netraven_api.outbox_relay import OutboxRelay
from netraven_api.platforms.endpoints import router as platforms_router
from netraven_api.request_traces import trace_requests
from netraven_api.retention import api_retentions
from netraven_api.route_warmup import build_routes
from netraven_api.runs.bus_requests import register_bus_requests
from netraven_api.runs.endpoints import router as runs_router
from netraven_api.runs.handlers import recorder_consumers
from netraven_api.runs.live import RunAnnouncer
from netraven_api.runs.reconciler import reconcile_forever
from netraven_api.runs.start_run import register_start_run
from netraven_api.runs.stream import RunBroadcast
from netraven_api.services.endpoints import router as services_router
from netraven_api.sites.endpoints import router as sites_router
from netraven_api.sites.requests import with_key_ring
from netraven_api.tags.endpoints import router as tags_router
from netraven_api.users.endpoints import router as users_router
from netraven_api.workers.endpoints import router as workers_router


def create_app(settings: ApiSettings) -> FastAPI:
    engine = create_engine(settings.database_url, pool_size=10)
    sessions = with_key_ring(session_factory(engine), settings)
    broker = build_broker(settings, "api")
    announcer, run_broadcast = RunAnnouncer(broker), RunBroadcast(broker)
    log_feed = LogFeed(sessions)
    announcer.watch(sessions)
    relay = OutboxRelay(sessions, broker)
    consumers: list[BatchConsumer[Any]] = [
        *recorder_consumers(broker, sessions),
        compliance_consumer(broker, sessions, settings.gitkeeper_timeout_seconds),
    ]
    fleet_checks = FleetChecks(sessions, broker, settings.gitkeeper_timeout_seconds)
    catalog = load_catalog_logging_errors(settings.drivers_dir)
    syncer = InventorySyncer(settings, catalog)
    register_start_run(broker, sessions, relay, syncer)
    register_bus_requests(broker, sessions, relay)
    freshness_gauges = FreshnessGauges(
        sessions, settings.stale_after_hours, settings.freshness_refresh_seconds
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        build_routes(app)
        await apply_notify_urls(sessions, settings)
        await declare_streams(broker)
        await broker.start()
        await run_broadcast.start()
        for consumer in consumers:
            await consumer.start()
        size_pool(settings.password_threads)
        app.state.login_throttle = await LoginThrottle.open(
            broker.config.connection_state.stream,
            settings.login_backoff_after_failures,
            settings.login_backoff_cap_seconds,
            settings.stream_replicas,
        )
        deadline = timedelta(seconds=settings.result_deadline_seconds)
        background = [
            asyncio.create_task(relay.run_forever()),
            asyncio.create_task(announcer.run_forever()),
            asyncio.create_task(
                reconcile_forever(
                    sessions, broker, relay, deadline, settings.reconcile_interval_seconds
                )
            ),
            asyncio.create_task(
                sweep_forever(sessions, api_retentions(settings), OperatorLog(broker, "api"))
            ),
            asyncio.create_task(freshness_gauges.run_forever()),
        ]
        heartbeat = ServiceHeartbeat(
            broker,
            "api",
            readiness_of([consumer.not_ready_reason for consumer in consumers]),
            replicas=settings.stream_replicas,
        )
        await heartbeat.start()
        live_gauges = LiveGauges(broker, "api")
        await live_gauges.start()
        yield
        await live_gauges.stop()
        await heartbeat.stop()
        for task in background:
            await stop_task(task)
        await fleet_checks.close()
        await asyncio.gather(*(consumer.close() for consumer in consumers))
        await log_feed.close()
        await run_broadcast.stop()
        await broker.stop()
        await engine.dispose()

    app = FastAPI(
        title="NetRaven API",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,  # http_hardening/api_docs.py serves /api/docs
    )
    app.state.settings, app.state.sessions, app.state.broker, app.state.outbox_relay = (
        settings,
        sessions,
        broker,
        relay,
    )
    app.state.consumers, app.state.fleet_checks = consumers, fleet_checks
    app.state.driver_catalog, app.state.inventory_syncer = catalog, syncer
    app.state.run_broadcast, app.state.log_feed = run_broadcast, log_feed
    app.state.freshness_gauges = freshness_gauges
    install_error_handlers(app)
    app.add_middleware(RecordRefusals)
    harden(app, settings)
    document_errors(app)
    api = APIRouter(prefix="/api")
    routers = (
        health_router,
        auth_router,
        oidc_router,
        password_change_router,
        users_router,
        device_import_router,
        freshness_router,
        devices_router,
        platforms_router,
        host_keys_router,
        management_networks_router,
        jump_hosts_router,
        sites_router,
        inventory_sources_router,
        tags_router,
        credentials_router,
        jobs_router,
        runs_router,
        configs_router,
        compliance_router,
        config_filters_router,
        logs_router,
        workers_router,
        services_router,
        mirrors_router,
        bus_router,
        notifications_router,
        api_tokens_router,
        audit_router,
    )
    for router in routers:
        api.include_router(router)
    app.include_router(api)
    mount_api_docs(app)
    trace_requests(app)
    if settings.frontend_dist and (settings.frontend_dist / "index.html").is_file():
        mount_dashboard(app, settings.frontend_dist)
    return app
