# syntax=docker/dockerfile:1
# One image for every intake service (the CDK app and compose.yaml choose the command).
# Stage 1 installs and builds; stage 2 holds the production build, production
# dependencies, data files and Debian's tesseract, and runs as a non-root user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV npm_config_audit=false npm_config_fund=false
# The workspaces' package.json files sit beside their sources, so the build context is copied
# before `npm ci` (.dockerignore keeps tests, samples, benches and node_modules out).
COPY package.json package-lock.json ./
COPY shared/ shared/
COPY services/ services/
COPY infra/package.json infra/
COPY scripts/ scripts/
COPY tsconfig.base.json tsconfig.json ./
RUN npm ci
RUN npm run build \
 && npm prune --omit=dev \
 && rm -rf infra \
 # No TypeScript in the runtime image: it runs dist/ only.
 && find shared services -name '*.ts' -not -path '*/node_modules/*' -delete \
 && rm -rf scripts

FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The one writable place in the image: a volume mounted here (compose's review data) starts owned by the user.
RUN mkdir -p /data && chown node:node /data
ENV NODE_ENV=production \
    INTAKE_OCR_ENGINE=native \
    INTAKE_REDIS_AUTOSTART=false \
    INTAKE_DATA_DIR=/tmp/intake
# The image's files stay root-owned and read-only to the process; it writes only /tmp
# (and, for fax-drop, the mounted share).
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/cli.js", "--help"]
