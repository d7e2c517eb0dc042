import pg from 'pg';

/** Count and time, per statement text (its first 60 characters), what pg clients send. */
export interface StatementTimes {
  readonly byText: Map<string, { n: number; ms: number }>;
  /** One line per statement text, slowest total first. */
  lines(): string[];
}

/**
 * Wraps pg.Client.prototype.query (promise calls only: pool.query's callback form is not seen)
 * to time each statement from sending to its answer, event-loop delay included.
 */
export function timePgStatements(): StatementTimes {
  const byText = new Map<string, { n: number; ms: number }>();
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text: string };
    const text = (typeof first === 'string' ? first : first.text).replace(/\s+/g, ' ').slice(0, 60);
    const t0 = performance.now();
    const r = query.apply(this, args);
    if (r instanceof Promise) {
      void r.then(
        () => {
          const s = byText.get(text) ?? byText.set(text, { n: 0, ms: 0 }).get(text)!;
          s.n++;
          s.ms += performance.now() - t0;
        },
        () => undefined,
      );
    }
    return r;
  } as typeof pg.Client.prototype.query;
  return {
    byText,
    lines: () =>
      [...byText]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([text, { n, ms }]) => `${String(n).padStart(7)} × ${(ms / n).toFixed(2).padStart(6)} ms = ${(ms / 1000).toFixed(2).padStart(6)} s  ${text}`),
  };
}
