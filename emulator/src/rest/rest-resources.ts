import type { Org } from '../state';

/** The API versions the emulator serves; Salesforce answers 404 NOT_FOUND outside its range. */
export const OLDEST_API_VERSION = 31;
export const NEWEST_API_VERSION = 64;

// Three releases a year; v62.0 was Winter '25, so each version's label follows from its distance to 62.
const SEASONS = ['Winter', 'Spring', 'Summer'];

export interface ApiVersion {
  label: string;
  url: string;
  version: string;
}

/** `GET /services/data/`: every served version, oldest first, as Salesforce lists them. */
export function listApiVersions(): ApiVersion[] {
  const versions: ApiVersion[] = [];
  for (let major = OLDEST_API_VERSION; major <= NEWEST_API_VERSION; major += 1) {
    const distance = major - 62;
    const season = SEASONS[((distance % 3) + 3) % 3];
    const year = 25 + Math.floor(distance / 3);
    versions.push({ label: `${season} '${String(year).padStart(2, '0')}`, url: `/services/data/v${major}.0`, version: `${major}.0` });
  }
  return versions;
}

/** `v62.0` → `62.0`, or undefined when the path segment is no served version. */
export function parseApiVersion(segment: string): string | undefined {
  const match = /^v(\d+)\.0$/.exec(segment);
  const major = match ? Number(match[1]) : NaN;
  return major >= OLDEST_API_VERSION && major <= NEWEST_API_VERSION ? `${major}.0` : undefined;
}

/** `GET /services/data/vXX.X/`: the resources the emulator implements, plus the caller's identity URL. */
export function listResources(version: string, identityUrl: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  return {
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    limits: `${base}/limits`,
    identity: identityUrl,
  };
}

interface Limit {
  Max: number;
  Remaining: number;
}

/** `GET …/limits`: DailyApiRequests is the org's allowance and what is left of it (this call included); the rest are a fresh org's allowances. */
export function describeLimits(org: Org): Record<string, Limit> {
  const unused = (max: number): Limit => ({ Max: max, Remaining: max });
  return {
    ConcurrentAsyncGetReportInstances: unused(200),
    ConcurrentSyncReportRuns: unused(20),
    DailyApiRequests: { Max: org.apiDailyLimit, Remaining: Math.max(0, org.apiDailyLimit - org.apiUsage) },
    DailyAsyncApexExecutions: unused(250_000),
    DailyBulkApiBatches: unused(15_000),
    DailyBulkV2QueryJobs: unused(10_000),
    DataStorageMB: unused(5),
    FileStorageMB: unused(20),
    HourlyTimeBasedWorkflow: unused(1_000),
    SingleEmail: unused(15),
  };
}
