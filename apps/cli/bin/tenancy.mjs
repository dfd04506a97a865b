#!/usr/bin/env node
// Runs the CLI compiled to JavaScript, compiling it first when its sources changed (build.mjs):
// no build step to remember, nothing that needs an install script, no TypeScript transformed at
// each start.
import { compiledMain } from './build.mjs';

if (process.env.TENANCY_DEBUG) process.setSourceMapsEnabled(true);
const { main } = await import(await compiledMain());
process.exitCode = await main(process.argv);
