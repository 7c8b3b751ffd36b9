import { oauthCallbackMessage } from './oauth-callback-message';

describe('oauthCallbackMessage', () => {
  it('when the code is known, then the text says what happened', () => {
    expect(oauthCallbackMessage('access_denied')).toBe('You denied access on the Salesforce page.');
    expect(oauthCallbackMessage('invalid_state')).toBe(
      'The sign-in link expired or was already used; try again.',
    );
  });

  it('when the code is unknown or missing, then the text still names it', () => {
    expect(oauthCallbackMessage('token_exchange_failed')).toBe(
      'Salesforce connection failed (token_exchange_failed).',
    );
    expect(oauthCallbackMessage(undefined)).toBe('Salesforce connection failed (unknown).');
  });
});
