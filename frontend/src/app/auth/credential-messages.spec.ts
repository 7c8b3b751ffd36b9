import { safeReturnUrl } from './credential-messages';

describe('safeReturnUrl', () => {
  it('when given an in-app path, then it keeps it', () => {
    expect(safeReturnUrl('/tasks/42?sfdc=connected')).toBe('/tasks/42?sfdc=connected');
  });

  it.each([
    undefined,
    null,
    '',
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '/login',
    '/register?x=1',
  ])('when given %j, then it falls back to /tasks', (url) => {
    expect(safeReturnUrl(url)).toBe('/tasks');
  });
});
