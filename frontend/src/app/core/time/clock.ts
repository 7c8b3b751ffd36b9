import { DestroyRef, inject, Injectable, signal } from '@angular/core';

/** How often "5 minutes ago" is brought up to date; the texts are rounded to minutes anyway. */
const TICK_MS = 30_000;

/**
 * The current time as a signal, so relative times ("in 10 minutes") stay true while a page is
 * open. One timer for the whole app; unit tests provide a fixed `now` instead.
 */
@Injectable({ providedIn: 'root' })
export class Clock {
  private readonly ticks = signal(Date.now());
  readonly now = this.ticks.asReadonly();

  constructor() {
    const timer = setInterval(() => this.ticks.set(Date.now()), TICK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }
}
