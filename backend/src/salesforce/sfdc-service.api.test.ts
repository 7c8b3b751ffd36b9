import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { control } from 'salesforce-emulator/testing';
import { connectedTask, useTestEmulator } from '../../test/helpers/salesforce-kit';
import { SalesforceApiError } from './errors';

describe('SfdcService, used directly by the app’s own code', () => {
  const { emulator, app } = useTestEmulator({ resetEmulator: false }); // one connection for the whole file
  let taskId: string;
  beforeAll(async () => {
    taskId = (await connectedTask(app)).task.id;
  });
  beforeEach(() => emulator.state.callCounts.clear());

  test('when get, post, patch and delete are called, then each reaches Salesforce with its method and body', async () => {
    const { sfdc } = app.deps;

    const created = await sfdc.post(taskId, 'services/data/v62.0/sobjects/Contact', { LastName: 'Service', FirstName: 'Direct' });
    const { id } = JSON.parse(created.body.toString());
    const patched = await sfdc.patch(taskId, `services/data/v62.0/sobjects/Contact/${id}`, { Title: 'CTO' });
    const read = JSON.parse((await sfdc.get(taskId, `services/data/v62.0/sobjects/Contact/${id}`)).body.toString());
    const deleted = await sfdc.delete(taskId, `services/data/v62.0/sobjects/Contact/${id}`);

    expect(created.status).toBe(201);
    expect(patched.status).toBe(204);
    expect(read).toMatchObject({ Name: 'Direct Service', Title: 'CTO' });
    expect(deleted.status).toBe(204);
  });

  test('when Salesforce answers an error, then request() throws SalesforceApiError carrying its errorCode (502)', async () => {
    const error = await app.deps.sfdc.put(taskId, 'services/data/v62.0/sobjects/Account/001000000000000AAA', { Name: 'x' }).catch((err: unknown) => err);
    const missing = await app.deps.sfdc.get(taskId, 'services/data/v62.0/sobjects/Account/0015g00000NOSUCHAQ').catch((err: unknown) => err);

    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ status: 502, upstreamStatus: 405, upstreamCode: 'METHOD_NOT_ALLOWED' });
    expect(missing).toMatchObject({ status: 502, upstreamStatus: 404, upstreamCode: 'NOT_FOUND' });
    expect((missing as Error).message).toContain('NOT_FOUND');
  });

  test('when the token expired, then get() refreshes once and answers', async () => {
    await control(emulator, '/expire-access-tokens', {});

    const res = await app.deps.sfdc.get(taskId, 'services/data/v62.0/limits');

    expect(res.status).toBe(200);
    expect(res.refreshed).toBe(true);
    expect(emulator.state.callCounts.get('token:refresh_token')).toBe(1);
  });
});
