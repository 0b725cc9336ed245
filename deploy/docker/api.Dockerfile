# syntax=docker/dockerfile:1
# netraven-api: the HTTP API and the dashboard. The same image runs migrations and bootstrap one-shots.
# Build context: the repo root (docker compose does this; by hand: docker build -f deploy/docker/api.Dockerfile .)

FROM node:20-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Third-party dependencies first, so this layer changes only with the lock.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package netraven-api
COPY shared/ shared/
COPY services/api/ services/api/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package netraven-api

FROM python:3.11-slim
RUN groupadd --gid 10001 netraven && useradd --create-home --uid 10001 --gid netraven netraven
COPY --from=build /app/.venv /app/.venv
COPY --from=frontend /src/frontend/dist /app/frontend
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 NETRAVEN_FRONTEND_DIST=/app/frontend
USER 10001:10001
WORKDIR /app
EXPOSE 8000
CMD ["python", "-m", "netraven_api"]
