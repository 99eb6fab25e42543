#!/usr/bin/env node
// The packages (and TensorFlow.js) load when a command needs them: see program/createProgram.ts.
import { runCli } from './program/runCli.js';

process.exitCode = await runCli(process.argv.slice(2));
