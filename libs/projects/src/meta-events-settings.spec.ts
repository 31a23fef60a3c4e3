import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CaravanConfig, InvalidInputError, SecretBox } from '@caravan/common';
import { MetaEventsSettings } from './meta-events-settings';
import { DEFAULT_PROJECT_CONFIG, wantsMetaEvent } from './project-config';

const egress = { allowCidrs: ['127.0.0.0/8'], denyCidrs: [], allowHosts: [], denyHosts: [], allowedPorts: [80, 443], staticHosts: {} };
const box = new SecretBox('a key of at least thirty-two characters for tests');
const settings = new MetaEventsSettings(box, { egress } as unknown as CaravanConfig);

function rejects(run: () => unknown, field: string, message: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof InvalidInputError && error.field === field && message.test(error.message));
}

describe('meta events settings', () => {
  it('are off by default, every type listed, no secret', () => {
    const { config, generatedSecret } = settings.resolve(undefined, undefined);
    assert.deepEqual(config.meta_events, { enabled: false, url: null, event_types: DEFAULT_PROJECT_CONFIG.meta_events.event_types, secret: null });
    assert.equal(config.meta_events.event_types.length, 6);
    assert.equal(generatedSecret, null);
    assert.equal(wantsMetaEvent(config, 'endpoint.created'), false);
  });

  it('generate a whsec_ secret when enabled without one, stored sealed, and keep it on later changes', () => {
    const first = settings.resolve(undefined, { meta_events: { enabled: true, url: 'https://example.com/meta' } });
    assert.match(first.generatedSecret!, /^whsec_/);
    assert.ok(SecretBox.isSealed(first.config.meta_events.secret!));
    assert.equal(settings.openSecret(first.config.meta_events), first.generatedSecret);

    const later = settings.resolve(first.config, { meta_events: { event_types: ['endpoint.disabled'] } });
    assert.equal(later.generatedSecret, null);
    assert.equal(settings.openSecret(later.config.meta_events), first.generatedSecret);
    assert.equal(wantsMetaEvent(later.config, 'endpoint.disabled'), true);
    assert.equal(wantsMetaEvent(later.config, 'endpoint.created'), false);
  });

  it('seal a given secret and replace the stored one', () => {
    const first = settings.resolve(undefined, { meta_events: { enabled: true, url: 'https://example.com/meta', secret: 'my-meta-secret-0001' } });
    assert.equal(first.generatedSecret, null);
    assert.notEqual(first.config.meta_events.secret, 'my-meta-secret-0001');
    assert.equal(settings.openSecret(first.config.meta_events), 'my-meta-secret-0001');
    const rotated = settings.resolve(first.config, { meta_events: { secret: 'my-meta-secret-0002' } });
    assert.equal(settings.openSecret(rotated.config.meta_events), 'my-meta-secret-0002');
  });

  it('refuse enabling without a URL, and URLs the egress policy could never reach', () => {
    rejects(() => settings.resolve(undefined, { meta_events: { enabled: true } }), 'config.meta_events.url', /required/);
    rejects(() => settings.resolve(undefined, { meta_events: { url: 'http://10.0.0.5/meta' } }), 'config.meta_events.url', /not allowed.*private/);
    rejects(() => settings.resolve(undefined, { meta_events: { url: 'https://user:pw@example.com/' } }), 'config.meta_events.url', /credentials/);
    assert.equal(settings.resolve(undefined, { meta_events: { url: 'http://127.0.0.1:3000/meta' } }).config.meta_events.url, 'http://127.0.0.1:3000/meta');
  });

  it('refuse a secret the standard-webhooks scheme cannot use, also when the scheme changes later', () => {
    const enabled = { enabled: true, url: 'https://example.com/meta', secret: 'not-a-whsec-secret-1' };
    rejects(
      () => settings.resolve(undefined, { signature: { scheme: 'standard-webhooks' }, meta_events: enabled }),
      'config.meta_events.secret',
      /whsec_/,
    );
    const simple = settings.resolve(undefined, { meta_events: enabled });
    rejects(() => settings.resolve(simple.config, { signature: { scheme: 'standard-webhooks' } }), 'config.meta_events.secret', /whsec_/);
    const generated = settings.resolve(undefined, { signature: { scheme: 'standard-webhooks' }, meta_events: { enabled: true, url: 'https://example.com/meta' } });
    assert.match(generated.generatedSecret!, /^whsec_/);
  });
});
