#!/usr/bin/env node
// `node dist/cli/main.js` runs the bin, dist/cli/main.cjs.
import "./main.cjs";
