import type { Config } from '../config';
import { ValidationError } from '../platform/errors';
import type { SalesforceEnvironment } from './connection-store';
import { UntrustedSalesforceHostError } from './salesforce-errors';
import type { TrustedHosts } from './trusted-hosts';

/**
 * The login host for an environment. Production and sandbox come from configuration; a My
 * Domain is a host name the user typed, accepted only when it matches SFDC_TRUSTED_HOSTS:
 * the browser never chooses where the client secret is sent.
 * @throws ValidationError (no domain), UntrustedSalesforceHostError
 */
export function resolveLoginUrl(settings: Config['salesforce'], trustedHosts: TrustedHosts, environment: SalesforceEnvironment, domain?: string): string {
  if (environment === 'production') return settings.loginUrl;
  if (environment === 'sandbox') return settings.sandboxLoginUrl;
  if (!domain) throw new ValidationError([{ path: 'domain', message: 'A My Domain host is required for the custom environment' }]);
  const url = parseDomain(domain);
  if (!url || !trustedHosts.isTrusted(url)) throw new UntrustedSalesforceHostError(`"${domain.slice(0, 100)}"`);
  return url.origin;
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
