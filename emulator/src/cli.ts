import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEmulator } from './server';

/**
 * `npx salesforce-emulator [--port 4000] [--client-id …] [--client-secret …] [--redirect-uri …] [--jwt-certificate public.pem]`:
 * the Salesforce emulator on its own, for trying a client against it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.EMULATOR_PORT ?? '4000' },
      'client-id': { type: 'string', default: 'emulator-consumer-key' },
      'client-secret': { type: 'string', default: 'emulator-consumer-secret' },
      'redirect-uri': { type: 'string', multiple: true, default: ['http://localhost:3000/sfdc/oauth/callback'] },
      /** A PEM file with the JWT bearer flow's public key (`-----BEGIN PUBLIC KEY-----`). */
      'jwt-certificate': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65530) throw new Error('--port must be a port number');
  const emulator = await startEmulator({
    port,
    clientId: values['client-id']!,
    clientSecret: values['client-secret']!,
    redirectUris: values['redirect-uri']!,
    jwtCertificate: values['jwt-certificate'] ? readFileSync(values['jwt-certificate'], 'utf8') : undefined,
  });

  const hosts = emulator.hostPatterns;
  const lines = [
    'Salesforce emulator running',
    `  production login  ${emulator.origins.login}`,
    `  sandbox login     ${emulator.origins.test}`,
    `  instances         na1 ${emulator.origins.na1} (production), cs1 ${emulator.origins.cs1} (sandbox), na2 ${emulator.origins.na2} (spare)`,
    `  control API       ${emulator.controlUrl}`,
    `  Connected App     client id ${emulator.app.clientId}; callback ${emulator.app.redirectUris.join(', ')}`,
    `  JWT bearer flow   ${emulator.app.jwtCertificate ? 'certificate registered' : 'no certificate (--jwt-certificate public.pem)'}`,
    '  users             ' + emulator.state.orgs.flatMap((org) => org.users.map((u) => `${u.username} (${org.key})`)).join(', '),
    '',
    'Point the app at it with:',
    `  SFDC_LOGIN_URL=${emulator.origins.login} SFDC_SANDBOX_LOGIN_URL=${emulator.origins.test} \\`,
    `  SFDC_TRUSTED_HOSTS=${hosts.trusted.join(',')} SFDC_LOGIN_HOSTS=${hosts.login.join(',')} \\`,
    `  SFDC_CONNECTED_APP_KEY=${emulator.app.clientId} SFDC_CONNECTED_APP_SECRET=<the secret> npm start`,
  ];
  console.log(lines.join('\n'));
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('The emulator could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
