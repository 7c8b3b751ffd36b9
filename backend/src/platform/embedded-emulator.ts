import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Emulator } from 'salesforce-emulator';
import type { Config } from '../config';
import type { Logger } from './logger';

/**
 * `npm start` without a Connected App: run the emulator in-process and point the app's
 * Salesforce settings at it, so the whole flow works offline. Hosts listen on PORT+1…PORT+5
 * when free (stable URLs across restarts), otherwise on any free ports.
 *
 * The emulator is a development tool (a devDependency, absent from the production image): it is
 * loaded here, on demand, and nowhere else, so a configured app never loads it.
 */
export async function startEmbeddedEmulator(config: Config, logger: Logger): Promise<{ emulator: Emulator; config: Config }> {
  const { startEmulator } = await import('salesforce-emulator');
  // The emulated Connected App holds the certificate of a key pair made for this run (JWT bearer),
  // unless the operator configured a key of their own.
  const jwt = config.salesforce.jwtPrivateKey ? publicKeyOf(config.salesforce.jwtPrivateKey) : newKeyPair();
  const app = {
    clientId: 'emulator-consumer-key',
    clientSecret: randomBytes(24).toString('base64url'),
    redirectUris: [config.salesforce.redirectUri],
    jwtCertificate: jwt.publicKey,
  };
  const preferredPort = config.http.port ? config.http.port + 1 : 0;
  const emulator = await startEmulator({ ...app, port: preferredPort }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    return startEmulator({ ...app, port: 0 });
  });
  logger.info({ loginUrl: emulator.loginUrl, sandboxLoginUrl: emulator.sandboxLoginUrl, controlUrl: emulator.controlUrl }, 'no Connected App configured: using the built-in Salesforce emulator');
  const pointed = pointConfigAtEmulator(config, emulator);
  return { emulator, config: Object.freeze({ ...pointed, salesforce: { ...pointed.salesforce, jwtPrivateKey: jwt.privateKey } }) };
}

function newKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function publicKeyOf(privateKey: string): { privateKey: string; publicKey: string } {
  return { privateKey, publicKey: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
}

export function pointConfigAtEmulator(config: Config, emulator: Emulator): Config {
  return Object.freeze({
    ...config,
    salesforce: {
      ...config.salesforce,
      clientId: emulator.app.clientId,
      clientSecret: emulator.app.clientSecret,
      loginUrl: emulator.loginUrl,
      sandboxLoginUrl: emulator.sandboxLoginUrl,
      // The emulator's own ports only: never "127.0.0.1 on any port", which would let a Task
      // send the client secret or a token to any local service.
      trustedHosts: [...config.salesforce.trustedHosts, ...emulator.hostPatterns.trusted],
      loginHosts: [...config.salesforce.loginHosts, ...emulator.hostPatterns.login],
      usesEmulator: true,
    },
  });
}
