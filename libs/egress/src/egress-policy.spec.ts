import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { EgressPolicy, InvalidEgressSetting } from './egress-policy';

interface Case {
  host: string;
  port?: number;
  allowed: boolean;
  reason: string;
}

function table(policy: EgressPolicy, cases: Case[]): void {
  for (const { host, port = 443, allowed, reason } of cases) {
    it(`${allowed ? 'allows' : 'denies'} ${JSON.stringify(host)} port ${port}: ${reason}`, () => {
      const decision = policy.checkHost(host, port);
      assert.deepEqual({ allowed: decision.allowed, reason: decision.reason }, { allowed, reason });
    });
  }
}

// As in production: nothing allow-listed.
const strict = new EgressPolicy({
  allowCidrs: [],
  denyCidrs: [],
  allowHosts: [],
  denyHosts: [],
  allowedPorts: [80, 443],
});

describe('EgressPolicy with the default denies: IPv4', () => {
  table(strict, [
    { host: '93.184.216.34', allowed: true, reason: 'public address 93.184.216.34' },
    { host: '8.8.8.8', port: 80, allowed: true, reason: 'public address 8.8.8.8' },
    { host: '172.32.0.1', allowed: true, reason: 'public address 172.32.0.1' },
    { host: '100.128.0.1', allowed: true, reason: 'public address 100.128.0.1' },
    { host: '127.0.0.1', allowed: false, reason: 'loopback address 127.0.0.1' },
    { host: '127.255.255.254', allowed: false, reason: 'loopback address 127.255.255.254' },
    { host: '2130706433', allowed: false, reason: 'loopback address 127.0.0.1' },
    { host: '0177.0.0.1', allowed: false, reason: 'loopback address 127.0.0.1' },
    { host: '017700000001', allowed: false, reason: 'loopback address 127.0.0.1' },
    { host: '0x7f.1', allowed: false, reason: 'loopback address 127.0.0.1' },
    { host: '0x7f000001', allowed: false, reason: 'loopback address 127.0.0.1' },
    { host: '0x7F.0.0.0x1', allowed: false, reason: 'loopback address 127.0.0.1' },
    { host: '127.1', allowed: false, reason: 'loopback address 127.0.0.1' },
    { host: '127.0.0.1.', allowed: false, reason: 'loopback address 127.0.0.1' },
    { host: '%31%32%37.0.0.1', allowed: false, reason: 'loopback address 127.0.0.1' },
    {
      host: '\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11',
      allowed: false,
      reason: 'loopback address 127.0.0.1',
    },
    { host: '10.0.0.5', allowed: false, reason: 'private address 10.0.0.5' },
    { host: '10.1', allowed: false, reason: 'private address 10.0.0.1' },
    { host: '012.0.0.1', allowed: false, reason: 'private address 10.0.0.1' },
    { host: '172.16.0.1', allowed: false, reason: 'private address 172.16.0.1' },
    { host: '172.31.255.255', allowed: false, reason: 'private address 172.31.255.255' },
    { host: '192.168.1.1', allowed: false, reason: 'private address 192.168.1.1' },
    { host: '3232235777', allowed: false, reason: 'private address 192.168.1.1' },
    { host: '169.254.169.254', port: 80, allowed: false, reason: 'cloud metadata address 169.254.169.254' },
    {
      host: '0xa9.0xfe.0xa9.0xfe',
      port: 80,
      allowed: false,
      reason: 'cloud metadata address 169.254.169.254',
    },
    { host: '2852039166', port: 80, allowed: false, reason: 'cloud metadata address 169.254.169.254' },
    { host: '169.254.170.2', port: 80, allowed: false, reason: 'cloud metadata address 169.254.170.2' },
    { host: '169.254.1.1', allowed: false, reason: 'link-local address 169.254.1.1' },
    { host: '100.64.0.1', allowed: false, reason: 'carrier-grade NAT address 100.64.0.1' },
    { host: '0.0.0.0', allowed: false, reason: 'unspecified address 0.0.0.0' },
    { host: '0', allowed: false, reason: 'unspecified address 0.0.0.0' },
    { host: '0.1.2.3', allowed: false, reason: 'unspecified address 0.1.2.3' },
    { host: '224.0.0.1', allowed: false, reason: 'multicast address 224.0.0.1' },
    { host: '239.255.255.250', allowed: false, reason: 'multicast address 239.255.255.250' },
    { host: '255.255.255.255', allowed: false, reason: 'broadcast address 255.255.255.255' },
    { host: '4294967295', allowed: false, reason: 'broadcast address 255.255.255.255' },
    { host: '240.0.0.1', allowed: false, reason: 'reserved address 240.0.0.1' },
    { host: '198.18.0.1', allowed: false, reason: 'benchmarking address 198.18.0.1' },
    { host: '198.19.255.255', allowed: false, reason: 'benchmarking address 198.19.255.255' },
    { host: '192.0.2.1', allowed: false, reason: 'documentation address 192.0.2.1' },
    { host: '198.51.100.7', allowed: false, reason: 'documentation address 198.51.100.7' },
    { host: '203.0.113.9', allowed: false, reason: 'documentation address 203.0.113.9' },
    { host: '192.0.0.8', allowed: false, reason: 'IETF protocol assignment address 192.0.0.8' },
  ]);
});

describe('EgressPolicy with the default denies: IPv6', () => {
  table(strict, [
    { host: '2606:4700:4700::1111', allowed: true, reason: 'public address 2606:4700:4700::1111' },
    { host: '[2a00:1450:4001:80b::200e]', allowed: true, reason: 'public address 2a00:1450:4001:80b::200e' },
    {
      host: '::ffff:8.8.8.8',
      allowed: true,
      reason: 'public address 8.8.8.8 (as IPv4-mapped ::ffff:808:808)',
    },
    { host: '64:ff9b::8.8.8.8', allowed: true, reason: 'public address 8.8.8.8 (as NAT64 64:ff9b::808:808)' },
    { host: '2002:808:808::1', allowed: true, reason: 'public address 2002:808:808::1' },
    { host: '::1', allowed: false, reason: 'loopback address ::1' },
    { host: '[::1]', allowed: false, reason: 'loopback address ::1' },
    { host: '[0:0:0:0:0:0:0:1]', allowed: false, reason: 'loopback address ::1' },
    { host: '::', allowed: false, reason: 'unspecified address ::' },
    {
      host: '[::ffff:127.0.0.1]',
      allowed: false,
      reason: 'loopback address 127.0.0.1 (as IPv4-mapped ::ffff:7f00:1)',
    },
    {
      host: '::ffff:7f00:1',
      allowed: false,
      reason: 'loopback address 127.0.0.1 (as IPv4-mapped ::ffff:7f00:1)',
    },
    {
      host: '[::ffff:a9fe:a9fe]',
      port: 80,
      allowed: false,
      reason: 'cloud metadata address 169.254.169.254 (as IPv4-mapped ::ffff:a9fe:a9fe)',
    },
    {
      host: '::127.0.0.1',
      allowed: false,
      reason: 'loopback address 127.0.0.1 (as IPv4-compatible ::7f00:1)',
    },
    { host: '[::10.0.0.1]', allowed: false, reason: 'private address 10.0.0.1 (as IPv4-compatible ::a00:1)' },
    {
      host: '64:ff9b::10.0.0.1',
      allowed: false,
      reason: 'private address 10.0.0.1 (as NAT64 64:ff9b::a00:1)',
    },
    {
      host: '64:ff9b::7f00:1',
      allowed: false,
      reason: 'loopback address 127.0.0.1 (as NAT64 64:ff9b::7f00:1)',
    },
    {
      host: '2002:a00:1::',
      allowed: false,
      reason: '6to4 address 2002:a00:1:: embeds private address 10.0.0.1',
    },
    {
      host: '2002:7f00:1::1',
      allowed: false,
      reason: '6to4 address 2002:7f00:1::1 embeds loopback address 127.0.0.1',
    },
    { host: 'fc00::1', allowed: false, reason: 'unique local address fc00::1' },
    { host: 'fd12:3456::1', allowed: false, reason: 'unique local address fd12:3456::1' },
    { host: 'fd00:ec2::254', port: 80, allowed: false, reason: 'cloud metadata address fd00:ec2::254' },
    { host: 'fe80::1', allowed: false, reason: 'link-local address fe80::1' },
    { host: 'FEBF::1', allowed: false, reason: 'link-local address febf::1' },
    { host: 'fec0::1', allowed: false, reason: 'site-local address fec0::1' },
    { host: 'ff02::1', allowed: false, reason: 'multicast address ff02::1' },
    { host: '2001:db8::1', allowed: false, reason: 'documentation address 2001:db8::1' },
    {
      host: '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      allowed: false,
      reason: 'Teredo address 2001:0:4136:e378:8000:63bf:3fff:fdd2',
    },
    { host: '2001:2::1', allowed: false, reason: 'benchmarking address 2001:2::1' },
    { host: '100::1', allowed: false, reason: 'discard-only address 100::1' },
    { host: '4000::1', allowed: false, reason: 'reserved address 4000::1' },
    { host: '64:ff9b:1::a00:1', allowed: false, reason: 'NAT64 local-use address 64:ff9b:1::a00:1' },
  ]);
});

describe('EgressPolicy: names, ports and malformed hosts', () => {
  table(strict, [
    { host: 'example.com', allowed: true, reason: 'host example.com to be checked once resolved' },
    {
      host: 'Hooks.Example.COM.',
      allowed: true,
      reason: 'host hooks.example.com to be checked once resolved',
    },
    { host: 'example.com', port: 25, allowed: false, reason: 'port 25 not allowed' },
    { host: '8.8.8.8', port: 25, allowed: false, reason: 'port 25 not allowed' },
    { host: '2606:4700:4700::1111', port: 8443, allowed: false, reason: 'port 8443 not allowed' },
    { host: '10.0.0.5', port: 25, allowed: false, reason: 'private address 10.0.0.5' },
    { host: '8.8.8.8', port: 0, allowed: false, reason: 'invalid port 0' },
    { host: 'example.com', port: 65536, allowed: false, reason: 'invalid port 65536' },
    { host: '1.2.3.09', allowed: false, reason: 'invalid host "1.2.3.09"' },
    { host: '0x100000000', allowed: false, reason: 'invalid host "0x100000000"' },
    { host: '1.2.3.4.5', allowed: false, reason: 'invalid host "1.2.3.4.5"' },
    { host: 'evil.com@127.0.0.1', allowed: false, reason: 'invalid host "evil.com@127.0.0.1"' },
    { host: '127.0.0.1 ', allowed: false, reason: 'invalid host "127.0.0.1 "' },
    { host: '[fe80::1%eth0]', allowed: false, reason: 'invalid host "[fe80::1%eth0]"' },
    { host: '[::1', allowed: false, reason: 'invalid host "[::1"' },
    { host: 'a..b', allowed: false, reason: 'invalid host name "a..b"' },
    { host: '-leading.example', allowed: false, reason: 'invalid host name "-leading.example"' },
    { host: '', allowed: false, reason: 'empty host' },
  ]);
});

const listed = new EgressPolicy({
  allowCidrs: ['127.0.0.0/8', '::1/128', '10.20.0.0/16'],
  denyCidrs: ['127.0.0.99/32', '10.20.30.0/24'],
  allowHosts: ['hooks.internal', '*.corp.example'],
  denyHosts: ['secret.corp.example', 'Evil.Example.'],
  allowedPorts: [80, 443],
});

describe('EgressPolicy with allow and deny lists', () => {
  table(listed, [
    { host: '127.0.0.1', port: 8080, allowed: true, reason: 'allow-listed address 127.0.0.1 in 127.0.0.0/8' },
    {
      host: '0177.0.0.1',
      port: 3000,
      allowed: true,
      reason: 'allow-listed address 127.0.0.1 in 127.0.0.0/8',
    },
    {
      host: '::ffff:127.0.0.1',
      port: 5000,
      allowed: true,
      reason: 'allow-listed address 127.0.0.1 (as IPv4-mapped ::ffff:7f00:1) in 127.0.0.0/8',
    },
    { host: '[::1]', port: 9000, allowed: true, reason: 'allow-listed address ::1 in ::1/128' },
    {
      host: '10.20.1.1',
      port: 5432,
      allowed: true,
      reason: 'allow-listed address 10.20.1.1 in 10.20.0.0/16',
    },
    { host: '127.0.0.99', allowed: false, reason: 'deny-listed address 127.0.0.99 in 127.0.0.99/32' },
    { host: '10.20.30.40', allowed: false, reason: 'deny-listed address 10.20.30.40 in 10.20.30.0/24' },
    { host: '10.0.0.1', allowed: false, reason: 'private address 10.0.0.1' },
    { host: 'hooks.internal', port: 8080, allowed: true, reason: 'allow-listed host hooks.internal' },
    { host: 'a.b.corp.example', port: 22, allowed: true, reason: 'allow-listed host a.b.corp.example' },
    {
      host: 'corp.example',
      port: 25,
      allowed: true,
      reason: 'host corp.example to be checked once resolved',
    },
    { host: 'secret.corp.example', allowed: false, reason: 'deny-listed host secret.corp.example' },
    { host: 'EVIL.example.', allowed: false, reason: 'deny-listed host evil.example' },
  ]);

  it('lets an allow-listed name reach an internal address on any port', () => {
    const host = listed.checkHost('hooks.internal', 8080);
    assert.equal(host.hostAllowListed, true);
    assert.deepEqual(listed.checkAddress('10.0.0.7', 8080, host), {
      allowed: true,
      reason: 'allow-listed host hooks.internal at 10.0.0.7',
    });
  });

  it('lets the deny list win over an allow-listed name', () => {
    const host = listed.checkHost('hooks.internal', 443);
    assert.deepEqual(listed.checkAddress('10.20.30.1', 443, host), {
      allowed: false,
      reason: 'deny-listed address 10.20.30.1 in 10.20.30.0/24',
    });
  });

  it('checks the port of a name once its address is known', () => {
    const host = listed.checkHost('corp.example', 25);
    assert.deepEqual(listed.checkAddress('8.8.8.8', 25, host), {
      allowed: false,
      reason: 'port 25 not allowed',
    });
    assert.deepEqual(listed.checkAddress('127.0.0.1', 25, host), {
      allowed: true,
      reason: 'allow-listed address 127.0.0.1 in 127.0.0.0/8',
    });
  });

  it('denies a resolved metadata or mapped loopback address of an ordinary name', () => {
    const host = strict.checkHost('example.com', 80);
    assert.deepEqual(strict.checkAddress('169.254.169.254', 80, host), {
      allowed: false,
      reason: 'cloud metadata address 169.254.169.254',
    });
    assert.deepEqual(strict.checkAddress('::ffff:127.0.0.1', 80, host), {
      allowed: false,
      reason: 'loopback address 127.0.0.1 (as IPv4-mapped ::ffff:7f00:1)',
    });
    assert.deepEqual(strict.checkAddress('not-an-address', 80, host), {
      allowed: false,
      reason: 'invalid address "not-an-address"',
    });
  });

  it('allows any port everywhere when the port list is "any"', () => {
    const anyPort = new EgressPolicy({
      allowCidrs: [],
      denyCidrs: [],
      allowHosts: [],
      denyHosts: [],
      allowedPorts: 'any',
    });
    assert.deepEqual(anyPort.checkHost('8.8.8.8', 25).allowed, true);
    assert.deepEqual(anyPort.checkHost('10.0.0.1', 25).reason, 'private address 10.0.0.1');
  });

  it('refuses settings that are not ranges or ports', () => {
    const base = { allowCidrs: [], denyCidrs: [], allowHosts: [], denyHosts: [], allowedPorts: [80] };
    assert.throws(() => new EgressPolicy({ ...base, allowCidrs: ['10.0.0.0/33'] }), InvalidEgressSetting);
    assert.throws(() => new EgressPolicy({ ...base, denyCidrs: ['0177.0.0.1'] }), /deny CIDR "0177.0.0.1"/);
    assert.throws(() => new EgressPolicy({ ...base, allowedPorts: [70000] }), /allowed port 70000/);
  });
});
