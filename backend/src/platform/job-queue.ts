import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { Logger } from './logger';

/** The job queue's tables live in their own schema of the app's database. */
const SCHEMA = 'pgboss';

/**
 * Durable background work on the app's own PostgreSQL (pg-boss): every instance starts it, jobs
 * survive restarts, and a job whose instance died mid-way expires and is picked up by another.
 * The queue creates and migrates its schema itself when it starts.
 */
export class JobQueue {
  readonly boss: PgBoss;
  private started = false;

  constructor(options: { databaseUrl: string; logger: Logger }) {
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: SCHEMA,
      application_name: 'tasks-salesforce-jobs',
      // Its own small pool: polling and job bookkeeping must not compete with requests.
      max: 3,
      // Maintenance (expiring jobs of dead instances, archiving) runs on one instance at a time.
      supervise: true,
      maintenanceIntervalSeconds: 10,
      schedule: true,
    });
    this.boss.on('error', (err) => options.logger.error({ err }, 'job queue error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Not graceful-waiting for long jobs: a stopped instance's active jobs expire and run elsewhere.
    await this.boss.stop({ graceful: true, wait: true, timeout: 5_000, close: true });
  }

  /**
   * Jobs waiting per queue (created or retrying, due now or later; not yet active), for every
   * queue the app created. pg-boss's own internal queues (`__pgboss__…`) are left out.
   */
  async waitingJobs(): Promise<Record<string, number>> {
    const queues = (await this.boss.getQueues()).filter(({ name }) => !name.startsWith('__pgboss__'));
    const sizes = await Promise.all(queues.map(({ name }) => this.boss.getQueueSize(name)));
    return Object.fromEntries(queues.map(({ name }, i) => [name, sizes[i]]));
  }

  /** Lets `boss.insert(jobs, { db })` join a TypeORM transaction, so jobs and rows commit together. */
  static inTransaction(db: EntityManager): PgBoss.Db {
    return { executeSql: async (text, values) => ({ rows: ((await db.query(text, values)) as unknown[]) ?? [] }) };
  }
}
