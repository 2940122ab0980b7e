/**
 * Turning a message that mentions the bot into a question, and reading a short follow-up in a thread
 * together with the question asked before it.
 */

/** A thread message this short is read as a follow-up ("and what about the wheat?"). */
const FOLLOW_UP_MAX_WORDS = 8;

/** The message text without mentions of the bot, whitespace collapsed. */
export function stripBotMention(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function isFollowUp(question: string): boolean {
  return question.split(/\s+/).filter(Boolean).length <= FOLLOW_UP_MAX_WORDS;
}

/**
 * The question a follow-up refers to: the newest earlier question that stands on its own (earlier
 * follow-ups lean on it too), else the thread's name when the bot opened the thread for an /ask
 * (it names threads after their question), else the newest earlier follow-up.
 */
export function topicQuestion(earlierQuestionsNewestFirst: readonly string[], botThreadName?: string): string | undefined {
  return earlierQuestionsNewestFirst.find((question) => !isFollowUp(question)) ?? botThreadName ?? earlierQuestionsNewestFirst[0];
}

/** What retrieval sees for a follow-up: the topic's words and the follow-up's together. */
export function combineWithTopic(topic: string, followUp: string): string {
  return `${topic} ${followUp}`;
}
