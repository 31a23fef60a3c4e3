import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { forwardedHeaders } from './forwarded-headers';

describe('forwardedHeaders', () => {
  it('drops hop-by-hop and Proxy-* headers and those the Connection header names, keeping case, order and repeats', () => {
    // prettier-ignore
    const raw = [
      'Host', 'spoofed.example',
      'Content-Type', 'application/json',
      'Connection', 'keep-alive, X-Per-Hop',
      'X-Per-Hop', 'gone',
      'Keep-Alive', 'timeout=5',
      'Proxy-Authorization', 'Bearer secret',
      'Proxy-Connection', 'keep-alive',
      'Transfer-Encoding', 'chunked',
      'TE', 'trailers',
      'Upgrade', 'websocket',
      'X-Caravan-Event-Id', 'evt_1',
      'Set-Cookie', 'a=1',
      'Set-Cookie', 'b=2',
    ];
    // prettier-ignore
    assert.deepEqual(forwardedHeaders(raw, 'hooks.example.com:8080'), [
      'Host', 'hooks.example.com:8080',
      'Content-Type', 'application/json',
      'X-Caravan-Event-Id', 'evt_1',
      'Set-Cookie', 'a=1',
      'Set-Cookie', 'b=2',
    ]);
  });

  it('keeps the Host header when no target authority is given (responses)', () => {
    assert.deepEqual(forwardedHeaders(['Location', 'http://10.0.0.5/', 'Connection', 'close']), [
      'Location',
      'http://10.0.0.5/',
    ]);
  });
});
