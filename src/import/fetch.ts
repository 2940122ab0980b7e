import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { hasCredentials, withoutCredentials } from '../core/urls.js';
import { classifyAddress, describeVerdict, ipLiteral } from './address.js';
import { formatBytes, ImportError } from './errors.js';

/** The rules every request from the importer and the bot follows. Built from config by the adapters. */
export interface FetchPolicy {
  /** For the whole fetch, redirects included. */
  timeoutMs: number;
  /** Bytes of body (after decompression) beyond which the fetch fails. */
  maxBytes: number;
  /** Allow loopback, private, link-local and other non-public addresses (tests, intranets). */
  allowPrivateHosts: boolean;
  maxRedirects?: number;
  userAgent?: string;
  /** Resolves a host name to all its addresses; dns.lookup by default (tests inject their own). */
  resolve?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
  /** Opens the connection; http(s).request by default (tests inject a spy to prove none is opened). */
  transport?: (url: URL, options: RequestOptions) => ClientRequest;
}

export interface FetchedResource {
  /** The URL after redirects. */
  url: string;
  /** Lower-case MIME type without parameters ("text/html"); "" when the server sent none. */
  contentType: string;
  charset: string | null;
  body: Buffer;
}

export const DEFAULT_USER_AGENT = 'quotebot/0.1 (news article importer; one request at a time)';
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET an http(s) URL within the policy: only http and https; every host (and every redirect's host)
 * must resolve to public addresses only, checked again when the connection is made so a DNS answer
 * cannot change in between; at most `maxRedirects` redirects; the whole fetch within `timeoutMs`;
 * at most `maxBytes` of body. Failures are `ImportError`s with a named code.
 */
export async function fetchSafely(input: string, policy: FetchPolicy): Promise<FetchedResource> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const maxRedirects = policy.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let url = parseHttpUrl(input);
  try {
    for (let redirects = 0; ; redirects++) {
      await checkHost(url, policy);
      const response = await send(url, policy, deadline);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECTS.has(status) && location) {
        response.resume();
        if (redirects >= maxRedirects) throw new ImportError('too-many-redirects', `${input} redirected more than ${maxRedirects} times`);
        url = parseHttpUrl(new URL(location, url).href);
        continue;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw new ImportError('http-status', `${url.href} answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`);
      }
      const { contentType, charset } = parseContentType(response.headers['content-type']);
      const body = await readLimited(response, url, policy.maxBytes);
      return { url: url.href, contentType, charset, body };
    }
  } catch (error) {
    if (deadline.aborted) throw new ImportError('timeout', `${url.href} did not answer within ${policy.timeoutMs} ms`);
    if (error instanceof ImportError) throw error;
    throw new ImportError('network', `${url.href}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** An absolute http(s) URL without a user name or password, or a `bad-url` error (which never shows them). */
export function parseHttpUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ImportError('bad-url', `"${withoutCredentials(input)}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ImportError('bad-url', `${url.protocol} URLs are not fetched, only http and https (${withoutCredentials(input)})`);
  // Credentials would be sent (as basic auth), stored in the article's front matter and shown in replies.
  if (hasCredentials(url))
    throw new ImportError(
      'bad-url',
      `${withoutCredentials(input)} has a user name or password in it; quotebot never sends or stores them: give the URL without them`,
    );
  return url;
}

/** Refuses a host that is, or resolves to, an address outside the public internet (unless allowed). */
async function checkHost(url: URL, policy: FetchPolicy): Promise<void> {
  const literal = ipLiteral(url.hostname);
  const addresses = literal ? [literal] : await resolveAll(url.hostname, policy);
  for (const address of addresses) assertAllowed(address, url.hostname, policy);
}

async function resolveAll(hostname: string, policy: FetchPolicy): Promise<Array<{ address: string; family: number }>> {
  try {
    const found = await (policy.resolve ?? ((host) => dnsLookup(host, { all: true, verbatim: true })))(hostname);
    if (found.length === 0) throw new Error('no addresses');
    return found;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(
      'unresolvable-host',
      `${hostname} could not be resolved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

function assertAllowed(address: string | { address: string }, hostname: string, policy: FetchPolicy): void {
  const ip = typeof address === 'string' ? address : address.address;
  const verdict = classifyAddress(ip);
  if (verdict.public || policy.allowPrivateHosts) return;
  const via = ip === hostname || `[${ip}]` === hostname ? ip : `${hostname} resolves to ${ip}`;
  throw new ImportError(
    'blocked-address',
    `${via}, ${describeVerdict(verdict)}; only public addresses are fetched (IMPORT_ALLOW_PRIVATE_HOSTS=true allows others)`,
  );
}

/** The connection's own DNS lookup goes through the same check, so the address connected to is one that passed. */
function guardedLookup(policy: FetchPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname, policy)
      .then((addresses) => {
        for (const address of addresses) assertAllowed(address, hostname, policy);
        const usable = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
        const chosen = usable.length > 0 ? usable : addresses;
        if (options.all) callback(null, chosen);
        else callback(null, chosen[0]!.address, chosen[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
}

function send(url: URL, policy: FetchPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  const options: RequestOptions = {
    method: 'GET',
    signal,
    lookup: guardedLookup(policy),
    headers: {
      'user-agent': policy.userAgent ?? DEFAULT_USER_AGENT,
      accept: 'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    },
  };
  const transport =
    policy.transport ?? ((target: URL, opts: RequestOptions) => (target.protocol === 'https:' ? https : http).request(target, opts));
  return new Promise((resolve, reject) => {
    const request = transport(url, options);
    request.once('response', resolve);
    request.once('error', reject);
    request.end();
  });
}

/** Reads the body, decompressed, and stops as soon as it passes `maxBytes` (before for a declared length). */
async function readLimited(response: IncomingMessage, url: URL, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new ImportError('too-large', `${url.href} is larger than ${formatBytes(maxBytes)}`);
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const stream = decoded(response);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
  } finally {
    if (total > maxBytes) {
      stream.destroy();
      response.destroy();
    }
  }
  return Buffer.concat(chunks);
}

function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (!decoder) return response;
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

function parseContentType(header: string | undefined): { contentType: string; charset: string | null } {
  if (!header) return { contentType: '', charset: null };
  const [type = '', ...params] = header.split(';');
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p)?.[1]).find(Boolean) ?? null;
  return { contentType: type.trim().toLowerCase(), charset: charset?.toLowerCase() ?? null };
}
