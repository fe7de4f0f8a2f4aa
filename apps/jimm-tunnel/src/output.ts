/** What admin commands print: text lines or a table for people, one JSON document for scripts. */

/** The output formats `--format` accepts. */
export const OUTPUT_FORMATS = ['text', 'json'] as const;

/** An output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Writes `json` for `--format json`, else `text`, to stdout. */
export function print(format: OutputFormat, result: { json: unknown; text: string }): void {
  const body = format === 'json' ? JSON.stringify(result.json, null, 2) : result.text;
  if (body.length > 0) process.stdout.write(`${body}\n`);
}

/** Aligns rows under upper-case headers; `(none)` when there are no rows. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '(none)';
  const all = [headers.map((header) => header.toUpperCase()), ...rows];
  const widths = headers.map((_, column) =>
    Math.max(...all.map((row) => (row[column] ?? '').length)),
  );
  return all
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
