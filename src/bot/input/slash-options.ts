import type { OptionLabel } from '../../core/ask-options.js';

/** Names an option in the bot's messages as the user sees it in the slash command: `results`, `after`... */
export const slashOptionLabel: OptionLabel = (option) => `\`${option === 'k' ? 'results' : option}\``;
