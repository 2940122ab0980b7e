import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { FakeDiscord } from './fake-discord.js';

/** Decides how Discord answers an IDENTIFY with these intents: a close code, or undefined to let it through. */
export type IdentifyRule = (intents: number) => number | undefined;

/** Discord's answer when the Message Content intent is not enabled in the Developer Portal. */
export const refuseMessageContent: IdentifyRule = (intents) =>
  (intents & GatewayIntentBits.MessageContent) !== 0 ? GatewayCloseCodes.DisallowedIntents : undefined;

/**
 * Stands in front of FakeDiscord the way Discord treats an application whose Message Content intent
 * is not enabled in the Developer Portal: an IDENTIFY asking for it is closed with 4014. Another
 * rule closes other IDENTIFYs (4004 for a bad token, 4014 for every intent set). Everything else
 * (REST and gateway) passes through to the fake, which has no such switch of its own.
 */
export class IntentGate {
  /** How many IDENTIFYs were refused. */
  refusals = 0;
  private readonly server = createServer((req, res) => void this.forward(req, res));
  private readonly gateway = new WebSocketServer({ server: this.server });

  private constructor(
    private readonly fake: FakeDiscord,
    private readonly rule: IdentifyRule,
  ) {
    this.gateway.on('connection', (socket, request) => this.relay(socket, request));
  }

  static async start(fake: FakeDiscord, rule: IdentifyRule = refuseMessageContent): Promise<IntentGate> {
    const gate = new IntentGate(fake, rule);
    await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  private get origin(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get apiUrl(): string {
    return `http://${this.origin}/api`;
  }

  /** Closes every live gateway connection with `code`, as Discord does when a token is reset (4004). */
  closeConnections(code: number): void {
    for (const client of this.gateway.clients) client.close(code, GatewayCloseCodes[code] ?? 'Closed.');
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
    // Only what the fake said: a 204 has no body, and a JSON content type on it would make discord.js parse nothing.
    const contentType = upstream.headers.get('content-type');
    res.writeHead(upstream.status, contentType ? { 'content-type': contentType } : {});
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
      const refusal = payload.op === GatewayOpcodes.Identify ? this.rule(payload.d?.intents ?? 0) : undefined;
      if (refusal !== undefined) {
        this.refusals += 1;
        client.close(refusal, GatewayCloseCodes[refusal] ?? 'Refused.');
        return;
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else pending.push(text);
    });
  }
}
