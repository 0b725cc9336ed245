# syntax=docker/dockerfile:1
# netraven-notifier: turns bus events into notifications (Apprise URLs, signed webhooks).
# Build context: the repo root (docker compose does this; by hand: docker build -f deploy/docker/notifier.Dockerfile .)

FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Third-party dependencies first, so this layer changes only with the lock.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package netraven-notifier
COPY shared/ shared/
COPY services/notifier/ services/notifier/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package netraven-notifier

FROM python:3.11-slim
RUN groupadd --gid 10001 netraven && useradd --create-home --uid 10001 --gid netraven netraven
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1
USER 10001:10001
WORKDIR /app
EXPOSE 8105
CMD ["python", "-m", "netraven_notifier"]
