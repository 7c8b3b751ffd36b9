import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { ServiceUnavailableError } from './errors';

/** `GET /healthz`: 200 while the database answers, for load balancers and the compose healthcheck. */
export function createHealthRouter({ dataSource }: { dataSource: DataSource }): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
    } catch (err) {
      throw new ServiceUnavailableError('database_unavailable', 'The database does not answer', { cause: err });
    }
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  return router;
}
