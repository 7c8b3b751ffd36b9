# Tasks ⇄ Salesforce: build the workspaces, then a slim runtime as a non-root user. The runtime
# stage holds the backend and the SPA only: the Salesforce emulator (a development tool) is left out.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY emulator/package.json emulator/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/backend/package.json ./backend/
COPY --from=build --chown=node:node /app/backend/dist ./backend/dist
COPY --from=build --chown=node:node /app/frontend/dist ./frontend/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm) so SIGTERM reaches the app and it shuts down gracefully. The heap limit,
# as `npm start` sets it: the app lives in ~35 MB of JS heap (bodies are Buffers, outside it), and
# without a limit sized to it V8 lets the heap grow to ~250 MB under load before collecting.
CMD ["node", "--max-old-space-size=256", "backend/dist/main.js"]
