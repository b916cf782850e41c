# syntax=docker/dockerfile:1
# One image recipe for every Fengqiao service, and for the tools. Build from the repository root:
#
#   docker build --build-arg SERVICE=intake -t fengqiao/intake:0.1.0 .
#
# SERVICE is one of gateway, intake, grid, court, procuratorate, police, justice, platform: the
# image holds the library and that one service and runs `fengqiao-serve $SERVICE`. No service
# image carries the `fengqiao` command. SERVICE=tools builds the operators' image, which has it
# (and every service, whose registries and OpenAPI it reads), for the one-shot jobs:
#   docker run --rm fengqiao/tools:0.1.0 fengqiao keys init
#   docker run --rm fengqiao/tools:0.1.0 fengqiao kafka apply
#   docker run --rm fengqiao/tools:0.1.0 fengqiao agency enrol ID --public-key KEY --url URL
#   docker run --rm fengqiao/tools:0.1.0 fengqiao audit verify
# and, built with SERVICE=platform, the stand-in provincial platform:
#   docker run --rm fengqiao/platform:0.1.0 python -m platform_adapter.sim --host 0.0.0.0 --port 8017

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/

ARG SERVICE
RUN case "${SERVICE}" in \
      gateway|intake|grid|court|procuratorate|police|justice|platform|tools) ;; \
      *) echo "build arg SERVICE='${SERVICE}': give one of gateway, intake, grid, court," \
              "procuratorate, police, justice, platform, tools (--build-arg SERVICE=intake)" >&2; \
         exit 1 ;; \
    esac

# Bytecode compiled once at build time; the venv holds real files (no links into the cache
# mount); the base image's Python, never a downloaded one.
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app

# Layer 1, the third-party dependencies: only the lock and the workspace's pyproject files
# (uv reads every member's), so this layer is rebuilt only when a dependency changes.
COPY pyproject.toml uv.lock ./
COPY shared/pyproject.toml shared/
COPY services/gateway/pyproject.toml services/gateway/
COPY services/intake/pyproject.toml services/intake/
COPY services/grid/pyproject.toml services/grid/
COPY services/court/pyproject.toml services/court/
COPY services/procuratorate/pyproject.toml services/procuratorate/
COPY services/police/pyproject.toml services/police/
COPY services/justice/pyproject.toml services/justice/
COPY services/platform/pyproject.toml services/platform/
COPY tools/pyproject.toml tools/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package "fengqiao-${SERVICE}"

# Layer 2, our code, installed as wheels (not editable), so the runtime stage needs the venv
# alone. Every member's source is copied (the tools need them all); `--package` installs only
# the library and this one service.
COPY shared/ shared/
COPY services/ services/
COPY tools/ tools/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "fengqiao-${SERVICE}"


FROM ${PYTHON_IMAGE}
ARG SERVICE

# A fixed non-root uid/gid (10001): compose and Kubernetes refer to it by number. The key
# directory is created here, owned by that user, so a fresh named volume mounted on it starts
# owned by it (Docker copies the mount point's owner and mode into an empty volume).
RUN groupadd --system --gid 10001 fengqiao \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/fengqiao --create-home \
      --shell /usr/sbin/nologin fengqiao \
 && install -d -o 10001 -g 10001 -m 0700 /var/lib/fengqiao

COPY --from=build /app/.venv /app/.venv

ENV PATH="/app/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FENGQIAO_SERVICE=${SERVICE} \
    FENGQIAO_HOME=/var/lib/fengqiao

WORKDIR /home/fengqiao
USER 10001:10001

# The service's port comes from its settings (FENGQIAO_<SERVICE>_PORT or the catalogue).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request as u; from fengqiao.catalog import spec_of; from fengqiao.settings import service_settings; n = os.environ['FENGQIAO_SERVICE']; p = service_settings(n, port=spec_of(n).port).port; sys.exit(u.urlopen(f'http://127.0.0.1:{p}/healthz', timeout=3).status != 200)"]

# exec: the service is PID 1 and gets the stop signal itself.
CMD ["/bin/sh", "-c", "exec fengqiao-serve \"$FENGQIAO_SERVICE\""]
