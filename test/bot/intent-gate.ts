import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { FakeDiscord } from '../support/fake-discord.js';

/**
 * Stands in front of FakeDiscord the way Discord treats an application whose Message Content intent
 * is not enabled in the Developer Portal: an IDENTIFY asking for it is closed with 4014. Everything
 * else (REST and gateway) passes through to the fake, which has no such switch of its own.
 */
export class IntentGate {
  /** How many IDENTIFYs were refused. */
  refusals = 0;
  private readonly server = createServer((req, res) => void this.forward(req, res));
  private readonly gateway = new WebSocketServer({ server: this.server });

  private constructor(private readonly fake: FakeDiscord) {
    this.gateway.on('connection', (socket, request) => this.relay(socket, request));
  }

  static async start(fake: FakeDiscord): Promise<IntentGate> {
    const gate = new IntentGate(fake);
    await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  private get origin(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get apiUrl(): string {
    return `http://${this.origin}/api`;
  }

  async close(): Promise<void> {
    for (const client of this.gateway.clients) client.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** REST goes to the fake, except that the gateway URL handed out points here. */
  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await fetch(`${this.fake.apiUrl.replace(/\/api$/, '')}${req.url}`, {
      method: req.method,
      headers: Object.fromEntries(
        Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host'),
      ),
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    let body = Buffer.from(await upstream.arrayBuffer());
    if (req.url?.startsWith('/api/v10/gateway/bot')) {
      body = Buffer.from(JSON.stringify({ ...(JSON.parse(body.toString()) as object), url: `ws://${this.origin}` }));
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(body);
  }

  private relay(client: WebSocket, request: IncomingMessage): void {
    const upstream = new WebSocket(`${this.fake.gatewayUrl}${request.url ?? '/'}`);
    const pending: string[] = [];
    upstream.on('open', () => pending.splice(0).forEach((message) => upstream.send(message)));
    upstream.on('message', (data: RawData) => client.send(data.toString()));
    upstream.on('close', () => client.close());
    client.on('close', () => upstream.close());
    client.on('message', (data: RawData) => {
      const text = data.toString();
      const payload = JSON.parse(text) as { op: number; d?: { intents?: number } };
      if (payload.op === GatewayOpcodes.Identify && ((payload.d?.intents ?? 0) & GatewayIntentBits.MessageContent) !== 0) {
        this.refusals += 1;
        client.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
        return;
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else pending.push(text);
    });
  }
}
