#!/usr/bin/env node
// The `elyte` command: runs the TypeScript CLI through tsx, so it works right after `npm install`
// with no build step to remember.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
