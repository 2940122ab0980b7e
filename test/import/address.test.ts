import { describe, expect, it } from 'vitest';
import { addressRange, ipLiteral, isPublicAddress } from '../../src/import/address.js';

describe('isPublicAddress', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['10.255.255.254', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.1', 'private'],
    ['192.168.1.10', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.12.0.9', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    expect(addressRange(address)).toBe(range);
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '151.101.1.69', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e'])('allows the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('treats anything that is not an address as not public', () => {
    expect(isPublicAddress('localhost')).toBe(false);
    expect(isPublicAddress('')).toBe(false);
  });
});

describe('ipLiteral', () => {
  it('finds IP literals in URL hosts, whatever way they were written', () => {
    expect(ipLiteral(new URL('http://10.0.0.1/').hostname)).toBe('10.0.0.1');
    expect(ipLiteral(new URL('http://0x7f.1/').hostname)).toBe('127.0.0.1');
    expect(ipLiteral(new URL('http://2130706433/').hostname)).toBe('127.0.0.1');
    expect(ipLiteral(new URL('http://[::ffff:10.0.0.1]/').hostname)).toBe('::ffff:a00:1');
    expect(ipLiteral('news.example')).toBeNull();
  });
});
