import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import { openApiDocument } from './openapi-document';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

/** Swagger UI's files, served from the npm package (no CDN: the CSP allows scripts from our origin only). */
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'index.css', 'favicon-32x32.png', 'favicon-16x16.png'];

/**
 * Starts Swagger UI on our document. A file rather than an inline script: the CSP runs no inline
 * script. No validator badge (it would send the document's URL to a third party).
 */
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Tasks ⇄ Salesforce API reference</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css" />
    <link rel="stylesheet" href="${DOCS_PATH}/index.css" />
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/swagger-initializer.js"></script>
  </body>
</html>
`;

/**
 * `GET /api/openapi.json` (the OpenAPI document, built once) and `GET /api/docs` (Swagger UI over
 * it, with its static files under `/api/docs/`). Public: mounted before authentication.
 */
export function createOpenApiRouter({ config }: { config: { session: { secureCookie: boolean } } }): Router {
  const router = Router();
  let json: string | undefined;

  router.get(OPENAPI_PATH, (_req, res) => {
    json ??= JSON.stringify(openApiDocument({ secureCookie: config.session.secureCookie }));
    res.set('Cache-Control', 'no-cache').type('application/json').send(json);
  });

  router.get(DOCS_PATH, (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('html').send(PAGE);
  });

  router.use(DOCS_PATH, docsAssets());
  return router;
}

/** The page's static files: Swagger UI's (an allowlist, not the whole package) and the initializer. */
function docsAssets(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path.slice(1);
    if (name === 'swagger-initializer.js') return void res.set('Cache-Control', 'no-cache').type('text/javascript').send(INITIALIZER);
    if (!SWAGGER_UI_FILES.includes(name)) return next();
    res.sendFile(name, { root: SWAGGER_UI_DIR, headers: { 'Cache-Control': 'no-cache' } }, (err) => err && next(err));
  };
}
