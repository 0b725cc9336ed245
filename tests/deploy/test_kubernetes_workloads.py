"""deploy/kubernetes runs every service the way docker-compose.yml does, as Kubernetes expects:
probes on the health ports, resources, no root, a disruption budget, one gitkeeper, three NATS
nodes, autoscaled workers, one way in."""

from tests.deploy.kubernetes_manifests import (
    COMPONENT,
    HEALTH_PORTS,
    METRICS_PORTS,
    WORKLOADS,
    component,
    containers,
    env_of,
    of_kind,
    pod_labels,
    pod_spec,
    selects,
)

SERVICES = set(HEALTH_PORTS) | {"nats"}


def _port_number(container: dict, port: int | str) -> int:
    if isinstance(port, int):
        return port
    (number,) = [p["containerPort"] for p in container["ports"] if p["name"] == port]
    return number


def _probe_port(container: dict, probe: dict) -> int:
    action = probe.get("httpGet") or probe["tcpSocket"]
    return _port_number(container, action["port"])


def _long_running(manifests: list[dict]) -> list[dict]:
    return of_kind(manifests, "Deployment", "StatefulSet")


class TestEveryService:
    def test_each_service_is_one_deployment_or_stateful_set(self, manifests):
        assert sorted(component(item) for item in _long_running(manifests)) == sorted(SERVICES)
        (job,) = of_kind(manifests, "Job")
        assert component(job) == "migrate"
        assert "python -m netraven_shared.db.migrate" in containers(job)[0]["command"][-1]

    def test_probes_on_the_health_ports(self, manifests):
        for workload in _long_running(manifests):
            name = component(workload)
            for container in containers(workload):
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    assert probe in container, (name, probe)
                if name == "nats":
                    continue
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    assert _probe_port(container, container[probe]) == HEALTH_PORTS[name]
                path = "/api/health" if name == "api" else "/health"
                assert container["readinessProbe"]["httpGet"]["path"] == path
                # A database outage makes a service unready, never restarted.
                assert "tcpSocket" in container["livenessProbe"], name

    def test_health_and_the_metrics_port_as_the_service_reads_them(self, manifests):
        for workload in of_kind(manifests, "Deployment", "StatefulSet"):
            name = component(workload)
            if name == "nats":
                continue
            (container,) = containers(workload)
            env = env_of(container)
            if name != "api":
                assert env["NETRAVEN_HEALTH_PORT"]["value"] == str(HEALTH_PORTS[name])
            annotations = workload["spec"]["template"]["metadata"]["annotations"]
            assert annotations["prometheus.io/scrape"] == "true"
            assert annotations["prometheus.io/port"] == str(METRICS_PORTS[name])

    def test_resource_requests_and_limits(self, manifests):
        for workload in of_kind(manifests, *WORKLOADS):
            for container in containers(workload):
                resources = container["resources"]
                for kind in ("requests", "limits"):
                    assert set(resources[kind]) == {"cpu", "memory"}, (component(workload), kind)

    def test_non_root_read_only_without_capabilities(self, manifests):
        for workload in of_kind(manifests, *WORKLOADS):
            pod = pod_spec(workload)
            assert pod["securityContext"]["runAsNonRoot"] is True
            assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
            assert pod["automountServiceAccountToken"] is False
            for container in containers(workload):
                context = container["securityContext"]
                assert context["readOnlyRootFilesystem"] is True
                assert context["allowPrivilegeEscalation"] is False
                assert context["capabilities"]["drop"] == ["ALL"]
                mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
                assert "/tmp" in mounts

    def test_a_disruption_budget_for_every_service(self, manifests):
        budgets = of_kind(manifests, "PodDisruptionBudget")
        for workload in _long_running(manifests):
            matching = [b for b in budgets if selects(b["spec"]["selector"], pod_labels(workload))]
            assert len(matching) == 1, component(workload)
            if "minAvailable" in matching[0]["spec"]:
                replicas = workload["spec"]["replicas"]
                assert matching[0]["spec"]["minAvailable"] < replicas, component(workload)


class TestStatefulParts:
    def test_gitkeeper_is_one_stateful_pod_with_the_repository_on_its_volume(self, manifests):
        (gitkeeper,) = [s for s in of_kind(manifests, "StatefulSet") if component(s) == "gitkeeper"]
        assert gitkeeper["spec"]["replicas"] == 1
        (claim,) = gitkeeper["spec"]["volumeClaimTemplates"]
        (container,) = containers(gitkeeper)
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        assert env_of(container)["NETRAVEN_REPO_PATH"]["value"] == mounts[claim["metadata"]["name"]]

    def test_nats_is_three_jetstream_nodes_each_with_its_store(self, manifests):
        (nats,) = [s for s in of_kind(manifests, "StatefulSet") if component(s) == "nats"]
        assert nats["spec"]["replicas"] == 3
        (container,) = containers(nats)
        assert "--server_name" in container["args"]
        (claim,) = nats["spec"]["volumeClaimTemplates"]
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        assert mounts[claim["metadata"]["name"]] == "/data"
        assert "js-enabled-only" in container["livenessProbe"]["httpGet"]["path"]
        (budget,) = [
            b
            for b in of_kind(manifests, "PodDisruptionBudget")
            if selects(b["spec"]["selector"], pod_labels(nats))
        ]
        assert budget["spec"]["maxUnavailable"] == 1

    def test_the_services_keep_three_copies_of_each_stream(self, manifests):
        (common,) = [
            c
            for c in of_kind(manifests, "ConfigMap")
            if c["metadata"]["name"].startswith("netraven-common")
        ]
        assert common["data"]["NETRAVEN_STREAM_REPLICAS"] == "3"
        assert common["data"]["NETRAVEN_NATS_URL"] == "tls://nats:4222"
        (client,) = [s for s in of_kind(manifests, "Service") if s["metadata"]["name"] == "nats"]
        assert [p["port"] for p in client["spec"]["ports"]] == [4222]


class TestScalingAndExposure:
    def test_the_autoscaler_scales_the_workers(self, manifests):
        (autoscaler,) = of_kind(manifests, "HorizontalPodAutoscaler")
        target = autoscaler["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", "worker")
        (worker,) = [d for d in of_kind(manifests, "Deployment") if component(d) == "worker"]
        # The autoscaler owns the count: an apply must not reset it.
        assert "replicas" not in worker["spec"]
        assert 2 <= autoscaler["spec"]["minReplicas"] < autoscaler["spec"]["maxReplicas"]

    def test_only_the_api_has_an_ingress_and_no_service_is_exposed_otherwise(self, manifests):
        (ingress,) = of_kind(manifests, "Ingress")
        backends = {
            path["backend"]["service"]["name"]
            for rule in ingress["spec"]["rules"]
            for path in rule["http"]["paths"]
        }
        assert backends == {"api"}
        for service in of_kind(manifests, "Service"):
            assert service["spec"].get("type", "ClusterIP") == "ClusterIP"
        assert {s["metadata"]["labels"][COMPONENT] for s in of_kind(manifests, "Service")} == {
            "api",
            "nats",
            "gitkeeper",
        }
