import { sfdcCallbackMessage } from './sfdc-callback-message';

describe('sfdcCallbackMessage', () => {
  it('when the code is known, then the text says what happened', () => {
    expect(sfdcCallbackMessage('access_denied')).toBe('You denied access on the Salesforce page.');
    expect(sfdcCallbackMessage('invalid_state')).toBe(
      'The sign-in link expired or was already used; try again.',
    );
  });

  it('when the code is unknown or missing, then the text still names it', () => {
    expect(sfdcCallbackMessage('token_exchange_failed')).toBe(
      'Salesforce connection failed (token_exchange_failed).',
    );
    expect(sfdcCallbackMessage(undefined)).toBe('Salesforce connection failed (unknown).');
  });
});
