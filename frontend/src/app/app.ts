import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { SessionStore } from './core/session/session-store';
import { ToastContainer } from './core/toasts/toast-container';
import { ToastStore } from './core/toasts/toast-store';
import { SldsButton } from './ui/slds';

/** The shell: SLDS global header and navigation bar, the routed page and the toast region. */
@Component({
  selector: 'app-root',
  imports: [RouterLink, RouterLinkActive, RouterOutlet, SldsButton, ToastContainer],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
})
export class App {
  private readonly router = inject(Router);
  private readonly toasts = inject(ToastStore);
  protected readonly session = inject(SessionStore);
  protected readonly navLinks = [
    { path: '/tasks', label: 'Tasks' },
    { path: '/tokens', label: 'API tokens' },
    { path: '/webhooks', label: 'Webhooks' },
  ];

  protected async signOut(): Promise<void> {
    try {
      await this.session.signOut();
    } catch {
      // The local session is already cleared; say so rather than leave the person unsure.
      this.toasts.show('warning', 'You are signed out here, but the server could not be reached.');
    }
    await this.router.navigateByUrl('/login');
  }
}
