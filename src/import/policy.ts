import type { Config } from '../config.js';
import type { FetchPolicy } from './fetch.js';

/** The fetch rules the configuration sets (the config is read by the adapters, never here). */
export function fetchPolicyFromConfig(config: Pick<Config, 'FETCH_TIMEOUT_MS' | 'MAX_FETCH_BYTES' | 'IMPORT_ALLOW_PRIVATE_HOSTS'>): FetchPolicy {
  return { timeoutMs: config.FETCH_TIMEOUT_MS, maxBytes: config.MAX_FETCH_BYTES, allowPrivateHosts: config.IMPORT_ALLOW_PRIVATE_HOSTS };
}
