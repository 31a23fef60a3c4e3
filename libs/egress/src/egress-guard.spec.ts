import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { EgressGuard } from './egress-guard';
import { EgressPolicy } from './egress-policy';
import { HostResolver, LookupAll } from './host-resolver';

const strict = new EgressPolicy({
  allowCidrs: [],
  denyCidrs: [],
  allowHosts: [],
  denyHosts: [],
  allowedPorts: [80, 443],
});

function fakeDns(answers: Record<string, string[] | Error>): { lookup: LookupAll; asked: string[] } {
  const asked: string[] = [];
  const lookup: LookupAll = async (name) => {
    asked.push(name);
    const answer = answers[name];
    if (answer instanceof Error) throw answer;
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return answer;
  };
  return { lookup, asked };
}

describe('EgressGuard', () => {
  it('allows a name whose every address is public, and hands back those addresses', async () => {
    const dns = fakeDns({ 'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
    const decision = await new EgressGuard(strict, new HostResolver({}, dns.lookup)).checkDestination(
      'Hooks.Example.com',
      443,
    );
    assert.deepEqual(decision, {
      outcome: 'allowed',
      allowed: true,
      reason: 'public address 93.184.216.34',
      host: 'hooks.example.com',
      port: 443,
      addresses: ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    });
  });

  it('denies a name when any one of its addresses is internal', async () => {
    const dns = fakeDns({ 'mixed.example.com': ['93.184.216.34', '10.0.0.1'] });
    const decision = await new EgressGuard(strict, new HostResolver({}, dns.lookup)).checkDestination(
      'mixed.example.com',
      443,
    );
    assert.equal(decision.outcome, 'denied');
    assert.equal(decision.reason, 'mixed.example.com resolves to private address 10.0.0.1');
    assert.deepEqual(decision.addresses, ['10.0.0.1']);
  });

  it('uses static hosts before the resolver, and checks their addresses too', async () => {
    const dns = fakeDns({});
    const guard = new EgressGuard(
      strict,
      new HostResolver({ 'webhooks.example.com': ['127.0.0.1'] }, dns.lookup),
    );
    const decision = await guard.checkDestination('WEBHOOKS.example.com.', 443);
    assert.equal(decision.reason, 'webhooks.example.com resolves to loopback address 127.0.0.1');
    assert.deepEqual(dns.asked, []);
  });

  it('never resolves a literal address or a host denied before resolution', async () => {
    const dns = fakeDns({});
    const guard = new EgressGuard(strict, new HostResolver({}, dns.lookup));
    assert.equal((await guard.checkDestination('0x7f.1', 443)).reason, 'loopback address 127.0.0.1');
    assert.equal((await guard.checkDestination('example.com', 25)).reason, 'port 25 not allowed');
    assert.deepEqual(await guard.checkDestination('8.8.8.8', 443), {
      outcome: 'allowed',
      allowed: true,
      reason: 'public address 8.8.8.8',
      host: '8.8.8.8',
      port: 443,
      addresses: ['8.8.8.8'],
    });
    assert.deepEqual(dns.asked, []);
  });

  it('answers unresolvable for an unknown name, an empty answer or a resolver that hangs', async () => {
    const hang: LookupAll = () => new Promise(() => undefined);
    const dns = fakeDns({ 'empty.example.com': [] });
    const guard = new EgressGuard(strict, new HostResolver({}, dns.lookup));
    assert.deepEqual(
      [
        await guard.checkDestination('nowhere.example.com', 443),
        await guard.checkDestination('empty.example.com', 443),
      ].map((d) => [d.outcome, d.reason]),
      [
        ['unresolvable', 'cannot resolve nowhere.example.com: ENOTFOUND'],
        ['unresolvable', 'cannot resolve empty.example.com: no address'],
      ],
    );
    const slow = await new EgressGuard(strict, new HostResolver({}, hang, 20)).checkDestination(
      'slow.example.com',
      443,
    );
    assert.deepEqual(
      [slow.outcome, slow.reason],
      ['unresolvable', 'cannot resolve slow.example.com: no answer in 20 ms'],
    );
  });
});
