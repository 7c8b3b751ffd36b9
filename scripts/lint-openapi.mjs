#!/usr/bin/env node
// `npm run lint:openapi`: builds the OpenAPI document from the contract's zod schemas (no database,
// no server: the same function GET /api/openapi.json serves) and validates it as OpenAPI 3.1.
// Run with tsx (see package.json), which loads the backend's TypeScript source.
import { compileErrors, validate } from '@readme/openapi-parser';
import { buildOpenApiDocument } from '../backend/src/openapi/openapi-document.ts';

const document = buildOpenApiDocument();
const result = await validate(structuredClone(document));
const operations = Object.values(document.paths ?? {}).reduce((count, item) => count + Object.keys(item).length, 0);

if (!result.valid) {
  console.error(compileErrors(result));
  process.exit(1);
}
if (result.warnings.length) console.warn(compileErrors(result));
console.log(
  `OpenAPI ${document.openapi} document is valid: ${Object.keys(document.paths ?? {}).length} paths, ${operations} operations, ${Object.keys(document.components?.schemas ?? {}).length} schemas`,
);
