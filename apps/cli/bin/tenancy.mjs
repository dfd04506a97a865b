#!/usr/bin/env node
// Runs the TypeScript sources directly: no build step to remember, and nothing needs an install script.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
