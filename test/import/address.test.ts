import { describe, expect, it } from 'vitest';
import { classifyAddress, ipLiteral } from '../../src/import/address.js';

describe('the address filter', () => {
  it.each([
    // IPv4: IANA special-purpose registry, multicast, reserved
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'thisNetwork'],
    ['10.0.0.1', 'private'],
    ['10.255.255.254', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['127.0.0.1', 'loopback'],
    ['127.12.0.9', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['172.16.0.1', 'private'],
    ['172.31.255.1', 'private'],
    ['192.0.0.170', 'ietfProtocolAssignment'],
    ['192.0.2.1', 'documentation'],
    ['192.31.196.1', 'as112'],
    ['192.52.193.1', 'amt'],
    ['192.88.99.1', '6to4Relay'],
    ['192.168.1.10', 'private'],
    ['192.175.48.1', 'as112'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.251', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    // IPv6
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fec0::1', 'siteLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['100::1', 'discardOnly'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001:2::1', 'ietfProtocolAssignment'],
    ['2620:4f:8000::1', 'as112'],
    ['64:ff9b:1::a00:1', 'nat64LocalUse'],
    ['::ffff:0:a00:1', 'ipv4Translated'],
    ['4000::1', 'reserved'],
    ['5f00::1', 'reserved'],
  ])('refuses %s (%s)', (address, range) => {
    expect(classifyAddress(address)).toEqual({ public: false, range });
  });

  it.each([
    // IPv4-compatible (the finding: ipaddr.js calls these unicast), whatever they carry
    ['::7f00:1', 'ipv4Compatible', '127.0.0.1'],
    ['::a00:1', 'ipv4Compatible', '10.0.0.1'],
    ['::a9fe:a9fe', 'ipv4Compatible', '169.254.169.254'],
    ['::808:808', 'ipv4Compatible', '8.8.8.8'],
    // IPv4-mapped and NAT64: judged by the address they reach
    ['::ffff:10.0.0.1', 'private', '10.0.0.1'],
    ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'],
    ['::ffff:a9fe:a9fe', 'linkLocal', '169.254.169.254'],
    ['64:ff9b::a00:1', 'private', '10.0.0.1'],
    ['64:ff9b::7f00:1', 'loopback', '127.0.0.1'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal', '169.254.169.254'],
    // 6to4 and Teredo: refused whatever they carry
    ['2002:a00:1::1', '6to4', '10.0.0.1'],
    ['2002:7f00:1::', '6to4', '127.0.0.1'],
    ['2002:808:808::1', '6to4', '8.8.8.8'],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'teredo', '10.0.0.1'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'teredo', '127.0.0.1'],
  ])('refuses %s (%s carrying %s)', (address, range, embedded) => {
    expect(classifyAddress(address)).toEqual({ public: false, range, embedded });
  });

  it.each([
    ['93.184.216.34', undefined],
    ['8.8.8.8', undefined],
    ['151.101.1.69', undefined],
    ['2606:4700:4700::1111', undefined],
    ['2a00:1450:4001:82a::200e', undefined],
    ['::ffff:8.8.8.8', '8.8.8.8'],
    ['64:ff9b::808:808', '8.8.8.8'],
  ])('allows the public address %s', (address, embedded) => {
    expect(classifyAddress(address)).toEqual({ public: true, range: 'unicast', ...(embedded && { embedded }) });
  });

  it('treats anything that is not an address as not public', () => {
    expect(classifyAddress('localhost')).toEqual({ public: false, range: 'invalid' });
    expect(classifyAddress('')).toEqual({ public: false, range: 'invalid' });
  });
});

describe('ipLiteral', () => {
  it('finds IP literals in URL hosts, whatever way they were written', () => {
    expect(ipLiteral(new URL('http://10.0.0.1/').hostname)).toBe('10.0.0.1');
    expect(ipLiteral(new URL('http://0x7f.1/').hostname)).toBe('127.0.0.1');
    expect(ipLiteral(new URL('http://2130706433/').hostname)).toBe('127.0.0.1');
    expect(ipLiteral(new URL('http://[::ffff:10.0.0.1]/').hostname)).toBe('::ffff:a00:1');
    expect(ipLiteral(new URL('http://[::7f00:1]/').hostname)).toBe('::7f00:1');
    expect(ipLiteral('news.example')).toBeNull();
  });
});
