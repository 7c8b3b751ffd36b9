import { ValidationError } from '../platform/errors';

/**
 * The Salesforce path and raw query of a proxied call, from the URL as the client sent it
 * (never from Express's decoded params). Only `services/…` paths, with no dot segments,
 * encoded slashes, backslashes or absolute URLs, so a call can never leave the instance's API.
 * @throws ValidationError `invalid_request`
 */
export function parseProxyTarget(originalUrl: string, marker = '/sfdc/proxy/'): { path: string; query: string } {
  const start = originalUrl.indexOf(marker);
  const rest = start === -1 ? '' : originalUrl.slice(start + marker.length);
  const queryAt = rest.indexOf('?');
  const path = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const query = queryAt === -1 ? '' : rest.slice(queryAt);

  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw refuse('the path is not valid URL encoding');
  }
  if (/%2f|%5c|%2e|%00/i.test(path) || /[\\\0]/.test(decoded)) throw refuse('encoded slashes, dots or backslashes are not allowed');
  // `services/..;/x`: servlet containers treat `;…` as path parameters and may resolve the dots.
  if (decoded.includes(';')) throw refuse('path parameters (;) are not allowed');
  const segments = decoded.split('/');
  if (segments.some((s) => s === '.' || s === '..' || s === '')) throw refuse('dot or empty path segments are not allowed');
  if (segments[0] !== 'services' || segments.length < 2) throw refuse('the path must start with services/');
  if (/^[a-z][a-z0-9+.-]*:/i.test(decoded) || /[\r\n]/.test(decoded + query)) throw refuse('absolute URLs are not allowed');
  return { path, query };
}

function refuse(message: string): ValidationError {
  return new ValidationError([{ path: 'path', message }]);
}
