import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from 'discord.js';
import { type PagerRole, pageButtonId } from '../buttons/custom-ids.js';

/** Previous / `page of pages` / Next; the buttons carry the page they lead to. */
export function pagerRow(namespace: string, key: string, page: number, pages: number): APIActionRowComponent<APIButtonComponent> {
  const button = (label: string, target: number, role: PagerRole, disabled: boolean): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: pageButtonId(namespace, { key, page: target }, role),
    disabled,
  });
  return {
    type: ComponentType.ActionRow,
    components: [
      button('Previous', Math.max(0, page - 1), 'prev', page === 0),
      button(`${page + 1} / ${pages}`, page, 'at', true),
      button('Next', Math.min(pages - 1, page + 1), 'next', page >= pages - 1),
    ],
  };
}
