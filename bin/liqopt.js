#!/usr/bin/env node
// Launcher of the compiled CLI (package.json "bin"): `npm run build` compiles src/ to dist/.
import "../dist/cli/main.js";
