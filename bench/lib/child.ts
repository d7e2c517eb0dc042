import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { distBench, repoRoot } from './paths.js';

/**
 * Runs a compiled bench script (dist/bench/<script>) in a fresh Node process and returns the
 * JSON object it prints last on stdout. stderr is passed through; a non-zero exit rejects.
 */
export function runChild<T>(script: string, arg: unknown, options: { nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? ['--expose-gc']), join(distBench, script), JSON.stringify(arg)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${script} exited with ${code ?? signal}: ${out.slice(-500)}`));
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON: ${out.slice(-500)}`));
      }
    });
  });
}
