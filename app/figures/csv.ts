/** The data of a figure as CSV beside it: one column pair per trace, named "<trace> <axis title>". */
export interface CsvTrace {
  name: string;
  x: ArrayLike<number | null>;
  y: ArrayLike<number | null>;
}

export function tracesToCsv(traces: CsvTrace[], xTitle: string, yTitle: string): string {
  const header: string[] = [];
  for (const trace of traces) header.push(quote(`${trace.name} ${xTitle}`), quote(`${trace.name} ${yTitle}`));
  const rows = Math.max(0, ...traces.map((trace) => trace.x.length));
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (const trace of traces) cells.push(cell(trace.x[i]), cell(trace.y[i]));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

function cell(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
}

function quote(text: string): string {
  const plain = text.replace(/<[^>]+>/g, '');
  return /[",\n]/.test(plain) ? `"${plain.replaceAll('"', '""')}"` : plain;
}
