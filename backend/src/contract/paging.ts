import { z } from 'zod';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from './limits';

/**
 * `?limit=&cursor=` of every keyset-paged list, newest first. The cursor is opaque to clients:
 * the backend decodes and checks it, so a forged or garbled one is a 400, never a wrong page.
 */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
  cursor: z.string().min(1).max(200).optional(),
});
export type PageQuery = z.input<typeof PageQuery>;

/** Where the next page starts (pass it back as `cursor`), or null on the last page. */
export const NextCursor = z.string().nullable();
