import { AppError } from '../platform/errors';

/** The Task has no Salesforce connection. */
export class SalesforceNotConnectedError extends AppError {
  readonly status = 409;
  readonly code = 'salesforce_not_connected';
  constructor() {
    super('This Task is not connected to Salesforce');
  }
}

/** Salesforce revoked access (or the grant is otherwise dead): the user must reconnect the Task. */
export class SalesforceReauthRequiredError extends AppError {
  readonly status = 409;
  readonly code = 'salesforce_reconnect_needed';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Reconnect this Task to Salesforce: ${reason}`, options);
  }
}

/** Salesforce answered with an error of its own; `upstreamCode` is its errorCode (or OAuth error). */
export class SalesforceApiError extends AppError {
  readonly status = 502;
  readonly code = 'salesforce_api_error';
  constructor(
    readonly upstreamStatus: number,
    readonly upstreamCode: string,
    upstreamMessage: string,
  ) {
    super(`Salesforce answered ${upstreamStatus} ${upstreamCode}: ${upstreamMessage}`.slice(0, 500), {
      details: { upstream_status: upstreamStatus, upstream_code: upstreamCode },
    });
  }
}

/** Salesforce's answer was larger than the app reads into memory. */
export class SalesforceResponseTooLargeError extends AppError {
  readonly status = 502;
  readonly code = 'salesforce_response_too_large';
  constructor(limitBytes: number) {
    super(`Salesforce's answer is larger than ${Math.round(limitBytes / 1024 / 1024)} MB, the most the proxy passes on; ask for less (a smaller query or page)`);
  }
}

/** Salesforce could not be reached, or did not answer in time. Carries method, host and path only. */
export class SalesforceUnavailableError extends AppError {
  readonly status: number;
  readonly code: string;
  constructor(kind: 'unreachable' | 'timeout', target: { method: string; url: string }, options?: { cause?: unknown }) {
    const where = `${target.method.toUpperCase()} ${safeTarget(target.url)}`;
    super(kind === 'timeout' ? `Salesforce did not answer in time (${where})` : `Salesforce could not be reached (${where})`, options);
    this.status = kind === 'timeout' ? 504 : 503;
    this.code = kind === 'timeout' ? 'salesforce_timeout' : 'salesforce_unavailable';
  }
}

/** A login host outside SFDC_LOGIN_HOSTS, or an instance or identity URL outside SFDC_TRUSTED_HOSTS. */
export class UntrustedSalesforceHostError extends AppError {
  readonly status = 400;
  readonly code = 'untrusted_salesforce_host';
  constructor(what: string, list: 'SFDC_TRUSTED_HOSTS' | 'SFDC_LOGIN_HOSTS' = 'SFDC_TRUSTED_HOSTS') {
    super(`${what} is not a trusted Salesforce host (see ${list})`);
  }
}

/** Origin and path of a URL, never its query (which may carry a token). */
export function safeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
