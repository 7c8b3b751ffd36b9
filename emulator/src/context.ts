import type { KeyLike } from 'jose';
import type { HostKey } from './seed';
import type { EmulatorState } from './state';

/** The Connected App the emulator accepts (Salesforce's consumer key, secret and callback URLs). */
export interface EmulatedConnectedApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /**
   * The public key (SPKI PEM, `-----BEGIN PUBLIC KEY-----`) of the certificate uploaded to the
   * Connected App for the JWT bearer flow. Without it every JWT bearer grant is refused.
   */
  jwtCertificate?: string;
}

/** What every emulator route needs: the shared state, the Connected App and each host's origin. */
export interface EmulatorContext {
  state: EmulatorState;
  app: EmulatedConnectedApp;
  /** `http://127.0.0.1:<port>` per host, known once the servers listen. */
  origins: Record<HostKey, string>;
  /** `app.jwtCertificate`, imported for RS256 verification. */
  jwtPublicKey?: KeyLike;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The endpoint name counted and logged for this call (`token:refresh_token`, `rest:query`, …). */
      endpoint?: string;
      grantType?: string;
    }
  }
}
