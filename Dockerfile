# runbot in a container: the runtime dependencies only, as a non-root user.
#
#   docker build -t runbot .
#   docker run -d --init --env-file .env -v runbot-data:/data -p 127.0.0.1:8080:8080 runbot
#
# --init: a process that is PID 1 gets no default action for SIGTERM, so `docker stop`
# would wait out its timeout unless runbot handles the signal itself; an init passes it on.
#
# The knowledge shipped in the repository is baked in at /knowledge; mount your own folder
# there to replace it (edits reload by themselves). The question log lives in /data, a volume.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# Only for building behind a private package index or a TLS-inspecting proxy; neither is
# kept in the final image.
ARG PIP_INDEX_URL
ARG PIP_CERT
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY requirements.lock ./
# The pinned runtime dependencies first: this layer is reused until requirements.lock changes.
RUN python -m venv /opt/runbot && /opt/runbot/bin/pip install -r requirements.lock
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY adapters ./adapters
COPY knowledge ./knowledge
# Installed as a wheel, not editable; answering one question proves the install.
RUN /opt/runbot/bin/pip install --no-deps . \
    && /opt/runbot/bin/runbot ask hi > /dev/null

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 runbot \
    && useradd --system --uid 10001 --gid runbot --home-dir /data --no-create-home runbot \
    && mkdir /data && chown runbot:runbot /data
COPY --from=build /opt/runbot /opt/runbot
COPY knowledge /knowledge
ENV PATH=/opt/runbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    RUNBOT_KNOWLEDGE_DIR=/knowledge \
    RUNBOT_DB=/data/runbot.db \
    RUNBOT_HEALTH_LISTEN=0.0.0.0 \
    RUNBOT_HEALTH_PORT=8080
WORKDIR /data
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["runbot", "health"]
# SIGTERM (docker stop) is how runbot is asked to stop.
STOPSIGNAL SIGTERM
CMD ["runbot", "run"]
