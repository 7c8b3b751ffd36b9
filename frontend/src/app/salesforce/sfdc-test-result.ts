import { SfdcIdentity } from '../tasks/task';

/** Mirror of POST /api/tasks/:id/sfdc/test (200 for both outcomes; `status` says which). */
export interface SfdcTestResult {
  status: boolean;
  message: string;
  code: string | null;
  refreshed: boolean;
  /** Who the connection acts as, when Salesforce answered. */
  identity?: SfdcIdentity;
  tested_at: string;
}

/** The code with which the backend says the refresh token is dead and the user must reconnect. */
export const RECONNECT_NEEDED_CODE = 'salesforce_reconnect_needed';
