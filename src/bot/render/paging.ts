/** Lines per page of a /search result and of /sources; ten short entries fit one embed description. */
export const SEARCH_PAGE_SIZE = 10;
export const SOURCES_PAGE_SIZE = 10;

export interface Page<T> {
  items: T[];
  /** The page shown, counted from 0 and clamped to the pages there are. */
  current: number;
  /** At least 1, so an empty list still has a page to say so. */
  pages: number;
  /** The list number (from 1) of the page's first item. */
  firstNumber: number;
}

/** One page of a list. Out-of-range pages (an old button, a shrunk corpus) show the nearest page. */
export function pageOf<T>(items: readonly T[], page: number, pageSize: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const current = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(current * pageSize, (current + 1) * pageSize), current, pages, firstNumber: current * pageSize + 1 };
}
