#!/usr/bin/env node
// Compiles the whole monorepo with tsc, then makes the `@caravan/<lib>` path aliases
// resolvable at run time: tsc checks them but does not rewrite them, so each lib gets a
// one-line package under dist/node_modules that Node's normal lookup finds.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

// tsc builds incrementally but never deletes: output of a removed source would linger and run.
function pruneOrphans(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (file !== path.join(dist, 'node_modules')) pruneOrphans(file);
    } else if (/\.js(\.map)?$/.test(entry.name)) {
      const source = path.join(root, path.relative(dist, file)).replace(/\.js(\.map)?$/, '.ts');
      if (!fs.existsSync(source)) fs.rmSync(file);
    }
  }
}
if (fs.existsSync(dist)) pruneOrphans(dist);
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], {
  stdio: 'inherit',
  cwd: root,
});

for (const lib of fs.readdirSync(path.join(root, 'libs'))) {
  const dir = path.join(dist, 'node_modules', '@caravan', lib);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.js'), `module.exports = require('../../../libs/${lib}/src');\n`);
}
