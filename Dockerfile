# Caravan's image: one image for every process; the command picks it (Helm chart: helm/caravan).
#   api     node dist/apps/api/src/main.js          (port 5005)
#   agent   node dist/apps/agent/src/main.js        (health on 5006)
#   egress  node dist/apps/egress/src/main.js       (port 4750)
#   migrate node dist/libs/database/src/cli/run-migrations.js
# Build: docker build -t <registry>/caravan:<version> .

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# npm install, not npm ci: the lock file cannot list the darwin/win32 builds of an optional native
# package (the registry these machines reach lacks them), and npm ci refuses it (see .ci/run). The
# exact versions in package.json and the lock file still decide what is installed. No install script
# is needed (package.json's allowScripts allows none).
RUN npm install --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
RUN npm run build \
 && find dist -name '*.map' -delete \
 && npm prune --omit=dev --no-audit --no-fund --ignore-scripts

FROM node:20-slim
ENV NODE_ENV=production \
    CARAVAN_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The image's own unprivileged user (uid 1000); nothing under /app is writable by it.
USER node
EXPOSE 5005 5006 4750
CMD ["node", "dist/apps/api/src/main.js"]
