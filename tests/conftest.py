pytest_plugins = ["tests.fixtures.infra", "tests.fixtures.api", "tests.fixtures.lab", "tests.fixtures.stack", "tests.fixtures.broker", "tests.fixtures.tcp_proxy"]
