import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { grantToken, NOT_FOUND, restCall, restQuery, SALESFORCE_JSON, startRestEmulator } from '../testing/rest-kit';
import type { Emulator } from '../server';

describe('REST API /services/data: versions, limits, sessions and SOQL', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startRestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.state.reset());

  test('when a login host is asked for any REST path, then it answers 404 NOT_FOUND', async () => {
    const token = grantToken(emulator);

    const versions = await restCall(emulator, undefined, '/', { host: 'login' });
    const limits = await restCall(emulator, token, '/v62.0/limits', { host: 'test' });

    expect(versions.status).toBe(404);
    expect(versions.json).toEqual(NOT_FOUND);
    expect(versions.headers.get('content-type')).toBe(SALESFORCE_JSON);
    expect(limits.status).toBe(404);
    expect(limits.json).toEqual(NOT_FOUND);
  });

  test('when the versions are listed without a session, then 31.0 through 64.0 come back with their release labels', async () => {
    const res = await restCall(emulator, undefined, '/');

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(SALESFORCE_JSON);
    expect(res.json[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(res.json).toContainEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    expect(res.json.at(-1)).toEqual({ label: "Summer '25", url: '/services/data/v64.0', version: '64.0' });
    expect(res.json).toHaveLength(34);
  });

  test('when the version segment is outside the served range or malformed, then 404 NOT_FOUND', async () => {
    const token = grantToken(emulator);

    const results = await Promise.all(['/v30.0/limits', '/v65.0/limits', '/v62/limits', '/latest/limits'].map((path) => restCall(emulator, token, path)));

    for (const res of results) {
      expect(res.status).toBe(404);
      expect(res.json).toEqual(NOT_FOUND);
    }
  });

  test('when the resources of a version are asked for, then they point at that version and the caller identity', async () => {
    const token = grantToken(emulator);
    const org = emulator.state.orgByKey('production')!;

    const res = await restCall(emulator, token, '/v58.0/');

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      sobjects: '/services/data/v58.0/sobjects',
      query: '/services/data/v58.0/query',
      queryAll: '/services/data/v58.0/queryAll',
      limits: '/services/data/v58.0/limits',
      identity: `${emulator.origins.login}/id/${org.id}/${org.users[0].id}`,
    });
  });

  test('when limits are read twice, then Sforce-Limit-Info counts each call and DailyApiRequests.Remaining follows it', async () => {
    const token = grantToken(emulator);

    const first = await restCall(emulator, token, '/v62.0/limits');
    const second = await restCall(emulator, token, '/v62.0/limits');

    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    expect(second.headers.get('sforce-limit-info')).toBe('api-usage=2/15000');
    expect(second.status).toBe(200);
    expect(second.json.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14998 });
    expect(second.json.DataStorageMB).toEqual({ Max: 5, Remaining: 5 });
    expect(emulator.state.callCounts.get('rest:limits')).toBe(2);
  });

  test('when the access token has expired or is missing, then 401 INVALID_SESSION_ID with Salesforce body', async () => {
    const expired = grantToken(emulator, 'production', -1);

    const withExpired = await restCall(emulator, expired, '/v62.0/query?q=SELECT+Id+FROM+Account');
    const withNone = await restCall(emulator, undefined, '/v62.0/sobjects');

    expect(withExpired.status).toBe(401);
    expect(withExpired.json).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    expect(withNone.status).toBe(401);
    expect(withNone.json).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  test('when a SOQL query selects fields, then the answer holds only those fields with attributes', async () => {
    const token = grantToken(emulator);

    const res = await restQuery(emulator, token, "SELECT Id, name FROM Account WHERE BillingCity IN ('Austin', 'Paris') ORDER BY Name DESC");

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(SALESFORCE_JSON);
    expect(res.json.totalSize).toBe(2);
    expect(res.json.done).toBe(true);
    expect(res.json.records.map((r: { Name: string }) => r.Name)).toEqual(['Pyramid Construction Inc.', 'Edge Communications']);
    expect(res.json.records[0]).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${res.json.records[0].Id}` },
      Id: expect.stringMatching(/^001\w{15}$/),
      Name: 'Pyramid Construction Inc.',
    });
  });

  test('when COUNT() goes through queryAll, then totalSize counts the records and records is empty', async () => {
    const token = grantToken(emulator);

    const res = await restCall(emulator, token, `/v62.0/queryAll?q=${encodeURIComponent('SELECT COUNT() FROM Contact')}`);

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ totalSize: 5, done: true, records: [] });
  });

  test('when q is missing, then 400 MALFORMED_QUERY', async () => {
    const token = grantToken(emulator);

    const res = await restCall(emulator, token, '/v62.0/query');

    expect(res.status).toBe(400);
    expect(res.json).toEqual([{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }]);
  });

  test('when the SOQL does not parse, then 400 MALFORMED_QUERY names the unexpected token', async () => {
    const token = grantToken(emulator);

    const res = await restQuery(emulator, token, 'SELECT Id FRM Account');

    expect(res.status).toBe(400);
    expect(res.json).toEqual([{ message: '\nSELECT Id FRM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: FRM', errorCode: 'MALFORMED_QUERY' }]);
  });

  test('when the SOQL names an unknown object or field, then 400 INVALID_TYPE or INVALID_FIELD', async () => {
    const token = grantToken(emulator);

    const unknownType = await restQuery(emulator, token, 'SELECT Id FROM Foo');
    const unknownField = await restQuery(emulator, token, 'SELECT Id, Foo FROM Account');

    expect(unknownType.status).toBe(400);
    expect(unknownType.json).toEqual([
      {
        message:
          "\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
        errorCode: 'INVALID_TYPE',
      },
    ]);
    expect(unknownField.status).toBe(400);
    expect(unknownField.json[0].errorCode).toBe('INVALID_FIELD');
    expect(unknownField.json[0].message).toContain("No such column 'Foo' on entity 'Account'.");
  });

  test('when the sandbox is queried on cs1, then its token sees its records and a production token is refused', async () => {
    const sandboxToken = grantToken(emulator, 'sandbox');
    const productionToken = grantToken(emulator, 'production');

    const sandbox = await restQuery(emulator, sandboxToken, 'SELECT Name FROM Account', 'cs1');
    const productionOnCs1 = await restQuery(emulator, productionToken, 'SELECT Name FROM Account', 'cs1');
    const sandboxOnNa1 = await restQuery(emulator, sandboxToken, 'SELECT Name FROM Account', 'na1');

    expect(sandbox.status).toBe(200);
    expect(sandbox.json.records.map((r: { Name: string }) => r.Name)).toEqual(['Sandbox Test Account']);
    expect(productionOnCs1.status).toBe(401);
    expect(productionOnCs1.json).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    expect(sandboxOnNa1.status).toBe(401);
  });
});
