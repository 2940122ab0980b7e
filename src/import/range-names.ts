/**
 * ipaddr.js's range names ("linkLocal", "carrierGradeNat") are its identifiers, not words: what a
 * refused fetch says instead, with its article ("a link-local address").
 */
const WORDS: Record<string, string> = {
  private: 'a private',
  loopback: 'a loopback',
  linkLocal: 'a link-local',
  uniqueLocal: 'a unique local (fc00::/7)',
  carrierGradeNat: 'a carrier-grade NAT (100.64.0.0/10)',
  unspecified: 'an unspecified',
  multicast: 'a multicast',
  broadcast: 'a broadcast',
  reserved: 'a reserved',
  deprecatedSiteLocal: 'a site-local',
  siteLocal: 'a site-local',
  benchmarking: 'a benchmarking',
  invalid: 'an invalid',
  thisNetwork: 'a "this network" (0.0.0.0/8)',
  documentation: 'a documentation',
  ipv4Compatible: 'an IPv4-compatible IPv6',
  ipv4Translated: 'an IPv4-translated IPv6',
  '6to4': 'a 6to4',
  '6to4Relay': 'a 6to4 relay',
  teredo: 'a Teredo',
  nat64LocalUse: 'a local-use NAT64',
  discardOnly: 'a discard-only',
};

/** "a link-local address", "a private address"; any other special-purpose range says which. */
export function describeRange(range: string): string {
  return `${WORDS[range] ?? `a special-purpose (${range})`} address`;
}
