import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Middleware run one after another as one handler: the same steps as listing them on a route,
 * without a router layer (and its bookkeeping) per step. For the hot path. A step's error, thrown
 * or rejected, goes to Express's error handling like any middleware's.
 */
export function inSequence(...steps: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let index = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== null) return next(err);
      const handler = steps[index++];
      if (!handler) return next();
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch((failure: unknown) => next(failure ?? new Error('a middleware rejected without a reason')));
      } catch (failure) {
        next(failure);
      }
    };
    step();
  };
}
