import type { Command } from 'commander';
import { resolveConfig } from '../../application/config.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { UsageError } from '../exit-codes.js';
import { action, type Io } from '../run.js';

export function registerServeCommand(program: Command, io: Io): void {
  program
    .command('serve')
    .description('start the HTTP API (OpenAPI docs at /docs); follows the log, so events other processes append show up in its read models')
    .option('--port <n>', 'port', process.env.PORT ?? '3000')
    .option('--host <host>', 'address to bind; the default keeps the server on this machine', '127.0.0.1')
    .option('--follow-interval <ms>', 'how often to look for events appended by other processes', '500')
    .action(
      action(io, async (opts: { port: string; host: string; followInterval: string }, cmd: Command) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535 (got "${opts.port}")`);
        const interval = Number(opts.followInterval);
        if (!Number.isInteger(interval) || interval < 10 || interval > 3_600_000) {
          throw new UsageError(`--follow-interval must be a whole number of milliseconds, 10..3600000 (got "${opts.followInterval}")`);
        }
        const config = resolveConfig(cmd.optsWithGlobals());
        // The HTTP stack (Fastify, Swagger) loads only for `serve`, keeping other commands quick to start.
        const { createHttpApp } = await import('../../http/create-http-app.js');
        const app = await createHttpApp(config);
        await app.listen(port, opts.host);
        // Stopped by the runner's own shutdown hook, before the storage closes.
        app.get(ProjectionRunner).follow(interval, {
          onError: (err, failures, retryInMs) =>
            io.err(`strata: following the log failed (${failures} in a row; retrying in ${retryInMs} ms): ${err instanceof Error ? err.message : String(err)}`),
        });
        const address = app.getHttpServer().address();
        const bound = typeof address === 'object' && address ? address.port : port;
        io.err(`Strata listening on http://${opts.host}:${bound} (API docs: http://${opts.host}:${bound}/docs; store: ${config.store}${config.store === 'sqlite' ? ` ${config.dbPath}` : ''})`);
      }),
    );
}
