/** A one-line progress bar on stderr (redrawn in place on a terminal, a line per quarter otherwise). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  let lastQuarter = -1;
  return (done, total) => {
    const fraction = total === 0 ? 1 : done / total;
    const width = 30;
    const filled = Math.round(fraction * width);
    const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
    if (stream.isTTY) {
      stream.write(`\r${line}${done >= total ? '\n' : ''}`);
    } else if (Math.floor(fraction * 4) > lastQuarter) {
      lastQuarter = Math.floor(fraction * 4);
      stream.write(`${line}\n`);
    }
  };
}
