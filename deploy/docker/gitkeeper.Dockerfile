# syntax=docker/dockerfile:1
# netraven-gitkeeper: the only writer of the config git repository (NETRAVEN_REPO_PATH).
# Build context: the repo root (docker compose does this; by hand: docker build -f deploy/docker/gitkeeper.Dockerfile .)

FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Third-party dependencies first, so this layer changes only with the lock.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package netraven-gitkeeper
COPY shared/ shared/
COPY services/gitkeeper/ services/gitkeeper/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package netraven-gitkeeper

FROM python:3.11-slim
# Gitkeeper runs the git command line (2.36+ for core.fsync), one short process per command, and
# ssh for mirrors on SSH remotes (docs/mirrors.md).
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 10001 netraven && useradd --create-home --uid 10001 --gid netraven netraven
# Made here so a new named volume mounted on /data/configs starts owned by netraven.
RUN mkdir -p /data/configs && chown -R netraven:netraven /data
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 NETRAVEN_REPO_PATH=/data/configs
USER 10001:10001
WORKDIR /app
EXPOSE 8104
CMD ["python", "-m", "netraven_gitkeeper"]
