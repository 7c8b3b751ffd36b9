import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { importSPKI } from 'jose';
import { createControlRouter } from './control/control-router';
import type { EmulatedConnectedApp, EmulatorContext } from './context';
import { HOST_KEYS, type HostKey } from './seed';
import { EmulatorState } from './state';
import { createIdentityRouter } from './identity/identity-router';
import { createOAuthRouter } from './oauth/oauth-router';
import { recordRequests } from './request-recorder';
import { createRestRouter } from './rest/rest-router';
import { sldsStylesheet } from './pages/consent-page';

export interface EmulatorOptions extends EmulatedConnectedApp {
  /** First port: hosts listen on port, port+1, … (login, test, na1, cs1, na2). 0 picks free ports. */
  port?: number;
}

export interface Emulator {
  state: EmulatorState;
  app: EmulatedConnectedApp;
  origins: Record<HostKey, string>;
  /** Production login host (login.salesforce.com's part). */
  loginUrl: string;
  /** Sandbox login host (test.salesforce.com's part). */
  sandboxLoginUrl: string;
  /** The control API (loopback only). */
  controlUrl: string;
  /**
   * `127.0.0.1:<port>` of each host, for a client's host allowlists: `trusted` every host (they
   * receive access tokens), `login` the ones that serve OAuth (login, test, and the My Domains of
   * the two orgs; the spare instance `na2` only serves the API).
   */
  hostPatterns: { trusted: string[]; login: string[] };
  stop(): Promise<void>;
}

/** Starts the emulated Salesforce: one HTTP server per host on 127.0.0.1, sharing one in-memory state. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const { port = 0, ...app } = options;
  // A malformed certificate fails here, as Salesforce refuses to save it on the Connected App.
  const jwtPublicKey = app.jwtCertificate ? await importSPKI(app.jwtCertificate, 'RS256') : undefined;
  const ctx: EmulatorContext = { state: new EmulatorState(), app, origins: {} as Record<HostKey, string>, jwtPublicKey };
  const servers: Server[] = [];
  try {
    for (const [index, host] of HOST_KEYS.entries()) {
      const server = createServer(createHostApp(ctx, host));
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port === 0 ? 0 : port + index, '127.0.0.1', resolve);
      });
      ctx.origins[host] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    throw err;
  }
  return {
    state: ctx.state,
    app,
    origins: ctx.origins,
    loginUrl: ctx.origins.login,
    sandboxLoginUrl: ctx.origins.test,
    controlUrl: `${ctx.origins.login}/__emulator`,
    hostPatterns: hostPatterns(ctx.origins),
    stop: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}

function createHostApp(ctx: EmulatorContext, host: HostKey): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(recordRequests(ctx, host));
  app.use('/__emulator', createControlRouter(ctx, host));
  // Relative to `root`: `send` refuses any dot segment in the path it is given, so an absolute
  // path would 404 whenever node_modules lives under a dot-directory (`~/.work/app`).
  app.get('/emulator-assets/slds.css', (_req, res) => {
    const stylesheet = sldsStylesheet();
    res.sendFile(path.basename(stylesheet), { root: path.dirname(stylesheet) });
  });
  app.use(createOAuthRouter(ctx, host));
  app.use(createIdentityRouter(ctx, host));
  app.use('/services/data', createRestRouter(ctx, host));
  app.use((_req, res) => {
    res.status(404).json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
  return app;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function hostPatterns(origins: Record<HostKey, string>): Emulator['hostPatterns'] {
  const hostOf = (origin: string) => new URL(origin).host;
  return { trusted: Object.values(origins).map(hostOf), login: [origins.login, origins.test, origins.na1, origins.cs1].map(hostOf) };
}
