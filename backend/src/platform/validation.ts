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

/**
 * A string PostgreSQL can store exactly as given: no NUL (text columns refuse it) and no unpaired
 * surrogate (it would be stored as U+FFFD, so the saved value would differ from the answered one).
 */
export const Text = z.string().refine((value) => !value.includes('\u0000') && value.isWellFormed(), 'must be text without NUL characters or unpaired surrogates');
