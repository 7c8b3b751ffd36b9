import { z } from 'zod';
import { NotFoundError } from './errors';

const Uuid = z.uuid();

/**
 * A resource id from the URL. Anything that is not a UUID cannot name a row, so it answers the
 * same 404 as a missing row rather than a 400 that would tell ids apart.
 * @throws NotFoundError with the given code
 */
export function parseResourceId(value: unknown, notFoundCode: string, message: string): string {
  const result = Uuid.safeParse(value);
  if (!result.success) throw new NotFoundError(notFoundCode, message);
  return result.data.toLowerCase();
}
