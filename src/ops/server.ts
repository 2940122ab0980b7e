import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { UserError } from '../core/errors.js';
import type { Logger } from '../logger.js';

/** What `/healthz` reports: healthy or not, and the checks behind it (shown as JSON, no secrets). */
export interface Health {
  ok: boolean;
  checks: Record<string, unknown>;
}

export interface OpsServerOptions {
  host: string;
  port: number;
  health: () => Health;
  /** Served on `/metrics`; none (404) where a process has no metrics of its own. */
  metrics?: Registry;
  logger: Logger;
}

export interface OpsServer {
  /** The port it listens on (the one asked for, or the one the system picked for port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * The operators' HTTP port (METRICS_PORT): `GET /healthz` answers 200 when this process can answer
 * questions and 503 otherwise, `GET /metrics` the Prometheus text format. Nothing else: no request
 * changes anything, and nothing of users' questions is ever in a reply.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/healthz') {
      const health = options.health();
      response.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(health));
    } else if (path === '/metrics' && options.metrics) {
      const registry = options.metrics;
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => {
          options.logger.warn({ event: 'metrics-failed', err: String(error) }, 'could not collect the metrics');
          response.writeHead(500).end();
        },
      );
    } else {
      response.writeHead(404).end();
    }
  });
  await listen(server, options.host, options.port);
  const { port } = server.address() as AddressInfo;
  options.logger.info(
    { event: 'ops-listening', host: options.host, port },
    `health and metrics on http://${options.host}:${port}/healthz and /metrics`,
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      // A port in use or not allowed is a setting to change, told in one line.
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new UserError(`METRICS_PORT: cannot listen on ${host}:${port} (${error.code})`)
          : error,
      ),
    );
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
}
