import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root, whether this runs from `bench/` (ts) or `dist/bench/` (compiled). */
export const repoRoot = resolve(here, here.includes(`${join('dist', 'bench')}`) ? '../../..' : '../..');

/** Compiled bench scripts (child processes are started from here). */
export const distBench = join(repoRoot, 'dist', 'bench');
