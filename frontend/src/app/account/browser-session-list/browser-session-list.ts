import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { BrowserSession } from '@contract';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { RemoteData } from '../../core/api/remote-data';
import { Clock } from '../../core/time/clock';
import { relativeTime } from '../../core/time/relative-time';
import { ToastStore } from '../../core/toasts/toast-store';
import { SldsAlert, SldsBadge, SldsButton, SldsCard, SldsSpinner } from '../../ui/slds';
import { AccountApi } from '../account-api';
import { describeUserAgent } from '../describe-user-agent';

/** The browsers signed in to this account, this one marked; each other one can be signed out. */
@Component({
  selector: 'app-browser-session-list',
  imports: [DatePipe, SldsAlert, SldsBadge, SldsButton, SldsCard, SldsSpinner],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './browser-session-list.html',
})
export class BrowserSessionList {
  private readonly accountApi = inject(AccountApi);
  private readonly toasts = inject(ToastStore);
  private readonly clock = inject(Clock);

  protected readonly sessions = new RemoteData<readonly BrowserSession[]>({
    loader: () => this.accountApi.listSessions(),
    initial: [],
  });
  /** The session being signed out: its button waits, the others stay usable. */
  protected readonly endingId = signal<string | null>(null);

  /** Loads the list again (after a password change, every id but this browser's is gone). */
  reload(): Promise<void> {
    return this.sessions.load();
  }

  protected browserOf(session: BrowserSession): string {
    return describeUserAgent(session.user_agent);
  }

  protected lastSeen(session: BrowserSession): string {
    if (session.current) return 'Now';
    // The clock ticks every 30 s: a browser seen since its last tick must not read "in a minute".
    const now = this.clock.now();
    const at = Math.min(Date.parse(session.last_seen_at), now);
    return relativeTime(new Date(at).toISOString(), now);
  }

  protected async signOut(session: BrowserSession): Promise<void> {
    this.endingId.set(session.id);
    try {
      await firstValueFrom(this.accountApi.endSession(session.id), { defaultValue: undefined });
      this.sessions.value.update((list) => list.filter((s) => s.id !== session.id));
      this.toasts.show('success', `${this.browserOf(session)} was signed out.`);
    } catch (err) {
      this.toasts.show('error', ApiError.from(err).message);
    } finally {
      this.endingId.set(null);
    }
  }
}
