import 'reflect-metadata';
import { main } from './cli/main.js';

// `node dist/src/main.js` behaves like `strata serve` when given no arguments (nest-cli entry).
await main(process.argv.length > 2 ? process.argv : [...process.argv, 'serve']);
