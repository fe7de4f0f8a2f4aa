/**
 * What the juju-ssh commands print: an aligned table or plain lines for people, or one JSON or
 * YAML document for scripts, chosen with `--format`.
 */
import { stringify } from 'yaml';

/** The output formats `--format` accepts. */
export const OUTPUT_FORMATS = ['text', 'json', 'yaml'] as const;

/** An output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The format a `--format` value names; `text` when it names none. */
export function outputFormatOf(value: unknown): OutputFormat {
  return OUTPUT_FORMATS.find((format) => format === value) ?? 'text';
}

/** A result both ways: `data` for json and yaml, `text` (no trailing newline) for people. */
export interface Printable {
  readonly data: unknown;
  readonly text: string;
}

/** Writes a result to stdout in `format`. */
export function print(format: OutputFormat, result: Printable): void {
  let body: string;
  if (format === 'json') body = JSON.stringify(result.data, null, 2);
  else if (format === 'yaml') body = stringify(result.data).trimEnd();
  else body = result.text;
  if (body.length > 0) process.stdout.write(`${body}\n`);
}

/** Aligns rows under upper-case headers, two spaces apart; `(none)` for no rows. */
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

/** `yes` or `no`. */
export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
