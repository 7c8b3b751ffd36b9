import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { UnauthenticatedError } from '../platform/errors';
import type { Metrics } from './metrics';

export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics`: the Prometheus text format, for a scraper holding `Authorization: Bearer
 * <METRICS_TOKEN>` only (401 otherwise). Mounted only when the token is configured, so without
 * it the path is an unknown route like any other. The token is compared as SHA-256 digests with
 * timingSafeEqual: constant time whatever its length or where a wrong one differs.
 */
export function createMetricsRouter({ metrics, token }: { metrics: Metrics; token: string }): Router {
  const router = Router();
  const expected = digest(token);

  router.get(METRICS_PATH, async (req, res) => {
    const presented = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(presented), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthenticatedError('A valid metrics token is required (Authorization: Bearer …)');
    }
    const body = await metrics.registry.metrics();
    res.set({ 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' }).send(body);
  });
  return router;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
