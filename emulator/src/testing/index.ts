/** The test kit (`salesforce-emulator/testing`): drive the emulator as a browser and a client would. */
export * from './kit';
export * from './rest-kit';
