# syntax=docker/dockerfile:1
# Cairn's apps from one multi-stage build: `--target ingest`, `api`, `intake`, `feed` or `cli`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# webpack.config.js emits the worker threads' scripts beside each app's main.js.
COPY tsconfig.json tsconfig.build.json nest-cli.json webpack.config.js ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The checkpoint log (CAIRN_INTEGRITY_CHECKPOINT_DIR): a volume mounted here starts owned by node.
RUN mkdir -p /var/lib/cairn/checkpoints && chown node:node /var/lib/cairn/checkpoints
ENV CAIRN_INTEGRITY_CHECKPOINT_DIR=/var/lib/cairn/checkpoints
# The image's unprivileged user; nothing in /app is writable by it.
USER node

FROM runtime AS ingest
# The metrics, health and readiness port binds to loopback unless CAIRN_INGEST_HOST says otherwise
# (docker-compose.yml and Kubernetes probes set it): /metrics is for the monitoring network only.
EXPOSE 4001
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:4001/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Ingest bounds what it holds in flight; a capped heap makes V8 collect instead of growing (docs/performance.md).
CMD ["node", "--max-old-space-size=256", "dist/apps/ingest/main.js"]

FROM runtime AS api
ENV CAIRN_API_HOST=0.0.0.0
EXPOSE 4000
# Plain HTTP on 0.0.0.0 only when CAIRN_API_TLS=off is set on purpose; with certificate files the
# probe speaks HTTPS to itself (its own certificate need not name 127.0.0.1, so it is not checked).
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "const t=!!process.env.CAIRN_API_TLS_CERT_FILE;require(t?'node:https':'node:http').get((t?'https':'http')+'://127.0.0.1:4000/healthz',{rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
CMD ["node", "dist/apps/api/main.js"]

FROM runtime AS feed
# The push feeds (CAIRN_CONFIG's feeds:); health, metrics and /status on loopback unless CAIRN_FEED_HOST says otherwise.
EXPOSE 4003
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:4003/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/feed/main.js"]

FROM runtime AS intake
# Webhook senders' endpoint. Plain HTTP on 0.0.0.0 only when CAIRN_INTAKE_TLS=off is set on
# purpose; with certificate files the probe speaks HTTPS to itself (certificate not checked).
ENV CAIRN_INTAKE_HOST=0.0.0.0
EXPOSE 4002
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "const t=!!process.env.CAIRN_INTAKE_TLS_CERT_FILE;require(t?'node:https':'node:http').get((t?'https':'http')+'://127.0.0.1:4002/healthz',{rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
CMD ["node", "dist/apps/intake/main.js"]

FROM runtime AS cli
# e.g. docker run --rm -e ELASTICSEARCH_URL=… -e CAIRN_CONFIG=/etc/cairn/cairn.yaml -v …:/etc/cairn cairn-cli retag
ENTRYPOINT ["node", "dist/apps/cli/main.js"]
