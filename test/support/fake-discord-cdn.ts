import type { ServerResponse } from 'node:http';
import type { APIAttachment, Snowflake } from 'discord.js';
import { snowflake } from './fake-discord-model.js';

/** The fake Discord's CDN: attachment bytes by URL, like cdn.discordapp.com (no authorization needed). */
export class FakeCdn {
  /** Files users attached, by URL path under `/attachments/`. */
  readonly #files = new Map<string, { attachment: APIAttachment; bytes: Buffer }>();

  /** Stores a file a user attached in `channelId`; `origin` is the fake's `http://127.0.0.1:port`. */
  add(
    origin: string,
    channelId: Snowflake,
    filename: string,
    data: string | Buffer,
    fields: { contentType?: string; size?: number },
  ): APIAttachment {
    const id = snowflake();
    const bytes = Buffer.from(data);
    const url = `${origin}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    const attachment: APIAttachment = {
      id,
      filename,
      size: fields.size ?? bytes.length,
      url,
      proxy_url: url,
      ...(fields.contentType !== undefined ? { content_type: fields.contentType } : {}),
    };
    this.#files.set(new URL(url).pathname, { attachment, bytes });
    return attachment;
  }

  /** The attachment with this id, if a user attached it. */
  attachment(id: string): APIAttachment | undefined {
    return [...this.#files.values()].find(({ attachment }) => attachment.id === id)?.attachment;
  }

  /** Answers a request for `url`; returns the status, for the fake's call log. */
  serve(res: ServerResponse, url: URL): number {
    const file = this.#files.get(url.pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return 404;
    }
    res.writeHead(200, {
      'content-type': file.attachment.content_type ?? 'application/octet-stream',
      'content-length': String(file.bytes.length),
    });
    res.end(file.bytes);
    return 200;
  }
}
