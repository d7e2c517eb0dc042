#!/usr/bin/env node
// The installed `strata` command: runs the compiled CLI (built by `npm install` / `npm ci` via `prepare`).
import { main } from '../dist/src/cli/main.js';

await main(process.argv);
