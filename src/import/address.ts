import ipaddr from 'ipaddr.js';
import { describeRange } from './range-names.js';

/** What the address filter says about one address. */
export interface AddressVerdict {
  public: boolean;
  /** Its range: "unicast" when public, else what it is ("private", "loopback", "ipv4Compatible", "6to4"…). */
  range: string;
  /** The IPv4 address an IPv6 one carries (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo), when it carries one. */
  embedded?: string;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number, string];
const ranges = (table: Array<[string, string]>): Range[] => table.map(([cidr, name]) => [...ipaddr.parseCIDR(cidr), name]);

/** IANA's IPv4 special-purpose registry, multicast and the reserved block; the first match names the range. */
const IPV4_SPECIAL = ranges([
  ['0.0.0.0/32', 'unspecified'],
  ['0.0.0.0/8', 'thisNetwork'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrierGradeNat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'linkLocal'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'ietfProtocolAssignment'],
  ['192.0.2.0/24', 'documentation'],
  ['192.31.196.0/24', 'as112'],
  ['192.52.193.0/24', 'amt'],
  ['192.88.99.0/24', '6to4Relay'],
  ['192.168.0.0/16', 'private'],
  ['192.175.48.0/24', 'as112'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

/** IANA's IPv6 special-purpose registry, and the other non-global blocks; outside 2000::/3 nothing is public. */
const IPV6_SPECIAL = ranges([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::ffff:0:0:0/96', 'ipv4Translated'],
  ['64:ff9b:1::/48', 'nat64LocalUse'],
  ['100::/64', 'discardOnly'],
  ['2001::/32', 'teredo'],
  ['2001::/23', 'ietfProtocolAssignment'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4'],
  ['2620:4f:8000::/48', 'as112'],
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'uniqueLocal'],
  ['fe80::/10', 'linkLocal'],
  ['fec0::/10', 'siteLocal'],
  ['ff00::/8', 'multicast'],
]);
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');
const IPV4_MAPPED = ipaddr.parseCIDR('::ffff:0:0/96');
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * The one address check of the importer and the bot: only ordinary public unicast addresses pass.
 * IPv6 addresses that carry an IPv4 one are judged by it where a connection really reaches it
 * (IPv4-mapped, the NAT64 well-known prefix); the deprecated IPv4-compatible form, 6to4 and Teredo
 * are refused whatever they carry.
 */
export function classifyAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return { public: false, range: 'invalid' };
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') return judge(ip, IPV4_SPECIAL, () => true);
  const v6 = ip as ipaddr.IPv6;
  const bytes = v6.toByteArray();
  const v4At = (offset: number, mask = 0) => ipaddr.fromByteArray(bytes.slice(offset, offset + 4).map((b) => b ^ mask)).toString();
  if (v6.match(IPV4_MAPPED) || v6.match(NAT64)) {
    const embedded = v4At(12);
    return { ...classifyAddress(embedded), embedded };
  }
  if (v6.match(IPV4_COMPATIBLE) && !['::', '::1'].includes(v6.toString()))
    return { public: false, range: 'ipv4Compatible', embedded: v4At(12) };
  const verdict = judge(v6, IPV6_SPECIAL, () => v6.match(GLOBAL_UNICAST));
  if (verdict.range === '6to4') return { ...verdict, embedded: v4At(2) };
  if (verdict.range === 'teredo') return { ...verdict, embedded: v4At(12, 0xff) };
  return verdict;
}

function judge(ip: ipaddr.IPv4 | ipaddr.IPv6, special: Range[], global: () => boolean): AddressVerdict {
  const hit = special.find(([network, bits]) => network.kind() === ip.kind() && ip.match(network, bits));
  if (hit) return { public: false, range: hit[2] };
  return global() ? { public: true, range: 'unicast' } : { public: false, range: 'reserved' };
}

/** "a private address (carrying 10.0.0.1)", for error messages. */
export function describeVerdict(verdict: AddressVerdict): string {
  return `${describeRange(verdict.range)}${verdict.embedded ? ` (carrying ${verdict.embedded})` : ''}`;
}

/** "10.0.0.1" when the URL host is an IP literal (brackets of IPv6 removed), otherwise null. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : null;
}
