import type { Response } from 'express';

/**
 * Answers JSON with Salesforce's header byte for byte (`application/json;charset=UTF-8`). Sent
 * as a Buffer because Express rewrites the charset of a string body to `; charset=utf-8`.
 */
export function sendSalesforceJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res
    .status(status)
    .set({ ...headers, 'Content-Type': 'application/json;charset=UTF-8' })
    .send(Buffer.from(JSON.stringify(body)));
}
