#!/usr/bin/env node
// The `polyfuse` command. A committed launcher rather than dist/bin.js itself,
// so that package managers can link the command before the package is built.
import '../dist/bin.js';
