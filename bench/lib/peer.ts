import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NewEvent } from '../../src/event-store/event-store.port.js';
import type { StoreKind } from './databases.js';
import { repoRoot } from './paths.js';

export const PEER_FOLDERS: Record<StoreKind, string> = {
  sqlite: 'bench/peers/emmett-sqlite',
  postgres: 'bench/peers/emmett-postgresql',
};

/** Why the peer cannot run (not installed), or undefined when it can. */
export function peerMissing(kind: StoreKind): string | undefined {
  const folder = PEER_FOLDERS[kind];
  const pkg = kind === 'sqlite' ? '@event-driven-io/emmett-sqlite' : '@event-driven-io/emmett-postgresql';
  if (!existsSync(join(repoRoot, folder, 'node_modules', pkg))) {
    return `skipped: peer not installed (run: npm --prefix ${folder} ci)`;
  }
  return undefined;
}

export interface PeerReply {
  readonly ms: number;
  readonly count: number;
}

/**
 * Emmett's store in its own process (its own package folder and dependency pins), driven over
 * Node's IPC channel with JSON messages. The child times only the store calls.
 */
export class PeerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private exited: Error | undefined;

  private constructor(
    readonly kind: StoreKind,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (msg: any) => {
      if (msg?.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg);
      else p.reject(new Error(`emmett-${kind}: ${msg.error}`));
    });
    child.on('exit', (code, signal) => {
      this.exited = new Error(`emmett-${kind} runner exited (code ${code}, signal ${signal})`);
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
    });
  }

  static async start(kind: StoreKind): Promise<PeerProcess> {
    const folder = join(repoRoot, PEER_FOLDERS[kind]);
    const child = fork(join(folder, 'runner.mjs'), [], { cwd: folder, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`emmett-${kind} runner exited at start (code ${code})`)));
    });
    return new PeerProcess(kind, child);
  }

  request<T = PeerReply>(op: string, body: Record<string, unknown> = {}): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, op, ...body });
    });
  }

  init(location: string, sample: readonly NewEvent[]): Promise<unknown> {
    return this.request('init', { location, sample });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    await this.request('close').catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 5000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
