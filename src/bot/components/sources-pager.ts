import { BUTTON_NAMESPACES, parsePageButton } from '../buttons/custom-ids.js';
import { decodeFilterKey } from '../input/source-filter.js';
import type { ComponentHandler } from '../registry.js';
import { renderSourcesPage } from '../render/sources.js';

/**
 * Previous / Next under /sources. The page number and the filter are all the buttons need, so they
 * carry them and keep working as long as the message exists.
 */
export default {
  namespace: BUTTON_NAMESPACES.sourcesPager,

  async execute(interaction, context, parts) {
    const target = parsePageButton(parts);
    await interaction.update(renderSourcesPage(context.engineQueue.documents(), target?.page ?? 0, decodeFilterKey(target?.key)));
  },
} satisfies ComponentHandler;
