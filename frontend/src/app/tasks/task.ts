/**
 * Mirror of the backend's task DTO (snake_case, as on the wire). `sfdc` is a summary of the
 * Salesforce connection; the backend never sends tokens.
 */
export interface Task {
  id: string;
  name: string;
  /** The backend sends '' for "none"; null is tolerated for older rows. */
  description: string | null;
  sfdc: SfdcConnection | null;
  created_at: string;
  updated_at: string;
}

export type SfdcStatus = 'connected' | 'reconnect_needed';
export type SfdcEnvironment = 'production' | 'sandbox' | 'custom';

export interface SfdcConnection {
  status: SfdcStatus;
  /** Why a reconnect is needed (e.g. the refresh token was revoked); null while connected. */
  status_reason: string | null;
  environment: SfdcEnvironment;
  instance_url: string;
  identity: SfdcIdentity | null;
  connected_at: string;
  refreshed_at: string | null;
  last_test: SfdcLastTest | null;
}

export interface SfdcIdentity {
  username: string;
  display_name: string;
  organization_id: string;
  user_id: string;
}

/** The outcome of the most recent "Test connection", kept by the backend with the connection. */
export interface SfdcLastTest {
  status: boolean;
  message: string;
  /** The backend's error code when status is false (e.g. salesforce_reconnect_needed). */
  code: string | null;
  /** True when the test had to refresh the access token first. */
  refreshed: boolean;
  at: string;
}

export interface CreateTaskRequest {
  name: string;
  description?: string;
}

export type UpdateTaskRequest = Partial<CreateTaskRequest>;
