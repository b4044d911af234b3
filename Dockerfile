# syntax=docker/dockerfile:1
# One image per service: `docker build --build-arg SERVICE=contacts -t ccm-contacts .` (any services/<name>
# with a src/server.ts). docker-compose.yml builds one per service. The image serves by default; the same
# image migrates its database as a one-off command, never at every start of every replica:
#   docker run --rm --env-file .env ccm-contacts node dist/migrate.js
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: the whole workspace, compiled, then the one service laid out with its production dependencies
FROM ${NODE_IMAGE} AS build
WORKDIR /repo
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
RUN npm install --global --no-fund --no-audit "pnpm@$(node -p "require('./package.json').packageManager.split('@')[1]")"
# The store is filled from the lockfile alone, so this layer is reused until the lockfile changes.
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline
ARG SERVICE
RUN test -n "$SERVICE" -a -f "services/$SERVICE/src/server.ts" || \
      { echo "--build-arg SERVICE=<name> must name a folder of services/ with a src/server.ts" >&2; exit 1; }
RUN node --import tsx scripts/build.ts "$SERVICE" && bash scripts/deploy-service.sh "$SERVICE" /out

# --- runtime: node, the bundles, the service's data files and production node_modules; nothing to compile
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    SERVICE=${SERVICE} \
    NODE_OPTIONS="--enable-source-maps --max-semi-space-size=4"
WORKDIR /app
# Owned by root and only readable by the user the service runs as: it cannot change its own code.
COPY --from=build /out ./
USER node
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/healthcheck.js"]
# Also in the image: dist/migrate.js (migrate and seed), dist/create-topics.js (the Kafka topics), and any other
# command of the service's src/cli/ (social: dist/rotate-credentials.js).
CMD ["node", "dist/server.js"]
