/** What the API shows of a Task's Salesforce connection: who it acts as and its health, never a token. */
export interface SalesforceConnection {
  status: string;
  status_reason: string | null;
  environment: string | null;
  instance_url: string | null;
  identity: { username: string; display_name: string; organization_id: string; user_id: string } | null;
  connected_at: string | null;
  refreshed_at: string | null;
  last_test: unknown;
}

type Stored = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Picks the summary fields out of the stored `tasks.sfdc` (an allowlist: tokens cannot slip through). */
export function toSalesforceConnection(sfdc: Stored | null): SalesforceConnection | null {
  if (!sfdc) return null;
  const identity = (sfdc.identity ?? null) as Stored | null;
  return {
    status: text(sfdc.status) ?? 'connected',
    status_reason: text(sfdc.status_reason),
    environment: text(sfdc.environment),
    instance_url: text(sfdc.instance_url),
    identity: identity
      ? {
          username: text(identity.username) ?? '',
          display_name: text(identity.display_name) ?? '',
          organization_id: text(identity.organization_id) ?? '',
          user_id: text(identity.user_id) ?? '',
        }
      : null,
    connected_at: text(sfdc.connected_at),
    refreshed_at: text(sfdc.refreshed_at),
    last_test: sfdc.last_test ?? null,
  };
}
