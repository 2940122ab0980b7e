/**
 * A one-line progress bar on stderr (redrawn in place on a terminal, a line per tenth otherwise),
 * with the time left estimated from the rate so far.
 */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): (done: number, total: number) => void {
  let lastTenth = -1;
  let started: { at: number; done: number } | null = null;
  return (done, total) => {
    const fraction = total === 0 ? 1 : Math.min(done / total, 1);
    const width = 30;
    const filled = Math.round(fraction * width);
    started ??= { at: now(), done };
    const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${timeLeft(started, done, total, now())}`;
    if (stream.isTTY) {
      stream.write(`\r${line}\x1b[K${done >= total ? '\n' : ''}`);
    } else if (Math.floor(fraction * 10) > lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      stream.write(`${line}\n`);
    }
  };
}

/** " · about 3 min left", from the rate since the first report; nothing until there is a rate. */
export function timeLeft(started: { at: number; done: number }, done: number, total: number, now: number): string {
  const elapsed = now - started.at;
  if (done >= total || done <= started.done || elapsed < 1000) return '';
  const seconds = ((total - done) * elapsed) / (done - started.done) / 1000;
  if (seconds < 90) return ` · about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 90 * 60) return ` · about ${Math.round(seconds / 60)} min left`;
  return ` · about ${(seconds / 3600).toFixed(1)} h left`;
}
