import pg from 'pg';

/**
 * A transaction on one client whose BEGIN is sent with its first statement. Why: a projection
 * batch opens with the runners' lock and the checkpoint read, two statements without
 * parameters; sent with BEGIN as one simple query they cost one round trip instead of three
 * (node-postgres sends one statement per round trip otherwise).
 */
export class LazyBegin {
  private opened: Promise<unknown> | undefined;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly begin = 'BEGIN',
  ) {}

  /** Whether anything was sent (so there is a transaction to end). */
  get begun(): boolean {
    return this.opened !== undefined;
  }

  /** The client, once the transaction is open (BEGIN sent on its own if nothing was yet). */
  async open(): Promise<pg.PoolClient> {
    this.opened ??= this.client.query(this.begin);
    await this.opened;
    return this.client;
  }

  /**
   * The client for every other statement of the transaction: each goes after BEGIN, in call
   * order (a statement never runs before BEGIN has succeeded, outside the transaction).
   */
  readonly queryable = {
    query: (...args: unknown[]) => this.open().then((client) => (client.query as (...a: unknown[]) => Promise<unknown>)(...args)),
  } as unknown as pg.PoolClient;

  /**
   * Statements without parameters, separated by `;`, in one round trip; with BEGIN in front
   * when they are the transaction's first. Answers their results in order (BEGIN's left out).
   * Each statement takes its own snapshot (READ COMMITTED), so one after a lock sees what the
   * lock's previous holder committed.
   */
  async simple(statements: readonly string[]): Promise<pg.QueryResult[]> {
    const text = statements.join(';\n');
    if (this.opened) return asList(await (await this.open()).query(text));
    const sent = this.client.query(`${this.begin};\n${text}`) as Promise<unknown>;
    this.opened = sent;
    return asList(await sent).slice(1);
  }
}

/** node-postgres answers a multi-statement query with an array, a single one with one result. */
function asList(result: unknown): pg.QueryResult[] {
  return Array.isArray(result) ? (result as pg.QueryResult[]) : [result as pg.QueryResult];
}
