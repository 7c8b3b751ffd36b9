import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  linkedSignal,
  model,
  output,
  signal,
} from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { BrowserLocation } from '../../core/browser/browser-location';
import { RuntimeConfig } from '../../core/config/runtime-config';
import { ToastStore } from '../../core/toasts/toast-store';
import { SfdcEnvironment, SfdcLastTest, Task } from '../../tasks/task';
import { TasksApi } from '../../tasks/tasks-api';
import {
  SldsAlert,
  SldsButton,
  SldsCard,
  SldsScopedNotification,
  SldsSpinner,
} from '../../ui/slds';
import { SalesforceApi, SfdcAuthorizeRequest } from '../salesforce-api';
import { SfdcConnectionDetails } from '../sfdc-connection-details/sfdc-connection-details';
import { SfdcDisconnectButton } from '../sfdc-disconnect-button/sfdc-disconnect-button';
import {
  parseMyDomain,
  SfdcEnvironmentPicker,
} from '../sfdc-environment-picker/sfdc-environment-picker';
import { RECONNECT_NEEDED_CODE, SfdcTestResult } from '../sfdc-test-result';

/**
 * A Task's Salesforce connection in one of three states: not connected (choose where to sign in),
 * connected (details, test, disconnect) and reconnect needed (why, and the way back in).
 */
@Component({
  selector: 'app-salesforce-connection-card',
  imports: [
    NgTemplateOutlet,
    SfdcConnectionDetails,
    SfdcDisconnectButton,
    SfdcEnvironmentPicker,
    SldsAlert,
    SldsButton,
    SldsCard,
    SldsScopedNotification,
    SldsSpinner,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Back from the Salesforce page via the browser's Back button, the page may come out of the
  // back/forward cache still "redirecting"; `persisted` says so, and Connect must work again.
  host: { '(window:pageshow)': 'onPageShow($event)' },
  templateUrl: './salesforce-connection-card.html',
})
export class SalesforceConnectionCard {
  private readonly salesforceApi = inject(SalesforceApi);
  private readonly tasksApi = inject(TasksApi);
  private readonly location = inject(BrowserLocation);
  private readonly toasts = inject(ToastStore);
  protected readonly config = inject(RuntimeConfig);

  /** Two-way: the card writes back what it learns (a test result, a disconnect, a reload). */
  readonly task = model.required<Task>();
  /** The connection's history gained an entry; the page reloads its timeline. */
  readonly historyChanged = output<void>();

  protected readonly sfdc = computed(() => this.task().sfdc);
  protected readonly lastTest = computed<SfdcLastTest | null>(() => this.sfdc()?.last_test ?? null);
  /** Reconnecting reuses the old host, except My Domain, whose name the backend does not send. */
  protected readonly needsEnvironmentChoice = computed(() => {
    const environment = this.sfdc()?.environment;
    return !environment || environment === 'custom';
  });
  protected readonly environment = linkedSignal<SfdcEnvironment>(
    () => this.sfdc()?.environment ?? 'production',
  );
  protected readonly domain = signal('');
  private readonly triedToConnect = signal(false);
  protected readonly domainError = computed(() => {
    if (!this.triedToConnect() || this.environment() !== 'custom') return null;
    const parsed = parseMyDomain(this.domain());
    return 'error' in parsed ? parsed.error : null;
  });

  protected readonly isRedirecting = signal(false);
  protected readonly connectError = signal<string | null>(null);
  protected readonly isTesting = signal(false);

  constructor() {
    void this.config.load();
  }

  protected async connect(): Promise<void> {
    this.triedToConnect.set(true);
    const request = this.authorizeRequest();
    if (!request || this.isRedirecting()) return;
    this.isRedirecting.set(true);
    this.connectError.set(null);
    try {
      const url = await firstValueFrom(this.salesforceApi.authorize(this.task().id, request));
      this.location.assign(url); // stays "redirecting": the page is about to unload
    } catch (err) {
      this.connectError.set(ApiError.from(err).message);
      this.isRedirecting.set(false);
    }
  }

  protected onPageShow(event: PageTransitionEvent): void {
    if (event.persisted) this.isRedirecting.set(false);
  }

  protected async testConnection(): Promise<void> {
    if (this.isTesting()) return;
    this.isTesting.set(true);
    let failureCode: string | null = null;
    try {
      const result = await firstValueFrom(this.salesforceApi.test(this.task().id));
      this.keep(result);
      if (result.status) this.toasts.show('success', `Connection test passed: ${result.message}`);
      else this.toasts.show('error', `Connection test failed: ${result.message}`);
      failureCode = result.status ? null : result.code;
    } catch (err) {
      const error = ApiError.from(err);
      this.toasts.show('error', `Connection test failed: ${error.message}`);
      failureCode = error.code;
    } finally {
      this.isTesting.set(false);
    }
    // The backend has just marked the connection; reload so the card shows the reconnect state.
    if (failureCode === RECONNECT_NEEDED_CODE) await this.reloadTask();
    this.historyChanged.emit();
  }

  protected onDisconnected(): void {
    this.task.update((task) => ({ ...task, sfdc: null }));
    this.historyChanged.emit();
  }

  private authorizeRequest(): SfdcAuthorizeRequest | null {
    const environment = this.needsEnvironmentChoice()
      ? this.environment()
      : this.sfdc()!.environment;
    if (environment !== 'custom') return { environment };
    const parsed = parseMyDomain(this.domain());
    return 'error' in parsed ? null : { environment, domain: parsed.domain };
  }

  /** Writes the result into the Task, so the card (and the page's copy) show it as last_test. */
  private keep(result: SfdcTestResult): void {
    const { status, message, code, refreshed, tested_at: at } = result;
    this.task.update((task) =>
      task.sfdc
        ? {
            ...task,
            sfdc: {
              ...task.sfdc,
              identity: result.identity ?? task.sfdc.identity,
              // A test that had to refresh did so moments before `tested_at`; close enough to show.
              refreshed_at: refreshed ? at : task.sfdc.refreshed_at,
              last_test: { status, message, code, refreshed, at },
            },
          }
        : task,
    );
  }

  private async reloadTask(): Promise<void> {
    try {
      this.task.set(await firstValueFrom(this.tasksApi.get(this.task().id)));
    } catch (err) {
      this.toasts.show('error', ApiError.from(err).message);
    }
  }
}
