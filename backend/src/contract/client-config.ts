import { z } from 'zod';

/** `GET /api/config`: what the SPA needs to know about this deployment (no secrets). */
export const ClientConfig = z.strictObject({
  salesforce: z.strictObject({
    /** Salesforce here is the built-in emulator (the SPA says so on the sign-in step). */
    uses_emulator: z.boolean(),
    api_version: z.string(),
    /** Connecting as an integration user (JWT bearer) is offered: a private key is configured (always with the emulator). */
    jwt_bearer: z.boolean(),
  }),
});
export type ClientConfig = z.infer<typeof ClientConfig>;
