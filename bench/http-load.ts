/**
 * The HTTP load generator, in its own process so it does not share the server's event loop:
 * `node dist/bench/http-load.js '{"url":…,"firms":[…],"rate":1000,"duration":10}'`.
 * POSTs one field event per request to /firms/:firm/events, rotating over the firms (each
 * request a new event: no id, so the server assigns one). Prints autocannon's summary as JSON.
 */
import autocannon from 'autocannon';
import { fieldRecord, mulberry32 } from './lib/dataset.js';

const { url, firms, rate, duration, connections } = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  firms: string[];
  rate?: number;
  duration: number;
  connections?: number;
};

// A pool of valid bodies per firm, built before the clock starts.
const rnd = mulberry32(42);
const bodies = firms.map((firm) =>
  Array.from({ length: 64 }, (_, i) => {
    const { firm: _f, ...body } = fieldRecord(firm, i, 64, rnd);
    return JSON.stringify(body);
  }),
);
let next = 0;

const result = await autocannon({
  url,
  connections: connections ?? 16,
  duration,
  timeout: 30,
  ...(rate ? { overallRate: rate } : {}),
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const f = next++ % firms.length;
        return { ...req, path: `/firms/${firms[f]}/events`, body: bodies[f]![next % 64]! };
      },
    },
  ],
});

process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    sent: result.requests.sent,
    completed: result['2xx'] + result.non2xx,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: result.duration,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    statusCodes: result.statusCodeStats,
  })}\n`,
);
