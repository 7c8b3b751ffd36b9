import { z } from 'zod';
import { ValidationError } from './errors';

/**
 * Parses untrusted input with a zod schema.
 * @throws ValidationError listing each bad field (path and reason, never the value).
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
}
