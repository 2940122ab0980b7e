/**
 * A bot reply payload (what src/bot sends to Discord) as one self-contained HTML page drawn with the
 * open-source Discord message web components of @skyra/discord-components-core. The components
 * are bundled into the page from node_modules and the avatars are inline SVG, so the page loads
 * nothing from anywhere (scripts/render-reply.ts turns it into a PNG in headless Chromium).
 */

import type { APIButtonComponent, APIEmbed } from 'discord.js';
import { ButtonStyle } from 'discord.js';
import { parse } from 'discord-markdown-parser';
import { build } from 'esbuild';
import type { MessagePayload } from '../src/bot/sending/payload.js';

type MarkdownNode = ReturnType<typeof parse>[number];

/** Who is shown asking and answering, and when (fixed, so the picture changes only when the reply does). */
export interface ReplyScene {
  /** The slash command as the user typed it, shown above the reply. */
  command: string;
  botName: string;
  userName: string;
  /** Private replies show Discord's "Only you can see this" line. */
  ephemeral: boolean;
  /** Shown as written beside the bot's name. */
  timestamp: string;
}

export const DEFAULT_SCENE: ReplyScene = {
  command: '/ask',
  botName: 'quotebot',
  userName: 'reader',
  ephemeral: true,
  timestamp: 'Today at 12:00',
};

/** Discord's width for a message column with embeds, in CSS pixels. */
export const PAGE_WIDTH = 760;

let componentsBundle: Promise<string> | undefined;

/** The web components and their dependency (Lit) as one classic script, bundled once per process. */
function bundledComponents(): Promise<string> {
  componentsBundle ??= build({
    stdin: { contents: "import '@skyra/discord-components-core';", resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text.replace(/<\/script/gi, '<\\/script'));
  return componentsBundle;
}

/** The whole page: components, avatars and the reply. */
export async function replyHtml(reply: MessagePayload, scene: ReplyScene = DEFAULT_SCENE): Promise<string> {
  // The components read their configuration from this global when they load, so it comes first.
  const config = { avatars: { default: avatar('#5865f2', scene.userName) } };
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>quotebot reply</title>',
    `<style>html,body{margin:0;background:#313338}discord-messages{display:block;width:${PAGE_WIDTH}px;border:none}</style>`,
    `<script>globalThis.$discordMessage = ${JSON.stringify(config)};</script>`,
    `<script>${await bundledComponents()}</script>`,
    '</head><body>',
    replyMarkup(reply, scene),
    '</body></html>',
  ].join('\n');
}

/** The `<discord-messages>` element holding the reply; every text of the payload is HTML-escaped. */
export function replyMarkup(reply: MessagePayload, scene: ReplyScene = DEFAULT_SCENE): string {
  const botAvatar = avatar('#4f7cac', scene.botName);
  const message = [
    `<discord-message author="${attr(scene.botName)}" avatar="${attr(botAvatar)}" bot${scene.ephemeral ? ' ephemeral' : ''} timestamp="${attr(scene.timestamp)}">`,
    `<discord-command slot="reply" author="${attr(scene.userName)}" command="${attr(scene.command)}"></discord-command>`,
    markdownHtml(reply.content),
    ...reply.embeds.map(embedMarkup),
    componentsMarkup(reply),
    '</discord-message>',
  ];
  return `<discord-messages>\n${message.filter(Boolean).join('\n')}\n</discord-messages>`;
}

function embedMarkup(embed: APIEmbed): string {
  const color = embed.color === undefined ? '' : ` color="#${embed.color.toString(16).padStart(6, '0')}"`;
  // Titles render Markdown in Discord, but the attribute takes text: the escapes are consumed, the words kept.
  const title = embed.title ? ` embed-title="${attr(plainText(parse(embed.title, 'extended')))}"` : '';
  const url = embed.url ? ` url="${attr(embed.url)}"` : '';
  return [
    `<discord-embed slot="embeds"${color}${title}${url}>`,
    embed.description ? `<discord-embed-description slot="description">${markdownHtml(embed.description)}</discord-embed-description>` : '',
    // Footers are plain text in Discord.
    embed.footer ? `<discord-embed-footer slot="footer">${text(embed.footer.text)}</discord-embed-footer>` : '',
    '</discord-embed>',
  ].join('');
}

const BUTTON_TYPES: Partial<Record<ButtonStyle, string>> = {
  [ButtonStyle.Primary]: 'primary',
  [ButtonStyle.Secondary]: 'secondary',
  [ButtonStyle.Success]: 'success',
  [ButtonStyle.Danger]: 'destructive',
};

function componentsMarkup(reply: MessagePayload): string {
  if (reply.components.length === 0) return '';
  const rows = reply.components.map((row) => `<discord-action-row>${row.components.map(buttonMarkup).join('')}</discord-action-row>`);
  return `<discord-attachments slot="components">${rows.join('')}</discord-attachments>`;
}

function buttonMarkup(button: APIButtonComponent): string {
  const type = BUTTON_TYPES[button.style] ?? 'secondary';
  const emoji = 'emoji' in button && button.emoji?.name ? `${button.emoji.name} ` : '';
  const label = 'label' in button ? (button.label ?? '') : '';
  return `<discord-button type="${type}">${text(`${emoji}${label}`)}</discord-button>`;
}

/** Discord Markdown (as the bot writes it, escapes included) as the components' elements. */
export function markdownHtml(source: string): string {
  return nodesHtml(parse(source, 'extended'));
}

const WRAPPERS: Record<string, string> = {
  strong: 'discord-bold',
  em: 'discord-italic',
  underline: 'discord-underlined',
  blockQuote: 'discord-quote',
  spoiler: 'discord-spoiler',
  strike: 's',
  subtext: 'small',
};

function nodesHtml(nodes: MarkdownNode[]): string {
  return nodes.map(nodeHtml).join('');
}

function nodeHtml(node: MarkdownNode): string {
  if (node.type === 'br' || node.type === 'newline') return '<br>';
  if (node.type === 'inlineCode') return `<discord-code>${text(String(node.content))}</discord-code>`;
  if (node.type === 'codeBlock') return `<discord-code multiline>${text(String(node.content))}</discord-code>`;
  const inner = Array.isArray(node.content) ? nodesHtml(node.content) : text(String(node.content ?? ''));
  if (node.type === 'link' || node.type === 'url' || node.type === 'autolink') {
    const href = String(node.target ?? '');
    return /^https?:\/\//.test(href) ? `<discord-link href="${attr(href)}">${inner}</discord-link>` : inner;
  }
  const wrapper = WRAPPERS[node.type];
  return wrapper ? `<${wrapper}>${inner}</${wrapper}>` : inner;
}

/** The words of parsed Markdown, without its markup. */
function plainText(nodes: MarkdownNode[]): string {
  return nodes
    .map((node) => (Array.isArray(node.content) ? plainText(node.content) : node.type === 'br' ? '\n' : String(node.content ?? '')))
    .join('');
}

/** A round avatar with the name's first letter, as an inline SVG (no image is fetched). */
function avatar(color: string, name: string): string {
  const letter = text(name.slice(0, 1).toUpperCase());
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><circle cx="40" cy="40" r="40" fill="${color}"/><text x="40" y="53" font-family="sans-serif" font-size="38" fill="#fff" text-anchor="middle">${letter}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Text for an HTML element's content. */
function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text for a double-quoted HTML attribute. */
function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;');
}
