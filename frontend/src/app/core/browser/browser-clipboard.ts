import { DOCUMENT, inject, Injectable } from '@angular/core';

/** Writes text to the system clipboard; a seam so unit tests need not touch navigator. */
@Injectable({ providedIn: 'root' })
export class BrowserClipboard {
  private readonly navigator = inject(DOCUMENT).defaultView?.navigator;

  /** Rejects when the browser refuses (no permission, or a page not served over https/localhost). */
  async copy(text: string): Promise<void> {
    if (!this.navigator?.clipboard) throw new Error('The clipboard is not available here.');
    await this.navigator.clipboard.writeText(text);
  }
}
