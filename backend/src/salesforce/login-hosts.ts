import type { Config } from '../config';
import { ValidationError } from '../platform/errors';
import type { SalesforceEnvironment } from '../contract';
import { UntrustedSalesforceHostError } from './errors';
import { TrustedHosts } from './trusted-hosts';

/**
 * Where a Task may log in, and so where the client secret, the PKCE verifier and refresh tokens
 * are sent: the configured production and sandbox hosts, or a My Domain the user typed that
 * matches SFDC_LOGIN_HOSTS (https, port 443 unless a pattern names another port). The browser
 * never chooses an arbitrary host, and an instance-only host (trusted for API calls) is not a
 * login host.
 */
export class LoginHosts {
  private readonly patterns: TrustedHosts;
  private readonly configured: Set<string>;

  constructor(private readonly settings: Pick<Config['salesforce'], 'loginUrl' | 'sandboxLoginUrl' | 'loginHosts'>) {
    this.patterns = new TrustedHosts(settings.loginHosts, { portlessMeans: 'default port' });
    this.configured = new Set([new URL(settings.loginUrl).origin, new URL(settings.sandboxLoginUrl).origin]);
  }

  /**
   * The login host's origin for an environment.
   * @throws ValidationError (custom without a domain), UntrustedSalesforceHostError
   */
  resolve(environment: SalesforceEnvironment, domain?: string): string {
    if (environment === 'production') return new URL(this.settings.loginUrl).origin;
    if (environment === 'sandbox') return new URL(this.settings.sandboxLoginUrl).origin;
    if (!domain) throw new ValidationError([{ path: 'domain', message: 'A My Domain host is required for the custom environment' }]);
    const url = parseDomain(domain);
    if (!url || !this.patterns.isTrusted(url)) throw new UntrustedSalesforceHostError(`"${domain.slice(0, 100)}"`, 'SFDC_LOGIN_HOSTS');
    return url.origin;
  }

  /** Checked again before every request that carries the client secret or a refresh token. */
  isAllowed(loginUrl: string): boolean {
    try {
      const url = new URL(loginUrl);
      return this.configured.has(url.origin) || this.patterns.isTrusted(url);
    } catch {
      return false;
    }
  }
}

/** `acme.my.salesforce.com` or `https://acme.my.salesforce.com[/]`; never a path, query or credentials. */
function parseDomain(domain: string): URL | undefined {
  const text = domain.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    const isBare = (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password;
    return isBare ? url : undefined;
  } catch {
    return undefined;
  }
}
