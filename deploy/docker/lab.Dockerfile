# syntax=docker/dockerfile:1
# netraven-lab: simulated Cisco IOS devices over SSH, for demos and end-to-end tests. Not for production.
# Build context: the repo root (docker compose does this; by hand: docker build -f deploy/docker/lab.Dockerfile .)

FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Third-party dependencies first, so this layer changes only with the lock.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package netraven-lab
# The lab does not use netraven-shared.
COPY tools/lab/ tools/lab/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package netraven-lab

FROM python:3.11-slim
RUN groupadd --gid 10001 netraven && useradd --create-home --uid 10001 --gid netraven netraven
# Made here so a new named volume mounted on /lab (inventory, host key) starts owned by netraven.
RUN mkdir /lab && chown netraven:netraven /lab
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1
USER 10001:10001
WORKDIR /app
EXPOSE 10022-10026
CMD ["python", "-m", "netraven_lab", "--host", "0.0.0.0", "--inventory", "/lab/inventory.json", "--host-key", "/lab/ssh_host_key"]
