import { NotFoundError } from './errors';

/** An RFC 9562 UUID (version 1–8, variant 10xx), or the nil and max UUIDs: what zod's `z.uuid()` accepts, without a parse per request. */
const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|0{8}-0{4}-0{4}-0{4}-0{12}|f{8}-f{4}-f{4}-f{4}-f{12})$/i;

/**
 * A resource id from the URL. Anything that is not a UUID cannot name a row, so it answers the
 * same 404 as a missing row rather than a 400 that would tell ids apart.
 * @throws NotFoundError with the given code
 */
export function parseResourceId(value: unknown, notFoundCode: string, message: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError(notFoundCode, message);
  return value.toLowerCase();
}
