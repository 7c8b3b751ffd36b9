import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Emulator } from 'salesforce-emulator';
import { connect } from 'salesforce-emulator/testing';
import { TokenCipher } from '../backend/src/platform/token-cipher';
import type { Cluster } from './cluster';

export interface HealthRoundFigures {
  connections: number;
  instances: number;
  /** From the moment all were due until the last one was checked. */
  durationMs: number;
  checksPerSecond: number;
  salesforceCalls: { identity: number; refresh: number };
  /** Should be 0: every connection is alive. */
  reconnectNeeded: number;
  database: { transactions: number; rowsRead: number; rowsInserted: number; rowsUpdated: number; perCheck: { transactions: number; rowsUpdated: number } };
}

const COUNTERS = ['xact_commit', 'tup_returned', 'tup_fetched', 'tup_inserted', 'tup_updated'] as const;

/**
 * Phase (h): one round of background health checks over `connections` connected Tasks, with the
 * cluster's app instances sharing the work through the job queue. The connections are real
 * (each one a code exchange at the emulator, sealed with the app's key exactly as the app stores
 * them), then all made due at once; measured: how long until every one was checked, the calls
 * that reached Salesforce, and what PostgreSQL did meanwhile.
 */
export async function measureHealthRound(cluster: Cluster, options: { connections: number; instances: number; ownerId: string }): Promise<HealthRoundFigures> {
  const db = new Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  try {
    const control = (action: string, body: unknown) =>
      fetch(`${cluster.emulatorLoginUrl}/__emulator/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // One Salesforce user stands for many here: lift the emulator's five-approvals rule for the bench.
    await control('approvals-per-user', { count: options.connections });
    const cipher = new TokenCipher(Buffer.from(cluster.appEnv(0).TOKEN_ENCRYPTION_KEY, 'base64'));
    const users = ['ada@acme.example', 'grace@acme.example'];
    const taskIds: string[] = [];
    for (let start = 0; start < options.connections; start += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, options.connections - start) }, (_, i) => connect({ loginUrl: cluster.emulatorLoginUrl } as Emulator, { username: users[(start + i) % users.length] })),
      );
      for (const token of batch) {
        const id = randomUUID();
        const [, org, user] = new URL(token.id).pathname.split('/').slice(1);
        const now = new Date().toISOString();
        const sfdc = {
          ...token,
          access_token: cipher.encrypt(token.access_token, `task:${id}`),
          refresh_token: cipher.encrypt(token.refresh_token, `task:${id}`),
          identity: { username: 'bench', display_name: 'Bench', organization_id: org, user_id: user },
          login_url: cluster.emulatorLoginUrl,
          environment: 'production',
          status: 'connected',
          status_reason: null,
          connected_at: now,
          refreshed_at: now, // so the round is identity checks, not keep-alive refreshes
          last_test: null,
          health: { state: 'healthy', reason: null, checked_at: null, next_check_at: null, failures: 0 },
        };
        await db.query(`INSERT INTO tasks (id, user_id, name, sfdc) VALUES ($1, $2, $3, $4)`, [id, options.ownerId, `bench health ${taskIds.length}`, sfdc]);
        taskIds.push(id);
      }
    }

    const calls = async () => ((await (await fetch(`${cluster.emulatorLoginUrl}/__emulator/calls`)).json()) as { counts: Record<string, number> }).counts;
    const stats = async () => (await db.query(`SELECT ${COUNTERS.join(', ')} FROM pg_stat_database WHERE datname = current_database()`)).rows[0] as Record<(typeof COUNTERS)[number], string>;
    const callsBefore = await calls();
    const statsBefore = await stats();
    const started = Date.now();
    await db.query(`UPDATE tasks SET health_check_due_at = now() WHERE id = ANY($1)`, [taskIds]);
    // The sweep that waits for its turn is moved forward: the bench measures the round, not the wait for it.
    await db.query(`UPDATE pgboss.job SET start_after = now() WHERE name = 'salesforce-health-sweep' AND state = 'created'`);
    // A connection found dead counts as checked too (it then has no check time, by design). The
    // bench's own progress query runs twice a second; its reads are part of the figures below.
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS checked FROM tasks WHERE id = ANY($1) AND ((sfdc->'health'->>'checked_at')::timestamptz >= $2 OR sfdc->>'status' = 'reconnect_needed')`,
        [taskIds, new Date(started)],
      );
      if (rows[0].checked >= taskIds.length) break;
      if (Date.now() - started > 300_000) throw new Error(`only ${rows[0].checked} of ${taskIds.length} connections were checked in 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const durationMs = Date.now() - started;
    const callsAfter = await calls();
    const statsAfter = await stats();
    const delta = (key: (typeof COUNTERS)[number]) => Number(statsAfter[key]) - Number(statsBefore[key]);
    const callDelta = (key: string) => (callsAfter[key] ?? 0) - (callsBefore[key] ?? 0);
    const transactions = delta('xact_commit');
    const rowsUpdated = delta('tup_updated');
    return {
      connections: taskIds.length,
      instances: options.instances,
      durationMs,
      checksPerSecond: Math.round((taskIds.length / durationMs) * 1000),
      salesforceCalls: { identity: callDelta('identity'), refresh: callDelta('token:refresh_token') },
      reconnectNeeded: Number((await db.query(`SELECT count(*)::int AS n FROM tasks WHERE id = ANY($1) AND sfdc->>'status' = 'reconnect_needed'`, [taskIds])).rows[0].n),
      database: {
        transactions,
        rowsRead: delta('tup_returned') + delta('tup_fetched'),
        rowsInserted: delta('tup_inserted'),
        rowsUpdated,
        perCheck: { transactions: Math.round((transactions / taskIds.length) * 10) / 10, rowsUpdated: Math.round((rowsUpdated / taskIds.length) * 10) / 10 },
      },
    };
  } finally {
    await db.end();
  }
}
