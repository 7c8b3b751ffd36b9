import type { ApiTokenScope } from '@contract';
import { API_TOKEN_SCOPES } from '@contract/limits';

/** What each scope lets a token do, in one line, for the form's checkboxes. */
export const SCOPE_DESCRIPTIONS: Record<ApiTokenScope, string> = {
  'tasks:read': 'List and read Tasks and their Salesforce connections.',
  'tasks:write': 'Create, change and delete Tasks; connect and disconnect Salesforce.',
  'salesforce:test': "Test a Task's Salesforce connection.",
  'salesforce:proxy': "Call the Salesforce API through a Task's connection.",
  'webhooks:manage': 'Add, change and delete webhook endpoints.',
};

/** A token's scopes in the API's order, whatever order they were stored in. */
export function orderedScopes(scopes: readonly ApiTokenScope[]): ApiTokenScope[] {
  const granted = new Set(scopes);
  return API_TOKEN_SCOPES.filter((scope) => granted.has(scope));
}

/**
 * A token's scopes in a table cell, grouped by what they act on, in the API's order:
 * "tasks: read, write · salesforce: proxy".
 */
export function summariseScopes(scopes: readonly ApiTokenScope[]): string {
  const groups = new Map<string, string[]>();
  for (const scope of orderedScopes(scopes)) {
    const [resource, action] = scope.split(':');
    groups.set(resource, [...(groups.get(resource) ?? []), action]);
  }
  return Array.from(groups, ([resource, actions]) => `${resource}: ${actions.join(', ')}`).join(
    ' · ',
  );
}
