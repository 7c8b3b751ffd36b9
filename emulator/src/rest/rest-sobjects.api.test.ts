import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { grantToken, NOT_FOUND, restCall, type RestCallOptions, restQuery, SALESFORCE_JSON, startRestEmulator } from '../testing/rest-kit';
import type { Emulator } from '../server';

describe('REST API /services/data: sObject describe and CRUD', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startRestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.state.reset());

  test('when sObjects are described, then the list, the basic info with recent items and the field describe come back', async () => {
    const token = grantToken(emulator);

    const list = await restCall(emulator, token, '/v62.0/sobjects');
    const basics = await restCall(emulator, token, '/v62.0/sobjects/account');
    const describe = await restCall(emulator, token, '/v62.0/sobjects/Contact/describe');

    expect(list.json.sobjects.map((s: { name: string }) => s.name)).toEqual(['Account', 'Contact']);
    expect(list.json.sobjects[0]).toMatchObject({ keyPrefix: '001', queryable: true, urls: { describe: '/services/data/v62.0/sobjects/Account/describe' } });
    expect(basics.json.objectDescribe.name).toBe('Account');
    expect(basics.json.recentItems).toHaveLength(4);
    expect(basics.json.recentItems[0]).toEqual({
      attributes: { type: 'Account', url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Account\/001/) },
      Id: expect.any(String),
      Name: expect.any(String),
    });
    expect(describe.json.name).toBe('Contact');
    expect(describe.json.fields).toContainEqual(expect.objectContaining({ name: 'AccountId', type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' }));
    expect(describe.json.fields).toContainEqual(expect.objectContaining({ name: 'LastName', type: 'string', nillable: false, createable: true }));
    expect(describe.json.fields).toContainEqual(expect.objectContaining({ name: 'Name', createable: false }));
  });

  test('when the sObject type is unknown in a path, then 404 NOT_FOUND for describe, read and create', async () => {
    const token = grantToken(emulator);

    const results = await Promise.all([
      restCall(emulator, token, '/v62.0/sobjects/Foo/describe'),
      restCall(emulator, token, '/v62.0/sobjects/Foo/001000000000000AAA'),
      restCall(emulator, token, '/v62.0/sobjects/Foo', { method: 'POST', body: { Name: 'x' } }),
    ]);

    for (const res of results) {
      expect(res.status).toBe(404);
      expect(res.json).toEqual(NOT_FOUND);
    }
  });

  test('when an Account is created, then 201 with its id and it can be read back, whole or by fields', async () => {
    const token = grantToken(emulator);

    const created = await restCall(emulator, token, '/v62.0/sobjects/Account', { method: 'POST', body: { name: 'Universal Containers', Industry: 'Manufacturing' } });
    const whole = await restCall(emulator, token, `/v62.0/sobjects/Account/${created.json.id}`);
    const some = await restCall(emulator, token, `/v62.0/sobjects/Account/${created.json.id}?fields=name,Industry`);
    const by15 = await restCall(emulator, token, `/v62.0/sobjects/Account/${String(created.json.id).slice(0, 15)}?fields=Id`);

    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe(SALESFORCE_JSON);
    expect(created.json).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true, errors: [] });
    expect(whole.json).toMatchObject({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${created.json.id}` },
      Id: created.json.id,
      Name: 'Universal Containers',
      Website: null,
    });
    expect(whole.json.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(some.json).toEqual({ attributes: whole.json.attributes, Name: 'Universal Containers', Industry: 'Manufacturing' });
    expect(by15.json.Id).toBe(created.json.id);
  });

  test('when a create misses a required field, then 400 REQUIRED_FIELD_MISSING lists it', async () => {
    const token = grantToken(emulator);

    const res = await restCall(emulator, token, '/v62.0/sobjects/Account', { method: 'POST', body: { Industry: 'Apparel' } });

    expect(res.status).toBe(400);
    expect(res.json).toEqual([{ message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }]);
  });

  test('when a create names an unknown or read-only field, then 400 INVALID_FIELD or INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    const token = grantToken(emulator);

    const unknown = await restCall(emulator, token, '/v62.0/sobjects/Account', { method: 'POST', body: { Name: 'x', Foo: 'bar' } });
    const readOnly = await restCall(emulator, token, '/v62.0/sobjects/Contact', { method: 'POST', body: { LastName: 'x', Name: 'y' } });

    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual([{ message: "No such column 'Foo' on sobject of type Account", errorCode: 'INVALID_FIELD' }]);
    expect(readOnly.status).toBe(400);
    expect(readOnly.json).toEqual([expect.objectContaining({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Name'] })]);
  });

  test('when a create body is malformed, empty or not JSON, then 400 JSON_PARSER_ERROR or 415', async () => {
    const token = grantToken(emulator);
    const post = (options: RestCallOptions) => restCall(emulator, token, '/v62.0/sobjects/Account', { method: 'POST', ...options });

    const malformed = await post({ rawBody: '{"Name": ' });
    const empty = await post({});
    const array = await post({ body: [{ Name: 'x' }] });
    const text = await post({ rawBody: 'Name=x', contentType: 'text/plain' });

    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual([{ message: expect.any(String), errorCode: 'JSON_PARSER_ERROR' }]);
    expect(empty.status).toBe(400);
    expect(empty.json[0].errorCode).toBe('JSON_PARSER_ERROR');
    expect(array.json[0].errorCode).toBe('JSON_PARSER_ERROR');
    expect(text.status).toBe(415);
    expect(text.json[0].errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('when a record is missing or ?fields names an unknown field, then 404 NOT_FOUND or 400 INVALID_FIELD', async () => {
    const token = grantToken(emulator);
    const [account] = emulator.state.orgByKey('production')!.records.get('Account')!.keys();

    const missing = await restCall(emulator, token, '/v62.0/sobjects/Account/001000000000000AAA');
    const badField = await restCall(emulator, token, `/v62.0/sobjects/Account/${account}?fields=Name,Foo`);

    expect(missing.status).toBe(404);
    expect(missing.json).toEqual(NOT_FOUND);
    expect(badField.status).toBe(400);
    expect(badField.json[0].errorCode).toBe('INVALID_FIELD');
  });

  test('when a Contact is patched, then 204, its Name is derived again and LastModifiedDate moves', async () => {
    const token = grantToken(emulator);
    const contact = [...emulator.state.orgByKey('production')!.records.get('Contact')!.values()][0];
    contact.LastModifiedDate = '2020-01-01T00:00:00.000+0000';

    const patched = await restCall(emulator, token, `/v62.0/sobjects/Contact/${contact.Id}`, { method: 'PATCH', body: { FirstName: 'Rosa', Title: 'CEO' } });
    const read = await restCall(emulator, token, `/v62.0/sobjects/Contact/${contact.Id}?fields=Name,Title,LastModifiedDate,SystemModstamp`);

    expect(patched.status).toBe(204);
    expect(patched.text).toBe('');
    expect(read.json.Name).toBe('Rosa Gonzalez');
    expect(read.json.Title).toBe('CEO');
    expect(read.json.LastModifiedDate).not.toBe('2020-01-01T00:00:00.000+0000');
    expect(read.json.SystemModstamp).toBe(read.json.LastModifiedDate);
  });

  test('when a patch clears a required field, then 400 REQUIRED_FIELD_MISSING and the record is unchanged', async () => {
    const token = grantToken(emulator);
    const contact = [...emulator.state.orgByKey('production')!.records.get('Contact')!.values()][0];

    const patched = await restCall(emulator, token, `/v62.0/sobjects/Contact/${contact.Id}`, { method: 'PATCH', body: { LastName: '' } });

    expect(patched.status).toBe(400);
    expect(patched.json).toEqual([{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }]);
    expect(contact.LastName).toBe('Gonzalez');
  });

  test('when an Account is deleted, then 204, reading it is 404 and its contacts are gone too', async () => {
    const token = grantToken(emulator);
    const created = await restCall(emulator, token, '/v62.0/sobjects/Account', { method: 'POST', body: { Name: 'Doomed' } });
    await restCall(emulator, token, '/v62.0/sobjects/Contact', { method: 'POST', body: { LastName: 'Child', AccountId: created.json.id } });

    const deleted = await restCall(emulator, token, `/v62.0/sobjects/Account/${created.json.id}`, { method: 'DELETE' });
    const read = await restCall(emulator, token, `/v62.0/sobjects/Account/${created.json.id}`);
    const children = await restQuery(emulator, token, "SELECT COUNT() FROM Contact WHERE LastName = 'Child'");

    expect(deleted.status).toBe(204);
    expect(read.status).toBe(404);
    expect(read.json).toEqual(NOT_FOUND);
    expect(children.json.totalSize).toBe(0);
  });

  test('when a method is not supported on a record, then 405 METHOD_NOT_ALLOWED lists the allowed ones', async () => {
    const token = grantToken(emulator);

    const res = await restCall(emulator, token, '/v62.0/sobjects/Account/001000000000000AAA', { method: 'PUT', body: {} });

    expect(res.status).toBe(405);
    expect(res.json).toEqual([{ errorCode: 'METHOD_NOT_ALLOWED', message: "HTTP Method 'PUT' not allowed. Allowed are HEAD,GET,PATCH,DELETE" }]);
  });
});
