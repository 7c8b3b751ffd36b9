import { ComponentFixture } from '@angular/core/testing';

/**
 * Lets the awaited HTTP promises of a component finish (one macrotask), then renders. Components
 * here `await firstValueFrom(...)`, so a flushed response lands a few microtasks later.
 */
export async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
}
