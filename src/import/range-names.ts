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
  benchmarking: 'a benchmarking',
  invalid: 'an invalid',
};

/** "a link-local address", "a private address"; any other special-purpose range says which. */
export function describeRange(range: string): string {
  return `${WORDS[range] ?? `a special-purpose (${range})`} address`;
}
