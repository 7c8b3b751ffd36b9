import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import type { ClientConfig } from '@contract';
import { firstValueFrom } from 'rxjs';

import { API_BASE_URL } from '../api/api-base-url';

/** The server's runtime facts, asked for once per app and shared. */
@Injectable({ providedIn: 'root' })
export class RuntimeConfig {
  private readonly http = inject(HttpClient);
  private readonly url = `${inject(API_BASE_URL)}/config`;
  private readonly state = signal<ClientConfig | null>(null);
  private pending: Promise<void> | null = null;

  /** False until known: the emulator note is a hint, so "unknown" simply shows nothing. */
  readonly usesSalesforceEmulator = computed(() => this.state()?.salesforce.uses_emulator === true);
  /** Connecting as an integration user is offered only once the server says it can (a key is configured). */
  readonly jwtBearer = computed(() => this.state()?.salesforce.jwt_bearer === true);

  load(): Promise<void> {
    this.pending ??= firstValueFrom(this.http.get<ClientConfig>(this.url)).then(
      (config) => this.state.set(config),
      () => {
        this.pending = null; // a failed ask is retried by the next caller
      },
    );
    return this.pending;
  }
}
