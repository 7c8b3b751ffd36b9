// The API's contract: the shapes it answers and the bodies it accepts, as zod schemas (the backend
// validates with them) and their types (the SPA imports those with `import type`, so no zod code
// enters its bundle). Nothing here may import from the backend's features, only zod.
export * from './account';
export * from './api-error';
export * from './api-token';
export * from './client-config';
export * from './connection-event';
export * from './limits';
export * from './paging';
export * from './salesforce-connection';
export * from './task';
export * from './text';
export * from './user';
export * from './webhook';
