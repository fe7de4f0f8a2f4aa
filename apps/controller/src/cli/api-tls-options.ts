/**
 * The flags that choose the HTTPS API's certificate (`--api-cert`, `--api-key`, `--api-san`),
 * shared by bootstrap and issue-api-certificate, and how the result is reported.
 */
import type { Command } from 'commander';
import type { ApiTlsMaterial } from '../api-tls-files.js';

/** Adds the certificate flags to `command`. */
export function addApiTlsOptions(command: Command): Command {
  return command
    .option('--api-cert <file>', "the API's certificate chain, PEM, server certificate first")
    .option('--api-key <file>', "the API certificate's unencrypted private key, PEM")
    .option(
      '--api-san <name>',
      'another host name or IP address users reach the API at (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    );
}

/** The certificate as JSON output shows it. */
export function apiTlsJson(material: ApiTlsMaterial): Record<string, unknown> {
  return {
    pinFingerprint: material.summary.pinFingerprint,
    serverFingerprint: material.summary.serverFingerprint,
    hosts: material.summary.hosts,
    validTo: material.summary.validTo.toISOString(),
    ownCa: material.ca !== undefined,
  };
}
