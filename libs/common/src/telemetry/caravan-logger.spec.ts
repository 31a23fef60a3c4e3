import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadConfig } from '../config/caravan-config';
import { CaravanLogger } from './caravan-logger';

function capture(logLevel = 'info'): { logger: CaravanLogger; lines: () => any[] } {
  const written: string[] = [];
  const logger = new CaravanLogger(loadConfig({ CARAVAN_LOG_LEVEL: logLevel }), { write: (line: string) => void written.push(line) });
  return { logger, lines: () => written.map((line) => JSON.parse(line)) };
}

describe('CaravanLogger (pino, JSON lines)', () => {
  it('writes one JSON object per line with level, time, pid, context and message', () => {
    const { logger, lines } = capture();
    logger.log('applied migrations: Init1', 'Database');
    const [line] = lines();
    assert.equal(line.level, 'info');
    assert.equal(line.context, 'Database');
    assert.equal(line.msg, 'applied migrations: Init1');
    assert.equal(line.pid, process.pid);
    assert.ok(!Number.isNaN(Date.parse(line.time)));
  });

  it('follows CARAVAN_LOG_LEVEL, and shows Nest start-up chatter only at debug', () => {
    const warn = capture('warn');
    warn.logger.log('hidden', 'Sweeper');
    warn.logger.debug('hidden', 'Sweeper');
    warn.logger.warn('shown', 'Sweeper');
    assert.deepEqual(warn.lines().map((l) => l.msg), ['shown']);

    const info = capture('info');
    info.logger.log('AppModule dependencies initialized', 'InstanceLoader');
    info.logger.verbose('hidden');
    assert.equal(info.lines().length, 0);

    const debug = capture('debug');
    debug.logger.log('AppModule dependencies initialized', 'InstanceLoader');
    debug.logger.verbose('details', 'X');
    assert.deepEqual(debug.lines().map((l) => [l.level, l.msg]), [['info', 'AppModule dependencies initialized'], ['debug', 'details']]);
  });

  it("keeps Nest's error arguments apart: message, stack, context", () => {
    const { logger, lines } = capture();
    logger.error('request failed', 'Error: boom\n    at handler (file.js:1:1)', 'ExceptionsHandler');
    logger.error('no stack here', undefined, 'Sweeper');
    logger.error(new Error('as an error'), 'Agent');
    const [withStack, withoutStack, fromError] = lines();
    assert.deepEqual([withStack.level, withStack.context, withStack.msg], ['error', 'ExceptionsHandler', 'request failed']);
    assert.match(withStack.stack, /at handler/);
    assert.equal(withoutStack.context, 'Sweeper');
    assert.equal(withoutStack.stack, undefined);
    assert.equal(fromError.msg, 'as an error');
    assert.equal(fromError.error.type, 'Error');
  });

  it('redacts credentials in URLs in messages and secret fields in logged objects', () => {
    const { logger, lines } = capture();
    logger.warn('could not reach postgres://caravan:hunter2@db.internal:5432/caravan', 'Database');
    logger.warn({ endpoint: { url: 'https://hooks.example', secret: 'whsec_abc' }, authorization: 'Bearer x' }, 'Test');
    const [url, object] = lines();
    assert.equal(url.msg, 'could not reach postgres://***@db.internal:5432/caravan');
    assert.equal(object.data.endpoint.secret, '[redacted]');
    assert.equal(object.data.endpoint.url, 'https://hooks.example');
    assert.equal(object.data.authorization, '[redacted]');
    assert.ok(!JSON.stringify(lines()).includes('hunter2') && !JSON.stringify(lines()).includes('whsec_abc'));
  });
});
