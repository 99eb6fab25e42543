#!/usr/bin/env node
import './registerPackages.js';
import { runCli } from './program/runCli.js';

process.exitCode = await runCli(process.argv.slice(2));
