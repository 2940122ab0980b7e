import { describe, expect, it } from 'vitest';
import { lacksQuestionNames, mentions, questionNames } from '../../src/search/question-names.js';
import { foldAccentsAndCase } from '../../src/text/terms.js';

describe('question names', () => {
  it('takes capitalised words after the first and words with digits, folded', () => {
    expect(questionNames('When did Sergey Lavrov visit Japan?')).toEqual(['sergey', 'lavrov', 'japan']);
    expect(questionNames('What did Díaz-Canel say about China?')).toEqual(['diaz', 'canel', 'china']);
    expect(questionNames("Who won the 2022 final in the Bronco's 19th season?")).toEqual(['2022', 'bronco', '19']);
    expect(questionNames('Who was drawn to the city in the 1910s?')).toEqual(['1910']);
  });

  it('names nothing in a question written in lower case or made of common words', () => {
    expect(questionNames('how much wheat?')).toEqual([]);
    expect(questionNames('Who wrote The Mark of Anarchy?')).toEqual(['mark', 'anarchy']);
    expect(questionNames('What Is The Capital?')).toEqual(['capital']);
  });

  it('matches endings and accents, but numbers whole', () => {
    const text = foldAccentsAndCase("The Broncos' 2015 season. Japanese rulers. In the 1910s, Díaz-Canel met him (2023-24).");
    for (const name of ['bronco', 'japan', '1910', 'diaz', 'canel', '2015', '2023']) expect(mentions(text, name), name).toBe(true);
    for (const name of ['2024', '201', '202', 'china', 'rulerships']) expect(mentions(text, name), name).toBe(false);
  });

  it('matches a demonym or language to its place, when the place keeps four letters', () => {
    const text = foldAccentsAndCase('Travels in Italy, China, Japan and Israel; Korea and Brazil.');
    for (const name of ['italian', 'chinese', 'japanese', 'israeli', 'korean', 'brazilian']) expect(mentions(text, name), name).toBe(true);
    // Too short a place to tell from other words: "Indian" is not "industry".
    expect(mentions(foldAccentsAndCase('Indiana industry'), 'indian')).toBe(true);
    expect(mentions(foldAccentsAndCase('industry in Cuba'), 'indian')).toBe(false);
    expect(mentions(foldAccentsAndCase('Spain'), 'spanish')).toBe(false);
  });

  it('says which texts lack a name of the question', () => {
    const lacks = lacksQuestionNames('How much wheat did Russia send to Venezuela?');
    expect(lacks('Russia sent 25,000 tonnes of wheat to Cuba.')).toBe(true);
    expect(lacks('Russia sent wheat to Venezuela and Cuba.')).toBe(false);
    expect(lacksQuestionNames('how much wheat?')('Nothing here.')).toBe(false);
  });
});
