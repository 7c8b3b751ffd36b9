import { DOCUMENT, inject, Injectable } from '@angular/core';

/**
 * Full-page navigation away from the SPA (the Salesforce sign-in page). A seam of its own because
 * jsdom cannot leave the page, so unit tests replace this to see where the browser was sent.
 */
@Injectable({ providedIn: 'root' })
export class BrowserLocation {
  private readonly document = inject(DOCUMENT);

  assign(url: string): void {
    this.document.location.assign(url);
  }
}
