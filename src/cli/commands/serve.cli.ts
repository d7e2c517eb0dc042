import type { Command } from 'commander';
import { resolveConfig } from '../../application/config.js';
import { createHttpApp } from '../../http/create-http-app.js';
import { UsageError } from '../exit-codes.js';
import { action, type Io } from '../run.js';

export function registerServeCommand(program: Command, io: Io): void {
  program
    .command('serve')
    .description('start the HTTP API (OpenAPI docs at /docs)')
    .option('--port <n>', 'port', process.env.PORT ?? '3000')
    .option('--host <host>', 'address to bind; the default keeps the server on this machine', '127.0.0.1')
    .action(
      action(io, async (opts: { port: string; host: string }, cmd: Command) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535 (got "${opts.port}")`);
        const config = resolveConfig(cmd.optsWithGlobals());
        const app = await createHttpApp(config);
        await app.listen(port, opts.host);
        const address = app.getHttpServer().address();
        const bound = typeof address === 'object' && address ? address.port : port;
        io.err(`Strata listening on http://${opts.host}:${bound} (API docs: http://${opts.host}:${bound}/docs; store: ${config.store}${config.store === 'sqlite' ? ` ${config.dbPath}` : ''})`);
      }),
    );
}
