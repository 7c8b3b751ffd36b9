/**
 * The warning after a connect made Salesforce revoke older connections: it keeps five approvals
 * per Salesforce user for one connected app, and revokes the oldest when a sixth is approved.
 *
 * `taskNames`: one entry per evicted Task of this user, null where its name could not be read;
 * `others`: how many connections of other people using this app went too. Null when none went.
 */
export function evictionMessage(
  taskNames: readonly (string | null)[],
  others: number,
): string | null {
  const known = taskNames.filter((name): name is string => name !== null);
  const unknown = taskNames.length - known.length;
  const parts = known.map((name) => `'${name}'`);
  if (unknown === 1) parts.push('another Task');
  if (unknown > 1) parts.push(`${unknown} other Tasks`);
  if (others > 0) {
    parts.push(
      `${others} other ${others === 1 ? 'connection' : 'connections'} of this Salesforce user`,
    );
  }
  if (parts.length === 0) return null;
  const list = new Intl.ListFormat('en', { type: 'conjunction' }).format(parts);
  return `Connecting this Task disconnected ${list}, because Salesforce allows five connections per user for this app.`;
}
