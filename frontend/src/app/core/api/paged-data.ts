import { computed, Signal, signal, untracked } from '@angular/core';
import { firstValueFrom, map, Observable } from 'rxjs';

import { ApiError } from './api-error';
import { RemoteData } from './remote-data';

/** One page of a keyset-paged list, newest first; `nextCursor` null on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface PagedDataOptions<T, R> {
  /** What to list (a Task id, a search): read reactively, as RemoteData's `request`. */
  request?: () => R;
  /** A page of that list: the first with a null cursor, then the one after `cursor`. */
  loader: (request: R, cursor: string | null) => Observable<Page<T>>;
  /**
   * Set for lists that reload in place while the person reads older pages (a history after a
   * test, deliveries while polling): a reload then replaces the newest page and keeps the older
   * ones already shown, matched by this key, instead of dropping back to one page.
   */
  keepOlderBy?: (item: T) => string;
}

const EMPTY: Page<never> = { items: [], nextCursor: null };

/**
 * A list that pages by cursor: RemoteData loads the first page (newest wins, errors, Try again),
 * and `loadMore()` appends the next one. A page that arrives after the list was reloaded or
 * changed to another (its cursor is no longer the list's) is dropped, never appended.
 */
export class PagedData<T, R = void> {
  private readonly pages: RemoteData<Page<T>, R>;
  private readonly loadingMore = signal(false);
  private readonly moreFailure = signal<string | null>(null);

  readonly items = computed(() => this.pages.value().items);
  readonly hasMore = computed(() => this.pages.value().nextCursor !== null);
  /** The first page is loading (a reload keeps the rows meanwhile). */
  readonly isLoading: Signal<boolean>;
  /** The first page's failure, in the backend's words. */
  readonly error: Signal<string | null>;
  readonly isLoadingMore = this.loadingMore.asReadonly();
  /** The last "load more" failure; the rows shown stay. */
  readonly moreError = this.moreFailure.asReadonly();

  constructor(private readonly options: PagedDataOptions<T, R>) {
    const keepOlderBy = options.keepOlderBy;
    this.pages = new RemoteData<Page<T>, R>({
      request: options.request,
      loader: (request) =>
        options
          .loader(request, null)
          .pipe(
            map((first) =>
              keepOlderBy ? keepOlder(untracked(this.pages.value), first, keepOlderBy) : first,
            ),
          ),
      initial: EMPTY,
    });
    this.isLoading = this.pages.isLoading;
    this.error = this.pages.error;
  }

  /** Loads the first page again. Resolves when done; never rejects. */
  load(): Promise<void> {
    this.moreFailure.set(null);
    return this.pages.load();
  }

  /**
   * Appends the next page, if there is one. Not while the first page reloads: the request may
   * have changed (another search), and the rows shown are still the old list's. Resolves when
   * done; never rejects.
   */
  async loadMore(): Promise<void> {
    const cursor = this.pages.value().nextCursor;
    if (cursor === null || this.loadingMore() || this.isLoading()) return;
    this.loadingMore.set(true);
    this.moreFailure.set(null);
    try {
      const request = this.options.request ? untracked(this.options.request) : (undefined as R);
      const next = await firstValueFrom(this.options.loader(request, cursor));
      const current = this.pages.value();
      if (current.nextCursor !== cursor) return; // reloaded or another list meanwhile
      this.pages.value.set({
        items: [...current.items, ...next.items],
        nextCursor: next.nextCursor,
      });
    } catch (err) {
      this.moreFailure.set(ApiError.from(err).message);
    } finally {
      this.loadingMore.set(false);
    }
  }

  /** A change the page made itself (a created row, a deleted one), without a round trip. */
  updateItems(change: (items: readonly T[]) => readonly T[]): void {
    this.pages.value.update((page) => ({ ...page, items: change(page.items) }));
  }
}

/**
 * The fresh first page, followed by the older rows already shown past its last row. When that row
 * is not among them (the list changed too much, or it is another list), only the fresh page.
 */
function keepOlder<T>(shown: Page<T>, first: Page<T>, key: (item: T) => string): Page<T> {
  const last = first.items.at(-1);
  if (first.nextCursor === null || last === undefined) return first;
  const at = shown.items.findIndex((item) => key(item) === key(last));
  if (at < 0) return first;
  return { items: [...first.items, ...shown.items.slice(at + 1)], nextCursor: shown.nextCursor };
}
