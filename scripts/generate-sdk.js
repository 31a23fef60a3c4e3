#!/usr/bin/env node
// `npm run sdk` (after a build): writes the OpenAPI document from the compiled api, with no database,
// queue or port, then generates the TypeScript SDK from it with @hey-api/openapi-ts.
//   node scripts/generate-sdk.js                  openapi/caravan.openapi.json and libs/sdk/src/generated
//   node scripts/generate-sdk.js --document-only  the document alone (`npm run openapi`)
//   node scripts/generate-sdk.js --out <dir>      both into <dir> (<dir>/caravan.openapi.json, <dir>/generated),
//                                                 which the staleness test compares with the committed files
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const DOCUMENT = 'openapi/caravan.openapi.json';
const SDK = 'libs/sdk/src/generated';

function parseArguments(argv) {
  const options = { documentOnly: false, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--document-only') options.documentOnly = true;
    else if (argv[i] === '--out' && argv[i + 1]) options.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --document-only or --out <dir>)`);
  }
  return options;
}

async function writeDocument(file) {
  const compiled = path.join(root, 'dist/apps/api/src/openapi/openapi-document.js');
  if (!fs.existsSync(compiled)) throw new Error('run `npm run build` first (dist/ has no api)');
  const { previewOpenApiDocument } = require(compiled);
  const document = await previewOpenApiDocument();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
}

async function writeSdk(documentFile, outputDir) {
  // ESM only, hence the dynamic import from this CommonJS script.
  const { createClient } = await import('@hey-api/openapi-ts');
  await createClient({
    input: documentFile,
    output: {
      path: outputDir,
      clean: true,
      // The repository's tsconfig decides import specifiers (none for CommonJS), wherever the output goes.
      tsConfigPath: path.join(root, 'tsconfig.json'),
    },
    plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
    logs: { level: 'silent', file: false },
  });
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const documentFile = options.out
    ? path.join(options.out, path.basename(DOCUMENT))
    : path.join(root, DOCUMENT);
  await writeDocument(documentFile);
  console.log(`wrote ${path.relative(process.cwd(), documentFile)}`);
  if (options.documentOnly) return;
  const sdkDir = options.out ? path.join(options.out, 'generated') : path.join(root, SDK);
  await writeSdk(documentFile, sdkDir);
  console.log(`wrote ${path.relative(process.cwd(), sdkDir)}/`);
}

main().then(
  // Nest's preview app can leave handles open; the work is done.
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
