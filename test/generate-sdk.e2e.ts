import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ApiClient } from './support/api-client';
import { TestCaravan } from './support/test-caravan';

const ROOT = path.resolve(__dirname, '../..');
const DOCUMENT = path.join(ROOT, 'openapi/caravan.openapi.json');
const SDK = path.join(ROOT, 'libs/sdk/src/generated');
const STALE = 'stale: run `npm run sdk` and commit openapi/ and libs/sdk/src/generated/';

/** Every file under `dir`, as paths relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('the committed OpenAPI document and SDK', () => {
  let caravan: TestCaravan;

  before(async () => {
    caravan = await TestCaravan.create();
    await caravan.startApi();
  });

  after(async () => {
    await caravan?.destroy();
  });

  it('is exactly the document the running api serves at /docs/openapi.json', async () => {
    const served = await new ApiClient(caravan.api!.url).get('/docs/openapi.json');
    assert.equal(served.status, 200);
    const committed = JSON.parse(fs.readFileSync(DOCUMENT, 'utf8'));
    assert.deepStrictEqual(served.body, committed, `openapi/caravan.openapi.json is ${STALE}`);
  });

  it('is what `npm run sdk` generates from the current code, file for file', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'caravan-sdk-'));
    try {
      await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts/generate-sdk.js'), '--out', out], {
        cwd: ROOT,
        timeout: 120_000,
      });
      assert.equal(
        fs.readFileSync(path.join(out, 'caravan.openapi.json'), 'utf8'),
        fs.readFileSync(DOCUMENT, 'utf8'),
        `openapi/caravan.openapi.json is ${STALE}`,
      );
      const generated = filesUnder(path.join(out, 'generated'));
      assert.ok(generated.includes('sdk.gen.ts'), `the generator wrote the SDK functions (got ${generated.join(', ')})`);
      assert.deepStrictEqual(filesUnder(SDK), generated, `the files of libs/sdk/src/generated are ${STALE}`);
      const differing = generated.filter(
        (file) => fs.readFileSync(path.join(out, 'generated', file), 'utf8') !== fs.readFileSync(path.join(SDK, file), 'utf8'),
      );
      assert.deepStrictEqual(differing, [], `these files of libs/sdk/src/generated are ${STALE}`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
