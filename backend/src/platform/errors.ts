/** Base of every error the app throws on purpose; error-middleware turns it into the envelope. */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, { cause: options?.cause });
    this.name = new.target.name;
    this.details = options?.details;
  }
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_request';
  constructor(issues: ValidationIssue[]) {
    super(issues.length ? `Invalid request: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}` : 'Invalid request', {
      details: { issues },
    });
  }
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  constructor(message = 'Sign in required') {
    super(message);
  }
}

export class InvalidCredentialsError extends AppError {
  readonly status = 401;
  readonly code = 'invalid_credentials';
  constructor() {
    super('Wrong email or password');
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  constructor(
    readonly code: string,
    message = 'Not found',
  ) {
    super(message);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  constructor() {
    super('Send the request body as JSON (Content-Type: application/json)');
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
