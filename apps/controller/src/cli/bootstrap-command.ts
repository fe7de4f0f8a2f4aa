/**
 * `bootstrap`: makes a new data directory with a controller id, listen address, empty store,
 * audit file and fresh secrets (or the operator's own jump host key).
 */
import { randomBytes } from 'node:crypto';
import { print } from '@juju-ssh/command-output';
import { formatHostPort } from '@juju-ssh/core';
import type { Command } from 'commander';
import { apiCertificateHosts, createApiTls } from '../api-tls-files.js';
import { bootstrapDataDir } from '../bootstrap.js';
import { loadSettings } from '../config/load-settings.js';
import { installJimmJwks, readJimmJwks } from '../jimm-trust.js';
import { addApiTlsOptions, apiTlsJson } from './api-tls-options.js';
import { dataDirOf, formatOf, withCommonOptions } from './command-context.js';
import { addSettingFlags, settingFlags } from './setting-flags.js';

interface BootstrapOptionValues {
  readonly jumpHostKey?: string;
  readonly jimmJwks?: string;
  readonly apiCert?: string;
  readonly apiKey?: string;
  readonly apiSan: string[];
}

/** Adds the `bootstrap` command. */
export function addBootstrapCommand(program: Command): void {
  const command = program
    .command('bootstrap')
    .description('create the data directory (mode 0700), its settings and its secrets')
    .option('--jump-host-key <file>', 'use this OpenSSH private key as the jump host key')
    .option('--jimm-jwks <file>', 'trust the JIMM whose public JWKS this is (see trust-jimm)');
  addApiTlsOptions(command);
  addSettingFlags(command, ['ssh-address', 'controller-id']);
  withCommonOptions(command).action((_options: unknown, self: Command) => bootstrap(self));
}

async function bootstrap(command: Command): Promise<void> {
  const paths = dataDirOf(command);
  const { settings } = loadSettings({
    flags: settingFlags(command),
    env: process.env,
    defaults: { 'controller-id': `controller-${randomBytes(4).toString('hex')}` },
  });
  const options = command.opts<BootstrapOptionValues>();
  // Checked before anything is made, so a bad file leaves no half-trusting controller.
  const jimmJwks = options.jimmJwks === undefined ? undefined : readJimmJwks(options.jimmJwks);
  const apiTls = await createApiTls({
    controllerId: settings['controller-id'],
    hosts: apiCertificateHosts(settings['api-address'], options.apiSan),
    certFile: options.apiCert,
    keyFile: options.apiKey,
  });
  const { secrets } = bootstrapDataDir(paths.root, {
    settings,
    jumpHostKeyFile: options.jumpHostKey,
    apiTls,
  });
  if (jimmJwks !== undefined) installJimmJwks(paths, jimmJwks);

  const controllerId = settings['controller-id'];
  const sshAddress = formatHostPort(settings['ssh-address']);
  const jumpHostKey = secrets.jumpHostKey;
  print(formatOf(command), {
    data: {
      dataDir: paths.root,
      controllerId,
      sshAddress,
      jumpHostKey: { publicLine: jumpHostKey.publicLine, fingerprint: jumpHostKey.fingerprint },
      jimmKeyIds: jimmJwks?.keyIds ?? [],
      api: apiTlsJson(apiTls),
    },
    text: [
      `bootstrapped controller ${controllerId} in ${paths.root}`,
      `ssh address:   ${sshAddress}`,
      `jump host key: ${jumpHostKey.fingerprint}`,
      ...(jimmJwks === undefined ? [] : [`trusts JIMM:  ${jimmJwks.keyIds.join(', ')}`]),
      `api certificate fingerprint (users pin it): ${apiTls.summary.pinFingerprint}`,
      'next: add users, models and machines, install the line `system-key` prints on each',
      'machine, then start the controller with `run`',
    ].join('\n'),
  });
}
