import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@contract';

/** Checked rather than trusted: a proxy or a gateway in front of the backend answers its own bodies. */
function isErrorEnvelope(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const inner = (body as { error: unknown }).error;
  return (
    typeof inner === 'object' &&
    inner !== null &&
    typeof (inner as { code?: unknown }).code === 'string' &&
    typeof (inner as { message?: unknown }).message === 'string'
  );
}

/**
 * The one error type components see. `code` is the backend's stable snake_case code, so callers
 * can branch on it; `message` is written for the user and safe to show as is.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static from(err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    if (err instanceof HttpErrorResponse) {
      if (isErrorEnvelope(err.error)) {
        return new ApiError(err.status, err.error.error.code, err.error.error.message);
      }
      // Status 0 means the request never got an answer (server down, proxy not running, offline).
      if (err.status === 0) {
        return new ApiError(
          0,
          'network_error',
          'The server could not be reached. Please try again.',
        );
      }
      // A body without the envelope comes from something in front of the backend (a proxy, a 502).
      return new ApiError(
        err.status,
        'http_error',
        `The server answered with status ${err.status}.`,
      );
    }
    return new ApiError(0, 'unexpected_error', 'Something went wrong. Please try again.');
  }
}
