/**
 * What admin commands print: plain text for people (a line, or an aligned table) or one JSON
 * document for scripts, chosen by `--format`.
 */

/** The output formats `--format` accepts. */
export const OUTPUT_FORMATS = ['text', 'json'] as const;

/** An output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A result both ways: `json` for `--format json`, `text` (lines, no trailing newline) else. */
export interface Printable {
  readonly json: unknown;
  readonly text: string;
}

/** Writes a result to stdout in the chosen format. */
export function print(format: OutputFormat, result: Printable): void {
  const body = format === 'json' ? JSON.stringify(result.json, null, 2) : result.text;
  if (body.length > 0) process.stdout.write(`${body}\n`);
}

/** Aligns rows under upper-case headers, two spaces apart; `(none)` when there are no rows. */
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
