import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseIpAddress, parseIpRange, rangeContains } from './ip-address';
import { embeddedIpv4 } from './special-purpose-ranges';

describe('parseIpAddress', () => {
  it('spells IPv6 the RFC 5952 way', () => {
    const cases: [string, string][] = [
      ['0:0:0:0:0:0:0:1', '::1'],
      ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['::ffff:127.0.0.1', '::ffff:7f00:1'],
      ['fe80::1%eth0', 'fe80::1'],
      ['1::', '1::'],
      ['::', '::'],
    ];
    for (const [input, canonical] of cases) assert.equal(parseIpAddress(input)?.text, canonical, input);
  });

  it('takes only the standard IPv4 spelling', () => {
    assert.equal(parseIpAddress('10.0.0.1')?.value, 0x0a000001n);
    for (const odd of ['0177.0.0.1', '127.1', '2130706433', '0x7f.1', 'example.com', ''])
      assert.equal(parseIpAddress(odd), null, odd);
  });
});

describe('parseIpRange', () => {
  it('clears host bits and reads a bare address as one address', () => {
    assert.equal(parseIpRange('10.1.2.3/8')?.text, '10.0.0.0/8');
    assert.equal(parseIpRange('192.168.1.7')?.text, '192.168.1.7/32');
    assert.equal(parseIpRange('fd12::1/7')?.text, 'fc00::/7');
    assert.equal(parseIpRange('0.0.0.0/0')?.text, '0.0.0.0/0');
  });

  it('refuses prefixes out of range and odd spellings', () => {
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/a', '10.1/8', 'fe80::%eth0/10'])
      assert.equal(parseIpRange(bad), null, bad);
  });

  it('matches only addresses of its own family', () => {
    const range = parseIpRange('127.0.0.0/8')!;
    assert.equal(rangeContains(range, parseIpAddress('127.9.9.9')!), true);
    assert.equal(rangeContains(range, parseIpAddress('128.0.0.1')!), false);
    assert.equal(rangeContains(range, parseIpAddress('::ffff:127.0.0.1')!), false);
    assert.equal(rangeContains(parseIpRange('0.0.0.0/0')!, parseIpAddress('8.8.8.8')!), true);
  });
});

describe('embeddedIpv4', () => {
  it('finds the IPv4 address behind mapped, compatible and NAT64 forms only', () => {
    assert.deepEqual(
      ['::ffff:10.0.0.1', '::10.0.0.1', '64:ff9b::10.0.0.1'].map((text) =>
        embeddedIpv4(parseIpAddress(text)!),
      ),
      [
        { embedding: 'IPv4-mapped', ipv4: parseIpAddress('10.0.0.1') },
        { embedding: 'IPv4-compatible', ipv4: parseIpAddress('10.0.0.1') },
        { embedding: 'NAT64', ipv4: parseIpAddress('10.0.0.1') },
      ],
    );
    for (const none of ['::', '::1', '2002:a00:1::', '10.0.0.1'])
      assert.equal(embeddedIpv4(parseIpAddress(none)!), null, none);
  });
});
