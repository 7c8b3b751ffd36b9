import { effect, signal, untracked, WritableSignal } from '@angular/core';
import { firstValueFrom, Observable } from 'rxjs';

import { ApiError } from './api-error';

export interface RemoteDataOptions<T, R> {
  /**
   * What to load, e.g. a Task id from an input: read reactively, so each new value loads again.
   * That takes an effect, so a RemoteData with a request must be built in an injection context
   * (a component field is). Without one, it loads once, right away.
   */
  request?: () => R;
  loader: (request: R) => Observable<T>;
  /** The value until the first answer, and again after a failed load. */
  initial: T;
}

/**
 * The load state every list and record page shares, so each page only says what it loads.
 *
 * - `value`: the latest answer. Writable: a page keeps it current after its own changes (a
 *   created row, a saved Task) rather than loading it all again.
 * - `isLoading`: a load is in flight. The value stays meanwhile, so a reload does not blank the
 *   page; it goes back to `initial` only when a load fails, as it no longer says what is there.
 * - `error`: the backend's message from the last failed load, written for the user.
 *
 * The newest load wins: an older answer that arrives late (the page moved on to another Task) is
 * dropped. Angular's `resource()` does the same, but it is still experimental in Angular 21 and
 * its `value()` throws while in error; this is the small part of it these pages need.
 */
export class RemoteData<T, R = void> {
  private readonly loading = signal(true); // every RemoteData starts loading at once
  private readonly failure = signal<string | null>(null);
  /** Counts loads, so that only the newest one may write. */
  private latest = 0;

  readonly value: WritableSignal<T>;
  readonly isLoading = this.loading.asReadonly();
  readonly error = this.failure.asReadonly();

  constructor(private readonly options: RemoteDataOptions<T, R>) {
    this.value = signal(options.initial);
    const request = options.request;
    if (request) {
      effect(() => {
        const current = request();
        untracked(() => void this.fetch(current));
      });
    } else {
      void this.load();
    }
  }

  /** Loads again ("Try again", or after a change made elsewhere). Resolves when done; never rejects. */
  load(): Promise<void> {
    const request = this.options.request;
    return this.fetch(request ? untracked(request) : (undefined as R));
  }

  private async fetch(request: R): Promise<void> {
    const load = ++this.latest;
    this.loading.set(true);
    this.failure.set(null);
    try {
      const value = await firstValueFrom(this.options.loader(request));
      if (load === this.latest) this.value.set(value);
    } catch (err) {
      if (load !== this.latest) return;
      this.value.set(this.options.initial);
      this.failure.set(ApiError.from(err).message);
    } finally {
      if (load === this.latest) this.loading.set(false);
    }
  }
}
