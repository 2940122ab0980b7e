import path from 'node:path';
import { type APIEmbed, type APIMessage, InteractionResponseType } from 'discord.js';
import type { Engine } from '../../src/backend/types.js';
import { type BotOptions, type RunningBot, startBot } from '../../src/bot/bot.js';
import { type Config, configSchema } from '../../src/config.js';
import type { QuoteEngine } from '../../src/core/types.js';
import { openEngine } from '../../src/engine/open.js';
import { capturingLogger, type LogLine } from './capturing-logger.js';
import { FakeDiscord, type RecordedCall, snowflake } from './fake-discord.js';
import { modelsDir, SEEDS, TEST_MODEL, TEST_READER, TEST_RERANK_MODELS, tempDir } from './helpers.js';

export { capturingLogger, type LogLine };

/** The real engine over a corpus (the seeds by default), indexed into a fresh temp dir. */
export function openRealEngine(corpusDir: string = SEEDS): Promise<Engine> {
  return openEngine({
    corpusDir,
    indexDir: tempDir('bot-index-'),
    model: TEST_MODEL,
    rerankModels: TEST_RERANK_MODELS,
    reader: TEST_READER,
    modelsDir: modelsDir(),
  });
}

/** The bot's settings and stored questions go to a fresh SQLite file unless `env` names one. */
export function testConfig(apiUrl: string, env: Record<string, string> = {}): Config {
  const community = path.join(tempDir('bot-community-'), 'community.sqlite');
  return configSchema.parse({
    DISCORD_TOKEN: 'test-bot-token',
    DISCORD_API_URL: apiUrl,
    COOLDOWN_SECONDS: '30',
    COMMUNITY_DB: community,
    ...env,
  });
}

export interface Harness {
  fake: FakeDiscord;
  bot: RunningBot;
  logs: LogLine[];
  /** Every question the engine was asked, in order. */
  asked: string[];
  close(): Promise<void>;
}

/** Starts the fake Discord and the real bot logged into it, around `engine`. */
export async function startHarness(
  engine: QuoteEngine,
  options: BotOptions = {},
  env: Record<string, string> = {},
  fakeDiscord?: FakeDiscord,
): Promise<Harness> {
  const fake = fakeDiscord ?? (await FakeDiscord.start());
  const { logger, lines } = capturingLogger();
  const asked: string[] = [];
  const recording: QuoteEngine = {
    ask: (question, askOptions) => {
      asked.push(question);
      return engine.ask(question, askOptions);
    },
    documents: () => engine.documents(),
    getDocument: (id) => engine.getDocument(id),
    refresh: () => engine.refresh(),
  };
  const bot = await startBot(testConfig(fake.apiUrl, env), recording, { logger, ...options });
  await fake.waitForReady();
  return {
    fake,
    bot,
    logs: lines,
    asked,
    async close() {
      await bot.stop();
      await fake.close();
    },
  };
}

/** A user nobody has used yet, so the per-user cooldown of one test never affects another. */
export function newUser(): string {
  return snowflake();
}

const isCallback = (call: RecordedCall) => call.path.startsWith('/interactions/');

export function callbackFor(fake: FakeDiscord, token: string): Promise<RecordedCall> {
  return fake.waitForCall((call) => isCallback(call) && call.path.includes(token));
}

/** The PATCH that fills in a deferred reply. */
export function editFor(fake: FakeDiscord, token: string): Promise<RecordedCall> {
  return fake.waitForCall((call) => call.method === 'PATCH' && call.path.includes(token));
}

export function replyTo(fake: FakeDiscord, message: APIMessage): Promise<RecordedCall> {
  return fake.waitForCall(
    (call) =>
      call.method === 'POST' &&
      call.path === `/channels/${message.channel_id}/messages` &&
      bodyOf(call).message_reference?.message_id === message.id,
  );
}

export interface SentBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: Array<{ components: Array<{ custom_id?: string; label?: string; disabled?: boolean }> }>;
  flags?: number;
  allowed_mentions?: { parse?: string[]; replied_user?: boolean };
  message_reference?: { message_id: string };
  name?: string;
  choices?: Array<{ name: string; value: string }>;
}

export function bodyOf(call: RecordedCall): SentBody {
  return (call.body ?? {}) as SentBody;
}

/** The message data of a callback (type 4/7) or the body of any other call. */
export function messageOf(call: RecordedCall): SentBody {
  const body = call.body as { type?: number; data?: SentBody } | undefined;
  return isCallback(call) ? (body?.data ?? {}) : bodyOf(call);
}

/** Every REST call that creates or edits a message, as Discord receives it. */
export function messageWrites(fake: FakeDiscord): RecordedCall[] {
  return fake.calls.filter((call) => {
    if (call.method === 'POST' && /^\/channels\/\d+\/messages$/.test(call.path)) return true;
    if (call.path.startsWith('/webhooks/') && (call.method === 'PATCH' || call.method === 'POST')) return true;
    const type = (call.body as { type?: number } | undefined)?.type;
    return (
      isCallback(call) && (type === InteractionResponseType.ChannelMessageWithSource || type === InteractionResponseType.UpdateMessage)
    );
  });
}

/** Reverses the bot's `> ` blockquote so a description can be compared with an escaped quote. */
export function unquote(description: string): string {
  return description
    .split('\n')
    .map((line) => line.replace(/^> ?/, ''))
    .join('\n');
}

/** How the bot lays out a quote: blank-line runs collapsed, as in `blockquote`. */
export function asDisplayed(escapedQuote: string): string {
  return escapedQuote.trim().replace(/\n\s*\n+/g, '\n\n');
}

export function buttonIds(body: SentBody): string[] {
  return (body.components ?? []).flatMap((row) => row.components.map((button) => button.custom_id ?? ''));
}
