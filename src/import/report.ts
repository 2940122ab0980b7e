import { visibleControls } from '../core/terminal-text.js';
import type { ImportReport } from './importer.js';

const MARK = { imported: '+', updated: '~', unchanged: '=', skipped: '!' } as const;

export function reportCounts(report: ImportReport): Record<keyof typeof MARK, number> {
  const counts = { imported: 0, updated: 0, unchanged: 0, skipped: 0 };
  for (const entry of report.entries) counts[entry.status] += 1;
  return counts;
}

/** One summary line, then one line per source: what it became, or why it was skipped. For a terminal: control characters shown. */
export function formatReport(report: ImportReport): string {
  const counts = reportCounts(report);
  const lines = [
    `import: ${counts.imported} imported, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.skipped} skipped`,
  ];
  for (const entry of report.entries) {
    if (entry.status === 'skipped') lines.push(`  ! ${entry.source}: ${entry.reason}`);
    else
      lines.push(
        `  ${MARK[entry.status]} ${entry.file} ← ${entry.source}${entry.status === 'unchanged' ? ' (unchanged)' : ''}${entry.note ? ` (${entry.note})` : ''}`,
      );
  }
  return visibleControls(lines.join('\n'));
}
