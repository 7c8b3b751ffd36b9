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
import type { AuthorizeSalesforce, ConnectJwtBearer, SalesforceEnvironment, Task } from '@contract';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { BrowserLocation } from '../../core/browser/browser-location';
import { RuntimeConfig } from '../../core/config/runtime-config';
import { ToastStore } from '../../core/toasts/toast-store';
import {
  SldsAlert,
  SldsButton,
  SldsCard,
  SldsIcon,
  SldsScopedNotification,
  SldsSpinner,
} from '../../ui/slds';
import { ApiUsageMeter } from '../api-usage-meter/api-usage-meter';
import { ConnectionDetails } from '../connection-details/connection-details';
import { healthStateOf } from '../connection-health-badge/connection-health-badge';
import { ConnectionHealthPanel } from '../connection-health-panel/connection-health-panel';
import { DisconnectButton } from '../disconnect-button/disconnect-button';
import { EnvironmentPicker, parseMyDomain } from '../environment-picker/environment-picker';
import { JwtBearerForm } from '../jwt-bearer-form/jwt-bearer-form';
import { SalesforceApi } from '../salesforce-api';

/**
 * A Task's Salesforce connection in one of three states: not connected (choose where to sign in),
 * connected (its health, details, test, disconnect) and reconnect needed (its health with the
 * reason, and the way back in beside it). Where the deployment can, it also connects as an
 * integration user (JWT bearer, no sign-in page), and reconnects such a connection the same way.
 */
@Component({
  selector: 'app-salesforce-connection-card',
  imports: [
    ApiUsageMeter,
    ConnectionDetails,
    ConnectionHealthPanel,
    DisconnectButton,
    EnvironmentPicker,
    JwtBearerForm,
    NgTemplateOutlet,
    SldsAlert,
    SldsButton,
    SldsCard,
    SldsIcon,
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
  private readonly location = inject(BrowserLocation);
  private readonly toasts = inject(ToastStore);
  protected readonly config = inject(RuntimeConfig);

  /** Two-way: the card writes back what it learns (the connection after a test, a disconnect). */
  readonly task = model.required<Task>();
  /** The connection's history gained an entry; the page reloads its timeline. */
  readonly historyChanged = output<void>();

  protected readonly connection = computed(() => this.task().sfdc);
  /** Salesforce refused the connection for good (revoked, evicted): only signing in again helps. */
  protected readonly needsReconnect = computed(
    () => healthStateOf(this.connection()) === 'reconnect_needed',
  );
  /** Reconnecting reuses the old host, except My Domain, whose name the backend does not send. */
  private readonly reusableEnvironment = computed(() => {
    const environment = this.connection()?.environment;
    return environment && environment !== 'custom' ? environment : null;
  });
  protected readonly needsEnvironmentChoice = computed(() => this.reusableEnvironment() === null);
  protected readonly environment = linkedSignal<SalesforceEnvironment>(
    () => this.connection()?.environment ?? 'production',
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

  /** The "Connect as an integration user" form is open (with these prefilled values). */
  protected readonly jwtForm = signal<{
    environment: SalesforceEnvironment;
    username: string;
  } | null>(null);
  protected readonly isConnectingJwt = signal(false);
  /** A connection made as an integration user is reconnected the same way, when still offered. */
  protected readonly reconnectsAsIntegrationUser = computed(
    () => this.connection()?.connection_type === 'jwt_bearer' && this.config.jwtBearer(),
  );

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

  /** Reconnect beside the reason: the way this connection was made. */
  protected reconnect(): void {
    if (!this.reconnectsAsIntegrationUser()) {
      void this.connect();
      return;
    }
    const connection = this.connection();
    const username = connection?.identity?.username ?? '';
    const environment = connection?.environment ?? 'production';
    // My Domain's name is not kept in the summary, and a user is needed: ask, prefilled.
    if (environment === 'custom' || !username) this.openJwtForm(environment, username);
    else void this.connectJwt({ environment, username });
  }

  protected openJwtForm(environment: SalesforceEnvironment = 'production', username = ''): void {
    this.connectError.set(null);
    this.jwtForm.set({ environment, username });
  }

  protected closeJwtForm(): void {
    this.connectError.set(null);
    this.jwtForm.set(null);
  }

  protected async connectJwt(request: ConnectJwtBearer): Promise<void> {
    if (this.isConnectingJwt()) return;
    this.isConnectingJwt.set(true);
    this.connectError.set(null);
    try {
      const sfdc = await firstValueFrom(this.salesforceApi.connectJwt(this.task().id, request));
      this.task.update((task) => ({ ...task, sfdc }));
      this.jwtForm.set(null);
      const who = sfdc?.identity?.username || request.username;
      this.toasts.show('success', `Connected to Salesforce as the integration user ${who}.`);
      this.historyChanged.emit();
    } catch (err) {
      // Salesforce's refusal (`salesforce_jwt_refused`) says in words what an admin must do.
      this.connectError.set(ApiError.from(err).message);
    } finally {
      this.isConnectingJwt.set(false);
    }
  }

  protected onPageShow(event: PageTransitionEvent): void {
    if (event.persisted) this.isRedirecting.set(false);
  }

  protected async testConnection(): Promise<void> {
    if (this.isTesting()) return;
    this.isTesting.set(true);
    try {
      const result = await firstValueFrom(this.salesforceApi.test(this.task().id));
      // The answer carries the connection as stored after the test: its last_test, a refresh, or
      // the reconnect-needed mark when Salesforce refused the refresh token.
      this.task.update((task) => ({ ...task, sfdc: result.sfdc }));
      if (result.status) this.toasts.show('success', `Connection test passed: ${result.message}`);
      else this.toasts.show('error', `Connection test failed: ${result.message}`);
    } catch (err) {
      this.toasts.show('error', `Connection test failed: ${ApiError.from(err).message}`);
    } finally {
      this.isTesting.set(false);
    }
    this.historyChanged.emit();
  }

  protected onDisconnected(): void {
    this.task.update((task) => ({ ...task, sfdc: null }));
    this.historyChanged.emit();
  }

  private authorizeRequest(): AuthorizeSalesforce | null {
    const environment = this.reusableEnvironment() ?? this.environment();
    if (environment !== 'custom') return { environment };
    const parsed = parseMyDomain(this.domain());
    return 'error' in parsed ? null : { environment, domain: parsed.domain };
  }
}
