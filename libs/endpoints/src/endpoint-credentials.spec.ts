import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { SecretBox } from '@caravan/common';
import { EndpointCredentials } from './endpoint-credentials';
import type { Endpoint, EndpointSecret } from './entities/endpoint.entity';

/** A SecretBox that counts what it opens. */
class CountingBox extends SecretBox {
  opens = 0;

  override open(stored: string): string {
    this.opens++;
    return super.open(stored);
  }
}

const endpointWith = (secrets: EndpointSecret[]) => ({ secrets }) as Endpoint;
const secret = (value: string): EndpointSecret => ({ value, created_at: '2026-01-01T00:00:00Z', expires_at: null });

describe('EndpointCredentials', () => {
  it('opens a sealed secret once for many deliveries, and a rotated one afresh', () => {
    const box = new CountingBox('test key material');
    const credentials = new EndpointCredentials(box);
    const first = secret(credentials.sealSecret('whsec_first'));
    for (let i = 0; i < 5; i++) assert.deepEqual(credentials.activeSecrets(endpointWith([first])), ['whsec_first']);
    assert.equal(box.opens, 1);

    const rotated = secret(credentials.sealSecret('whsec_second'));
    assert.deepEqual(credentials.activeSecrets(endpointWith([first, rotated])), ['whsec_first', 'whsec_second']);
    assert.equal(box.opens, 2);
  });

  it('still refuses a secret sealed with another key', () => {
    const sealedElsewhere = new SecretBox('another key').seal('whsec_x');
    const credentials = new EndpointCredentials(new SecretBox('test key material'));
    assert.throws(() => credentials.activeSecrets(endpointWith([secret(sealedElsewhere)])), /CARAVAN_ENCRYPTION_KEY/);
    assert.throws(() => credentials.activeSecrets(endpointWith([secret(sealedElsewhere)])), /CARAVAN_ENCRYPTION_KEY/, 'a failure is not kept');
  });
});
