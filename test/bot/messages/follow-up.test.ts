import { describe, expect, it } from 'vitest';
import { combineWithTopic, isFollowUp, stripBotMention, topicQuestion } from '../../../src/bot/messages/follow-up.js';

describe('stripBotMention', () => {
  it('removes both mention forms of the bot and tidies whitespace', () => {
    expect(stripBotMention('<@42> how much wheat?', '42')).toBe('how much wheat?');
    expect(stripBotMention('so <@!42>   what   now', '42')).toBe('so what now');
    expect(stripBotMention('<@42>', '42')).toBe('');
  });

  it('keeps mentions of other users', () => {
    expect(stripBotMention('<@42> ask <@7>', '42')).toBe('ask <@7>');
  });
});

describe('follow-ups', () => {
  it('treats short questions as follow-ups', () => {
    expect(isFollowUp('and what about the wheat?')).toBe(true);
    expect(isFollowUp('Which Russian official arrived in Cuba after a stop in Venezuela?')).toBe(false);
  });

  it('refers to the newest standalone question, then the bot-named thread, then the newest follow-up', () => {
    const standalone = 'Which Russian official arrived in Cuba after a stop in Venezuela?';
    expect(topicQuestion(['and the oil?', standalone, 'older standalone question about something else entirely'])).toBe(standalone);
    expect(topicQuestion(['and the oil?'], 'Thread question')).toBe('Thread question');
    expect(topicQuestion(['and the oil?'])).toBe('and the oil?');
    expect(topicQuestion([])).toBeUndefined();
  });

  it('combines topic and follow-up for retrieval', () => {
    expect(combineWithTopic('Who visited Cuba?', 'and what about the wheat?')).toBe('Who visited Cuba? and what about the wheat?');
  });
});
