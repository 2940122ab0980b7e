import { BUTTON_NAMESPACES, parsePageButton } from '../buttons/custom-ids.js';
import type { ComponentHandler } from '../registry.js';
import { renderSearchPage } from '../render/search-page.js';
import { replyPrivately } from '../sending/send.js';

/** Previous / Next under a /search result: pages through the passages kept in its session. */
export default {
  namespace: BUTTON_NAMESPACES.searchPager,

  async execute(interaction, context, parts) {
    const target = parsePageButton(parts);
    const session = target && context.searches.get(target.key);
    if (!target || !session) {
      await replyPrivately(interaction, 'These buttons have expired — run `/search` again.');
      return;
    }
    if (interaction.user.id !== session.ownerId) {
      await replyPrivately(interaction, 'Only the person who searched can page through these results — try `/search` yourself.');
      return;
    }
    await interaction.update(renderSearchPage({ ...session.view, key: target.key }, target.page));
  },
} satisfies ComponentHandler;
