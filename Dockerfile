# One image for every service (SERVICE=contacts|campaigns|social); docker-compose.yml builds it
# three times. Services run their TypeScript through tsx, as `npm start` does.
FROM node:20-bookworm-slim
RUN npm install --global --no-fund --no-audit pnpm@10.34.8
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile
ARG SERVICE
ENV SERVICE=${SERVICE} NODE_ENV=production HOST=0.0.0.0
# Migrate (and seed) first, then serve; migrations are idempotent, so a restart is safe.
CMD ["sh", "-c", "pnpm --filter @ccm/$SERVICE run migrate && exec bash scripts/service.sh $SERVICE"]
