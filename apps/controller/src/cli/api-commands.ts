/**
 * Access to the HTTPS API from the controller's host: a new registration string for a user, an
 * API credential made directly (for admins scripting against the API), and a new certificate.
 */
import { hostname } from 'node:os';
import { type Printable, print } from '@juju-ssh/command-output';
import { isJujuSshError } from '@juju-ssh/core';
import type { IssuedRegistration } from '@juju-ssh/http-api/access';
import type { Command } from 'commander';
import {
  apiCertificateHosts,
  createApiTls,
  loadApiCa,
  loadApiTls,
  writeApiTls,
} from '../api-tls-files.js';
import type { Controller } from '../composition-root.js';
import { addApiTlsOptions, apiTlsJson } from './api-tls-options.js';
import {
  dataDirOf,
  formatOf,
  settingsOf,
  withCommonOptions,
  withController,
} from './command-context.js';

const WILDCARD_HOSTS = ['0.0.0.0', '::'];

/** Adds `registration`, `api-token` and `issue-api-certificate`. */
export function addApiCommands(program: Command): void {
  withCommonOptions(program.command('registration <user>'))
    .description('print a new one-time registration string the user logs in with')
    .action((user: string, _options: unknown, command: Command) =>
      withController(command, async (controller) => {
        const issued = await controller.get('apiAccess').issueRegistration(user);
        print(formatOf(command), registrationOutput(controller, issued));
      }),
    );

  withCommonOptions(program.command('api-token <user>'))
    .description('print a new API credential for a user (log in with juju-ssh login --token)')
    .option('--label <text>', 'what the credential is for', 'api-token')
    .action((user: string, options: { label: string }, command: Command) =>
      withController(command, async (controller) => {
        const credential = await controller.get('apiAccess').issueCredential(user, options.label);
        print(formatOf(command), { data: { user, credential }, text: credential });
      }),
    );

  const issue = program
    .command('issue-api-certificate')
    .description("issue a new API server certificate from the controller's own CA, or install one");
  withCommonOptions(addApiTlsOptions(issue)).action(
    async (options: { apiCert?: string; apiKey?: string; apiSan: string[] }, command: Command) => {
      const paths = dataDirOf(command);
      const { settings } = settingsOf(command, paths);
      const material = await createApiTls({
        controllerId: settings['controller-id'],
        hosts: apiCertificateHosts(settings['api-address'], options.apiSan),
        certFile: options.apiCert,
        keyFile: options.apiKey,
        ca: loadApiCa(paths),
      });
      writeApiTls(paths, material);
      print(formatOf(command), {
        data: apiTlsJson(material),
        text:
          `wrote a new API certificate for ${material.summary.hosts.join(', ')}; users pin ` +
          `${material.summary.pinFingerprint}; restart run to serve it`,
      });
    },
  );
}

/** What add-user and registration print: the string and the login command that uses it. */
export function registrationOutput(controller: Controller, issued: IssuedRegistration): Printable {
  const fingerprint = pinFingerprint(controller);
  const url = apiUrl(controller);
  const login = `juju-ssh login ${url} --fingerprint ${fingerprint} ${issued.registration}`;
  return {
    data: {
      user: issued.user,
      registration: issued.registration,
      expiresAt: issued.expiresAt.toISOString(),
      fingerprint,
      loginCommand: login,
    },
    text: [
      `registration string for ${issued.user} (one use, until ${issued.expiresAt.toISOString()}):`,
      `  ${issued.registration}`,
      'the user logs in with:',
      `  ${login}`,
    ].join('\n'),
  };
}

/** The fingerprint users pin, or a note that there is no certificate to pin yet. */
function pinFingerprint(controller: Controller): string {
  try {
    return loadApiTls(controller.get('paths')).summary.pinFingerprint;
  } catch (error) {
    if (!isJujuSshError(error, 'config')) throw error;
    // The user exists either way; the certificate can be made afterwards.
    return '<fingerprint: run issue-api-certificate first>';
  }
}

/** The API's URL as users reach it: this host's name for a wildcard listener. */
function apiUrl(controller: Controller): string {
  const { host, port } = controller.get('settings')['api-address'];
  const shown = WILDCARD_HOSTS.includes(host) ? hostname() : host;
  const bracketed = shown.includes(':') ? `[${shown}]` : shown;
  return `https://${bracketed}:${port === 0 ? '<api-port>' : port}`;
}
