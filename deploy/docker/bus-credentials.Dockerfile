# syntax=docker/dockerfile:1
# netraven-bus-credentials: one-shot that writes the bus secrets (CA, server certificate, one nkey
# per identity, JetStream encryption key) and nats-server.conf into a volume, once.
# Build context: the repo root (docker compose does this; by hand: docker build -f deploy/docker/bus-credentials.Dockerfile .)

FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Third-party dependencies first, so this layer changes only with the lock.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package netraven-devstack
COPY shared/ shared/
COPY services/ services/
COPY tools/lab/ tools/lab/
COPY deploy/devstack/ deploy/devstack/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package netraven-devstack

FROM python:3.11-slim
RUN groupadd --gid 10001 netraven && useradd --create-home --uid 10001 --gid netraven netraven \
    && mkdir /bus && chown 10001:10001 /bus
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1
USER 10001:10001
WORKDIR /app
CMD ["python", "-m", "netraven_devstack.bus_credentials", "/bus"]
