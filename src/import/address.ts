import ipaddr from 'ipaddr.js';

/**
 * The kind of an IP address, as ipaddr.js names its ranges: "unicast" is an ordinary public address;
 * anything else (private, loopback, linkLocal, uniqueLocal, carrierGradeNat, multicast, reserved,
 * unspecified, 6to4, teredo, rfc6052...) is not somewhere a server of ours should be sent. IPv4-mapped
 * IPv6 addresses (::ffff:10.0.0.1) are judged as the IPv4 address they carry.
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  return ipaddr.process(address).range();
}

export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

/** "10.0.0.1" when the URL host is an IP literal (brackets of IPv6 removed), otherwise null. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : null;
}
