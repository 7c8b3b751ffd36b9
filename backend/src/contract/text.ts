import { z } from 'zod';

/**
 * A string PostgreSQL can store exactly as given: no NUL (text columns refuse it) and no unpaired
 * surrogate (it would be stored as U+FFFD, so the saved value would differ from the answered one).
 * `\p{Surrogate}` under the `u` flag matches only a lone half (a pair is read as one code point);
 * a regex rather than `isWellFormed()` because the SPA type-checks this file against ES2022.
 */
export const Text = z.string().refine((value) => !value.includes('\u0000') && !/\p{Surrogate}/u.test(value), 'must be text without NUL characters or unpaired surrogates');

/** A moment, as every answer writes it: `Date.prototype.toISOString()` (UTC, milliseconds, `Z`). */
export const Timestamp = z.iso.datetime();
