import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/import/address.js';
import { describeRange } from '../../src/import/range-names.js';

describe('describeRange', () => {
  it.each([
    ['169.254.169.254', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['10.0.0.1', 'a private address'],
    ['127.0.0.1', 'a loopback address'],
    ['100.64.0.1', 'a carrier-grade NAT (100.64.0.0/10) address'],
    ['fd12:3456::1', 'a unique local (fc00::/7) address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::7f00:1', 'an IPv4-compatible IPv6 address'],
    ['2001:db8::1', 'a documentation address'],
  ])('%s is %s, in words rather than the library’s identifiers', (address, words) => {
    expect(describeRange(classifyAddress(address).range)).toBe(words);
  });
});
