import { describe, expect, test } from 'vitest';
import { PROXY_ROUTE, routeLabel, STATIC_ROUTE, UNMATCHED_ROUTE } from './http-metrics';

const label = (path: string, pattern: string | undefined, statusCode = 200, method = 'GET') => routeLabel({ path, pattern, method, statusCode });

describe('routeLabel', () => {
  test('when a route matched, then its pattern is the label, whatever the status', () => {
    expect(label('/api/tasks/3f0c9a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d', '/api/tasks/:taskId', 404)).toBe('/api/tasks/:taskId');
    expect(label('/healthz', '/healthz')).toBe('/healthz');
  });

  test('when the path is the proxy, then one fixed pattern, also for a call refused before its route ran', () => {
    expect(label('/api/tasks/3f0c9a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d/sfdc/proxy/services/data/v62.0/limits', '/api/tasks/:taskId/sfdc/proxy/{*path}')).toBe(PROXY_ROUTE);
    expect(label('/api/tasks/anything/sfdc/proxy/services/data', undefined, 401)).toBe(PROXY_ROUTE);
    expect(label('/api/tasks/x/sfdc/proxy', undefined, 404)).toBe(PROXY_ROUTE);
  });

  test('when no route matched, then a served file or SPA page is static and everything else unmatched', () => {
    expect(label('/main-ABCDEFGH.js', undefined)).toBe(STATIC_ROUTE);
    expect(label('/tasks/3f0c9a52', '/{*path}')).toBe(STATIC_ROUTE);
    expect(label('/tasks/3f0c9a52', '/{*path}', 404)).toBe(UNMATCHED_ROUTE);
    expect(label('/wp-login.php', undefined, 404)).toBe(UNMATCHED_ROUTE);
    expect(label('/api/tasks', undefined, 401)).toBe(UNMATCHED_ROUTE);
    expect(label('/api/tasks', undefined, 204, 'OPTIONS')).toBe(UNMATCHED_ROUTE);
  });
});
