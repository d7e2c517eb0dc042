import { Option, type Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReplayQuery } from '../../application/queries/replay.query.js';
import type { ReplayFrame } from '../../analysis/replay.js';
import { withApp } from '../app-context.js';
import { action, type Io } from '../run.js';

const WIDTH = 21;

/** A −1..+1 value as a bar around a centre mark: cost to the left, customization to the right. */
export function bar(value: number): string {
  const half = (WIDTH - 1) / 2;
  const pos = Math.round(half + value * half);
  return Array.from({ length: WIDTH }, (_, i) => (i === pos ? '●' : i === half ? '|' : '·')).join('');
}

export function formatFrame(f: ReplayFrame): string {
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
  const amb = '▁▂▃▄▅▆▇█'[Math.min(7, Math.floor(f.ambiguity * 8))];
  const head = `${f.period.padEnd(8)} declared ${bar(f.declared)} ${signed(f.declared)}  enacted ${bar(f.enacted)} ${signed(f.enacted)}  ambiguity ${amb} ${f.ambiguity.toFixed(2)}  ${f.phase}`;
  const events = f.events.map((e) => `           ${e.occurred.padEnd(10)} ${e.kind.padEnd(29)} ${e.orientation > 0 ? '+' : ''}${e.orientation}  ${e.title}`);
  return [head, ...events].join('\n');
}

export function registerReplayCommand(program: Command, io: Io): void {
  program
    .command('replay <firm>')
    .description('step through the firm period by period: tracks and the phase proposed with only what was known up to then')
    .option('--as-of <date>', 'stop at this occurred date')
    .option('--known-at <time>', 'only what had been logged by this recorded time (YYYY-MM-DD or ISO timestamp)')
    .addOption(new Option('--period <p>', 'step').choices(['month', 'quarter', 'year']).default('quarter'))
    .option('--delay <ms>', 'pause between periods (default 120 on a terminal, 0 otherwise)')
    .option('--json', 'print the frames as JSON')
    .action(
      action(io, async (firm: string, opts: { asOf?: string; knownAt?: string; period: 'month' | 'quarter' | 'year'; delay?: string; json?: boolean }, cmd: Command) => {
        const { frames } = await withApp(cmd.optsWithGlobals(), ({ queries }) =>
          queries.execute(new ReplayQuery(firm, opts.asOf, opts.knownAt, { granularity: opts.period })),
        );
        if (opts.json) return io.out(JSON.stringify(frames, null, 2));
        const delay = Number(opts.delay ?? (process.stdout.isTTY ? 120 : 0));
        io.out(`replay of ${firm}: declared and enacted orientation (cost ◄ | ► customization), goal ambiguity, proposed phase`);
        let phase = '';
        for (const f of frames) {
          if (f.phase !== phase) {
            io.out(`── ${f.phase} ${'─'.repeat(60)}`);
            phase = f.phase;
          }
          io.out(formatFrame(f));
          if (delay > 0) await sleep(delay);
        }
        io.out(`pattern: ${frames[frames.length - 1]?.pattern ?? ''}`);
      }),
    );
}
