import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Paths the SPA fallback must never answer: the API, OAuth, health and metrics endpoints 404 as JSON instead. */
const NOT_SPA = /^\/(api|sfdc|healthz|metrics|services|id)(\/|$)/;

/**
 * Serves the Angular production build, and index.html for the SPA's own routes (`/tasks/…`).
 * Hashed bundles are cached for a year; index.html is revalidated so a deploy shows at once.
 */
export function createStaticFrontend(directory: string | undefined): Router {
  const router = Router();
  if (!directory || !existsSync(path.join(directory, 'index.html'))) return router;

  router.use(
    express.static(directory, {
      index: false,
      setHeaders: (res, file) => {
        const isHashed = /-[A-Z0-9]{8}\.(js|css)$/.test(path.basename(file));
        res.setHeader('Cache-Control', isHashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.get('/{*path}', (req, res, next) => {
    if (NOT_SPA.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    // Relative to `root`: `send` refuses any dot segment in the path it is given, so an absolute
    // path would 404 whenever the app lives under a dot-directory (`~/.work/app`).
    res.sendFile('index.html', { root: directory });
  });
  return router;
}
