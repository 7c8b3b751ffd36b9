import { Router } from 'express';
import type { Config } from '../config';
import type { ClientConfig } from '../contract';

/** `GET /api/config`: what the SPA needs to know about this deployment (no secrets). */
export function createClientConfigRouter({ config }: { config: Config }): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ salesforce: { uses_emulator: config.salesforce.usesEmulator, api_version: config.salesforce.apiVersion, jwt_bearer: Boolean(config.salesforce.jwtPrivateKey) } } satisfies ClientConfig);
  });
  return router;
}
