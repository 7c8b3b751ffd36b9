import type { OAuthGrantError } from './oauth-client';

/**
 * Why Salesforce refused a connection for good, in words a person understands, from the token
 * endpoint's `{error, error_description}`: the UI shows this, never `invalid_grant: …`.
 */
export function describeRefusal(err: Pick<OAuthGrantError, 'error' | 'description'>): string {
  const description = err.description.toLowerCase();
  if (err.error === 'inactive_user' || /inactive user|user is inactive|user is frozen/.test(description)) {
    return 'The Salesforce user this connection signs in as is inactive or frozen (an admin deactivated them). Reconnect as an active user.';
  }
  if (err.error === 'inactive_org' || /inactive org|organization is inactive/.test(description)) {
    return 'The Salesforce org is inactive (a trial that ended, or an org that was locked). Reconnect once the org is active again.';
  }
  if (err.error === 'invalid_client_id' || err.error === 'invalid_client') {
    return "Salesforce no longer recognises this app's consumer key or secret (the connected app was changed or removed). An admin must fix the app's settings; then reconnect.";
  }
  if (err.error === 'invalid_app_access' || /hasn't approved this consumer|not approved/.test(description)) {
    return "A Salesforce admin removed this app's access for the user. Ask them to allow it again, then reconnect.";
  }
  if (/authentication failure/.test(description)) {
    return 'Salesforce refused the sign-in: the Salesforce user may have been deactivated, or an admin revoked their sessions. Reconnect to continue.';
  }
  if (/expired access\/refresh token/.test(description)) {
    return "Salesforce no longer accepts this connection: its refresh token expired after going unused for too long, or an admin revoked the app's access. Reconnect to continue.";
  }
  return 'Salesforce revoked this connection. Reconnect to continue.';
}

/** Why a connection was evicted: Salesforce keeps five approvals per user per connected app. */
export function describeEviction(newerTask: { name: string } | undefined, limit: number): string {
  const newer = newerTask ? `the Task '${newerTask.name}'` : 'a newer connection';
  return `Salesforce revoked this connection because ${newer} connected as the same Salesforce user (Salesforce keeps ${limit} connections per user for this app). Reconnect to use it again.`;
}

/** Why Salesforce refused an integration user's assertion (JWT bearer), with what an admin can do. */
export function describeJwtRefusal(err: Pick<OAuthGrantError, 'error' | 'description'>): string {
  const description = err.description.toLowerCase();
  if (/hasn't approved this consumer|not approved/.test(description) || err.error === 'invalid_app_access') {
    return 'Salesforce refused the integration user: the user hasn\'t been pre-authorized for this app. An admin must add the app to the user\'s profile or a permission set (Setup → Connected Apps → Manage → Profiles / Permission Sets), with "Admin approved users are pre-authorized".';
  }
  if (err.error === 'invalid_client_id' || err.error === 'invalid_client') return "Salesforce does not recognise this app's consumer key: check SFDC_CONNECTED_APP_KEY.";
  if (/audience is invalid/.test(description)) return 'Salesforce refused the assertion: its audience is not this login host (check the environment, or the My Domain).';
  if (/expired authorization code/.test(description)) return "Salesforce found the assertion expired: this server's clock may be wrong.";
  if (/invalid assertion/.test(description)) return "Salesforce could not verify the assertion: the Connected App's certificate does not match SFDC_JWT_PRIVATE_KEY.";
  if (/authentication failure|inactive/.test(description) || err.error === 'inactive_user') return 'Salesforce refused the integration user: the username is unknown, or the user is inactive.';
  return describeRefusal(err);
}
