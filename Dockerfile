# One image for flow runs (Docker and Kubernetes work pools) and for the Kubernetes worker.
# Build from the repository root:  docker build -t REGISTRY/truthound-prefect:TAG .
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /opt/truthound-prefect

# The distributions first (this layer is cached until a package changes), then the flows.
COPY common ./common
COPY packages ./packages
# ENGINES: extra adapters to install besides Truthound, e.g. "great-expectations,pandera".
ARG ENGINES="great-expectations,pandera"
RUN pip install ./common ./packages/truthound ./packages/great-expectations ./packages/pandera \
        "./packages/prefect[${ENGINES}]" "prefect-kubernetes>=0.5" "prefect-docker>=0.6"

COPY deploy ./deploy
COPY prefect.yaml ./

RUN useradd --create-home --uid 10001 prefect
USER 10001

# The Kubernetes worker (k8s/deployment.yaml); flow runs override the command.
CMD ["prefect", "worker", "start", "--pool", "kubernetes-pool", "--type", "kubernetes"]
