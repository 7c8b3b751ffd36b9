import { relativeTime } from './relative-time';

describe('relativeTime', () => {
  const now = Date.parse('2026-06-15T12:00:00.000Z');
  const at = (offsetSeconds: number) => new Date(now + offsetSeconds * 1000).toISOString();

  it('when under a minute away, then it says so rather than counting seconds', () => {
    expect(relativeTime(at(-20), now)).toBe('less than a minute ago');
    expect(relativeTime(at(0), now)).toBe('in less than a minute');
    expect(relativeTime(at(59), now)).toBe('in less than a minute');
  });

  it('when further, then it rounds to the largest whole unit, in words', () => {
    expect(relativeTime(at(-60), now)).toBe('1 minute ago');
    expect(relativeTime(at(10 * 60), now)).toBe('in 10 minutes');
    expect(relativeTime(at(-3 * 3600), now)).toBe('3 hours ago');
    expect(relativeTime(at(-26 * 3600), now)).toBe('yesterday');
    expect(relativeTime(at(3 * 24 * 3600), now)).toBe('in 3 days');
    expect(relativeTime(at(-400 * 24 * 3600), now)).toBe('last year');
  });
});
