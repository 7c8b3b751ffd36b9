/**
 * salesforce-emulator: a small, faithful Salesforce over real HTTP on 127.0.0.1 (OAuth web server
 * flow, identity, a REST subset with SOQL) and a control API to make it misbehave, for
 * development, demos and tests. See README.md.
 */
export { startEmulator, type Emulator, type EmulatorOptions } from './server';
export type { EmulatedConnectedApp } from './context';
export type { HostKey } from './seed';
export type { EmulatorState, Org, OrgUser } from './state';
