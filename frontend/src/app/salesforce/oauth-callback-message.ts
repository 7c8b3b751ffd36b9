/**
 * The toast text for `?sfdc=error&code=…`, the backend's redirect after the Salesforce sign-in
 * page. Known codes get a sentence that says what to do; others still show the code for support.
 */
export function oauthCallbackMessage(code: string | null | undefined): string {
  switch (code) {
    case 'access_denied':
      return 'You denied access on the Salesforce page.';
    case 'invalid_state':
      return 'The sign-in link expired or was already used; try again.';
    default:
      return `Salesforce connection failed (${code || 'unknown'}).`;
  }
}
