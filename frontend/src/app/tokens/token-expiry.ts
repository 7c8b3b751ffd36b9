import { API_TOKEN_MAX_LIFETIME_DAYS } from '@contract/limits';

const DAY_MS = 86_400_000;
/**
 * The longest lifetime is asked for a minute short, so that a browser clock slightly ahead of the
 * server's is not refused with "at most 365 days ahead".
 */
const CLOCK_MARGIN_MS = 60_000;

/** The expiry choices the form offers: in so many days, on a date, or never. */
export const EXPIRY_PRESET_DAYS: readonly number[] = [
  ...new Set([30, 90, API_TOKEN_MAX_LIFETIME_DAYS]),
].filter((days) => days <= API_TOKEN_MAX_LIFETIME_DAYS);

/** `never`, `date` (a date input says which), or a number of days from now, as the select's value. */
export type ExpiryChoice = 'never' | 'date' | `${number}`;

export type ExpiryProblem = 'missing' | 'past' | 'too_far';

/** The latest moment a token created now may expire at. */
export function latestExpiry(now: number): number {
  return now + API_TOKEN_MAX_LIFETIME_DAYS * DAY_MS - CLOCK_MARGIN_MS;
}

/**
 * When a token chosen so would stop working, in ms; null for never, NaN while the date input is
 * empty or not a date. A date means the start of that day, in the browser's time zone.
 */
export function expiryMoment(choice: ExpiryChoice, date: string, now: number): number | null {
  if (choice === 'never') return null;
  if (choice === 'date') return startOfDay(date);
  return Math.min(now + Number(choice) * DAY_MS, latestExpiry(now));
}

/** Why the API would refuse that moment, checked here first to save a round trip. */
export function expiryProblem(moment: number | null, now: number): ExpiryProblem | null {
  if (moment === null) return null;
  if (Number.isNaN(moment)) return 'missing';
  if (moment <= now) return 'past';
  return moment > latestExpiry(now) ? 'too_far' : null;
}

/** `YYYY-MM-DD` in the browser's time zone, for a date input's `min` and `max`. */
export function isoDate(moment: number): string {
  const date = new Date(moment);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The first day a date input may offer (tomorrow) and the last (the lifetime limit's day). */
export function dateBounds(now: number): { min: string; max: string } {
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  return { min: isoDate(tomorrow.getTime()), max: isoDate(latestExpiry(now)) };
}

function startOfDay(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return NaN;
  const [year, month, day] = match.slice(1).map(Number);
  const moment = new Date(year, month - 1, day);
  // new Date() rolls 2026-02-31 over into March: such a date is not one.
  return moment.getDate() === day ? moment.getTime() : NaN;
}
