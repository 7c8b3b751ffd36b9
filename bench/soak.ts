import autocannon from 'autocannon';
import { residentMegabytes } from './processes';

export interface SoakFigures {
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  tokenExpiries: number;
  refreshesAtEmulator: number;
  rssMb: { start: number; middle: number; end: number };
}

/**
 * Phase (g): ~20 s at 50 connections mixing the UI's API calls (session cookie) and proxied calls
 * (API token) while the emulator expires every access token every 3 s. Every answer must be 2xx,
 * and the app's memory must not climb.
 */
export async function soak(options: { appUrl: string; pid: number; taskId: string; apiToken: string; sessionCookie: string; controlUrl: string; seconds?: number }): Promise<SoakFigures> {
  const seconds = options.seconds ?? 20;
  const control = (action: string, method = 'POST') =>
    fetch(`${options.controlUrl}/${action}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined }).then(
      (r) => r.json() as Promise<{ counts: Record<string, number> }>,
    );
  const refreshesBefore = (await control('calls', 'GET')).counts['token:refresh_token'] ?? 0;
  const cookie = { cookie: options.sessionCookie };
  const start = residentMegabytes(options.pid);
  let tokenExpiries = 0;
  const expiring = setInterval(() => void control('expire-access-tokens').then(() => (tokenExpiries += 1)), 3000);
  let middle = start;
  const sampling = setTimeout(() => (middle = residentMegabytes(options.pid)), (seconds * 1000) / 2);
  try {
    const result = await autocannon({
      url: options.appUrl,
      connections: 50,
      duration: seconds,
      requests: [
        { method: 'GET', path: '/api/tasks', headers: cookie },
        { method: 'GET', path: `/api/tasks/${options.taskId}`, headers: cookie },
        { method: 'GET', path: `/api/tasks/${options.taskId}/sfdc/proxy/services/data/v62.0/limits`, headers: { authorization: `Bearer ${options.apiToken}` } },
        { method: 'GET', path: `/api/tasks/${options.taskId}/sfdc/events`, headers: cookie },
        { method: 'POST', path: `/api/tasks/${options.taskId}/sfdc/test`, headers: { ...cookie, 'content-type': 'application/json' }, body: '{}' },
        { method: 'GET', path: `/api/tasks/${options.taskId}/sfdc/proxy/services/data/v62.0/query?q=SELECT%20Name%20FROM%20Account`, headers: { authorization: `Bearer ${options.apiToken}` } },
      ],
    });
    const refreshesAfter = (await control('calls', 'GET')).counts['token:refresh_token'] ?? 0;
    return {
      seconds,
      connections: 50,
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      tokenExpiries,
      refreshesAtEmulator: refreshesAfter - refreshesBefore,
      rssMb: { start, middle, end: residentMegabytes(options.pid) },
    };
  } finally {
    clearInterval(expiring);
    clearTimeout(sampling);
  }
}
