import type { NextFunction, Request, Response } from 'express';
import { UnauthenticatedError } from '../platform/errors';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface User {
      id: string;
      email: string;
      createdAt: Date;
    }
    interface Request {
      /** How the caller proved who they are; unset for anonymous requests. */
      authMethod?: 'session' | 'api_token';
      /** What the API token may do, when the caller used one. */
      apiToken?: { tokenId: string; scopes: string[]; taskIds: string[] | null };
    }
  }
}

/** The signed-in user of a route mounted behind `requireUser`. */
export function currentUser(req: Request): Express.User {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}

export function requireUser(req: Request, _res: Response, next: NextFunction): void {
  next(req.user ? undefined : new UnauthenticatedError());
}
