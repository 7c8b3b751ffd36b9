import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { authenticateRestCall, type ApiCaller } from './api-auth';
import type { EmulatorContext } from '../context';
import type { HostKey } from '../seed';
import { identityUrl } from '../oauth/oauth-responses';
import { describeGlobal, describeSObject, describeSObjectBasics } from './rest-describe';
import { deleteRecord, findRecord, insertRecord, presentRecord, readRecordValues, updateRecord, type RestError } from './rest-records';
import { describeLimits, listApiVersions, listResources, parseApiVersion } from './rest-resources';
import { buildRecord, findSObjectType, type SObjectType } from './sobjects';
import { runSoql, SoqlError } from '../soql/soql';
import { sendSalesforceJson } from '../salesforce-json';
import { sendFile } from './rest-files';

const INSTANCE_HOSTS: HostKey[] = ['na1', 'cs1', 'na2'];
const NOT_FOUND: RestError[] = [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }];
const MISSING_QUERY: RestError[] = [{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }];
const UNKNOWN_EXCEPTION: RestError[] = [
  { errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)' },
];

type RestHandler = (req: Request, res: Response, caller: ApiCaller, version: string) => void | Promise<void>;

/** Salesforce's REST API (`/services/data`) on an instance host; login hosts answer 404 everywhere. */
export function createRestRouter(ctx: EmulatorContext, host: HostKey): Router {
  const router = Router();
  if (!INSTANCE_HOSTS.includes(host)) {
    router.use(answerNotFound);
    return router;
  }
  // Real Salesforce lists its versions without a session.
  router.get('/', (_req, res) => {
    res.locals.endpoint = 'rest:versions';
    sendSalesforceJson(res, 200, listApiVersions());
  });
  router.use('/:version', requireApiVersion, createVersionRouter(ctx, host));
  router.use(answerNotFound);
  router.use(answerUnexpectedError);
  return router;
}

function createVersionRouter(ctx: EmulatorContext, host: HostKey): Router {
  const call = (endpoint: string, handle: RestHandler): RequestHandler => restCall(ctx, host, endpoint, handle);
  const api = Router({ mergeParams: true });
  api.get(
    '/',
    call('rest:resources', (_req, res, caller, version) => sendSalesforceJson(res, 200, listResources(version, identityUrl(ctx, caller.org, caller.user)))),
  );
  api.get(
    '/limits',
    call('rest:limits', (_req, res, caller) => sendSalesforceJson(res, 200, describeLimits(caller.org))),
  );
  api.get('/query', call('rest:query', answerQuery));
  api.get('/queryAll', call('rest:query-all', answerQuery));
  api.route('/sobjects').get(call('rest:sobjects', (_req, res, _caller, version) => sendSalesforceJson(res, 200, describeGlobal(version))));
  api
    .route('/sobjects/:type')
    .get(
      call(
        'rest:sobject-basics',
        withType((_req, res, caller, version, type) => sendSalesforceJson(res, 200, describeSObjectBasics(type, caller.org, version))),
      ),
    )
    .post(call('rest:sobject-create', withType(createRecord)))
    .all(call('rest:method-not-allowed', methodNotAllowed('HEAD,GET,POST')));
  api
    .route('/sobjects/:type/describe')
    .get(
      call(
        'rest:describe',
        withType((_req, res, _caller, version, type) => sendSalesforceJson(res, 200, describeSObject(type, version))),
      ),
    )
    .all(call('rest:method-not-allowed', methodNotAllowed('HEAD,GET')));
  api.get(
    '/sobjects/ContentVersion/:id/VersionData',
    call('rest:version-data', (req, res, caller) => {
      const file = ctx.state.files.get(String(req.params.id));
      if (!file || file.orgId !== caller.org.id) return sendSalesforceJson(res, 404, NOT_FOUND);
      sendFile(req, res, file);
    }),
  );
  api
    .route('/sobjects/:type/:id')
    .get(call('rest:sobject-get', withType(getRecord)))
    .patch(call('rest:sobject-update', withType(patchRecord)))
    .delete(call('rest:sobject-delete', withType(removeRecord)))
    .all(call('rest:method-not-allowed', methodNotAllowed('HEAD,GET,PATCH,DELETE')));
  api.use(call('rest:not-found', (_req, res) => sendSalesforceJson(res, 404, NOT_FOUND)));
  return api;
}

/** Every REST handler authenticates first: api-auth answers 401/403/503 itself and counts the call. */
function restCall(ctx: EmulatorContext, host: HostKey, endpoint: string, handle: RestHandler): RequestHandler {
  return async (req, res) => {
    res.locals.endpoint = endpoint;
    const caller = await authenticateRestCall(ctx, req, res, host);
    if (caller) await handle(req, res, caller, String(req.params.version).slice(1));
  };
}

type TypedHandler = (req: Request, res: Response, caller: ApiCaller, version: string, type: SObjectType) => void | Promise<void>;

/** An unknown sObject in a REST path is a 404, unlike SOQL's INVALID_TYPE. */
function withType(handle: TypedHandler): RestHandler {
  return (req, res, caller, version) => {
    const type = findSObjectType(String(req.params.type));
    return type ? handle(req, res, caller, version, type) : sendSalesforceJson(res, 404, NOT_FOUND);
  };
}

function answerQuery(req: Request, res: Response, caller: ApiCaller, version: string): void {
  const query = req.query.q;
  if (typeof query !== 'string' || query.trim() === '') return sendSalesforceJson(res, 400, MISSING_QUERY);
  try {
    sendSalesforceJson(res, 200, runSoql(query, caller.org, version));
  } catch (err) {
    if (!(err instanceof SoqlError)) throw err;
    sendSalesforceJson(res, 400, [{ message: err.message, errorCode: err.errorCode }]);
  }
}

async function createRecord(req: Request, res: Response, caller: ApiCaller, _version: string, type: SObjectType): Promise<void> {
  const body = await readJsonBody(req, res);
  if (body === undefined) return;
  const result = readRecordValues(caller.org, type, body, 'insert');
  if ('error' in result) return sendSalesforceJson(res, 400, [result.error]);
  const record = buildRecord(type, result.values);
  insertRecord(caller.org, type, record);
  sendSalesforceJson(res, 201, { id: record.Id, success: true, errors: [] });
}

function getRecord(req: Request, res: Response, caller: ApiCaller, version: string, type: SObjectType): void {
  const record = findRecord(caller.org, type, String(req.params.id));
  if (!record) return sendSalesforceJson(res, 404, NOT_FOUND);
  const fields = typeof req.query.fields === 'string' ? req.query.fields : undefined;
  const result = presentRecord(type, record, version, fields);
  if ('error' in result) sendSalesforceJson(res, 400, [result.error]);
  else sendSalesforceJson(res, 200, result.record);
}

async function patchRecord(req: Request, res: Response, caller: ApiCaller, _version: string, type: SObjectType): Promise<void> {
  const record = findRecord(caller.org, type, String(req.params.id));
  if (!record) return sendSalesforceJson(res, 404, NOT_FOUND);
  const body = await readJsonBody(req, res);
  if (body === undefined) return;
  const result = readRecordValues(caller.org, type, body, 'update');
  if ('error' in result) return sendSalesforceJson(res, 400, [result.error]);
  updateRecord(type, record, result.values);
  res.status(204).end();
}

function removeRecord(req: Request, res: Response, caller: ApiCaller, _version: string, type: SObjectType): void {
  const record = findRecord(caller.org, type, String(req.params.id));
  if (!record) return sendSalesforceJson(res, 404, NOT_FOUND);
  deleteRecord(caller.org, type, record);
  res.status(204).end();
}

function methodNotAllowed(allowed: string): RestHandler {
  return (req, res) => {
    res.setHeader('Allow', allowed);
    sendSalesforceJson(res, 405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${req.method}' not allowed. Allowed are ${allowed}` }]);
  };
}

const parseJson = express.json({ limit: '5mb' });

/**
 * The JSON body, or undefined once the error is answered: 415 for another content type, 400
 * JSON_PARSER_ERROR for an empty or malformed body, 413 past the size limit. Parsed here,
 * after authentication, so a bad session is a 401 whatever the body holds.
 */
async function readJsonBody(req: Request, res: Response): Promise<unknown> {
  // Checked by hand: body-parser would read an empty JSON body as {}, which Salesforce refuses.
  const isEmpty = req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0;
  if (isEmpty) return failBody(res, 400, 'JSON_PARSER_ERROR', 'No content to map to Object due to end of input');
  if (!req.is('application/json')) {
    return failBody(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `Content type '${(req.headers['content-type'] ?? '').split(';')[0]}' not supported`);
  }
  const failure = await new Promise<{ status?: number; message?: string } | undefined>((resolve) => parseJson(req, res, resolve));
  if (failure?.status === 413) return failBody(res, 413, 'REQUEST_ENTITY_TOO_LARGE', 'The request body is larger than 5 MB');
  if (failure) return failBody(res, 400, 'JSON_PARSER_ERROR', `Malformed JSON: ${failure.message ?? 'unreadable body'}`);
  return req.body;
}

function failBody(res: Response, status: number, errorCode: string, message: string): undefined {
  sendSalesforceJson(res, status, [{ message, errorCode }]);
  return undefined;
}

function requireApiVersion(req: Request, res: Response, next: (err?: unknown) => void): void {
  if (parseApiVersion(String(req.params.version))) return next();
  answerNotFound(req, res);
}

function answerNotFound(_req: Request, res: Response): void {
  res.locals.endpoint ??= 'rest:not-found';
  sendSalesforceJson(res, 404, NOT_FOUND);
}

const answerUnexpectedError: ErrorRequestHandler = (_err, _req, res, next) => {
  if (res.headersSent) return next(_err);
  sendSalesforceJson(res, 500, UNKNOWN_EXCEPTION);
};
