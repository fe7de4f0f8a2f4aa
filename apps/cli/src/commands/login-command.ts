/**
 * `login`: pins the controller's certificate by the fingerprint its operator gave, then
 * exchanges a one-time registration string (or, for admins, checks an API credential) and
 * keeps the credential in controllers.yaml, mode 0600. A wrong fingerprint saves nothing.
 */
import { hostname } from 'node:os';
import { OUTPUT_FORMATS, print } from '@juju-ssh/command-output';
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import { isCertificateFingerprint } from '@juju-ssh/http-api/certificates';
import type { ControllerView, LoginResponse, UserView } from '@juju-ssh/http-api/protocol';
import { type Command, Option } from 'commander';
import { ApiClient } from '../api/api-client.js';
import { probeCertificates } from '../api/certificate-probe.js';
import type { CliContext } from '../config/cli-context.js';
import { readControllersFile, writeControllersFile } from '../config/controllers-file.js';
import { formatOf } from './format-option.js';

interface LoginOptions {
  readonly fingerprint: string;
  readonly token?: string;
  readonly name?: string;
}

const CONTROLLER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Adds `login`. */
export function addLoginCommand(program: Command, context: CliContext): void {
  program
    .command('login <url> [registration]')
    .description('log in to a controller API, pinning its certificate by fingerprint')
    .requiredOption('--fingerprint <SHA256:…>', 'the certificate fingerprint you were given')
    .option('--token <credential>', 'log in with an API credential (juju-ssh-controller api-token)')
    .option('--name <name>', 'what to call the controller here (default: its controller id)')
    .addOption(
      new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'),
    )
    .action(
      async (
        url: string,
        registration: string | undefined,
        options: LoginOptions,
        command: Command,
      ) => {
        const base = apiUrl(url);
        if (!isCertificateFingerprint(options.fingerprint)) {
          throw new JujuSshError(
            'invalid-argument',
            `bad fingerprint ${quoteUntrusted(options.fingerprint)}: expected SHA256: and 43 ` +
              'base64 characters, as the controller printed it',
          );
        }
        if ((registration === undefined) === (options.token === undefined)) {
          throw new JujuSshError(
            'invalid-argument',
            'give either the registration string add-user printed, or --token CREDENTIAL',
          );
        }

        const certificate = await pinnedCertificate(base, options.fingerprint);
        const { user, credential, controller } =
          registration === undefined
            ? await checkToken(base, certificate, options.token ?? '')
            : await redeem(base, certificate, registration);

        const name = options.name ?? controller.controllerId;
        if (!CONTROLLER_NAME.test(name)) {
          throw new JujuSshError('invalid-argument', `bad controller name ${quoteUntrusted(name)}`);
        }
        const file = readControllersFile(context.paths.controllersFile);
        writeControllersFile(context.paths.controllersFile, {
          current: name,
          controllers: {
            ...file.controllers,
            [name]: {
              url: base.origin,
              fingerprint: options.fingerprint,
              certificate,
              user,
              credential,
            },
          },
        });
        print(formatOf(command), {
          data: { controller: name, url: base.origin, user, sshPort: controller.sshPort },
          text:
            `logged in to controller ${name} as ${user} ` +
            `(certificate ${options.fingerprint} pinned)\n` +
            'next: juju-ssh list-models, then juju-ssh ssh -m MODEL app/0',
        });
      },
    );
}

function apiUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new JujuSshError(
      'invalid-argument',
      `bad URL ${quoteUntrusted(text)}: expected https://HOST:PORT`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new JujuSshError(
      'invalid-argument',
      `the controller API speaks only HTTPS; use https://${url.host || 'HOST:17070'}`,
    );
  }
  if (url.pathname !== '/' || url.search !== '' || url.username !== '') {
    throw new JujuSshError(
      'invalid-argument',
      `give the API's address only, as in https://${url.host}`,
    );
  }
  return url;
}

/** The PEM of the presented certificate whose fingerprint is `fingerprint`. */
async function pinnedCertificate(url: URL, fingerprint: string): Promise<string> {
  const chain = await probeCertificates(url);
  const match = chain.find((certificate) => certificate.fingerprint === fingerprint);
  if (match !== undefined) return match.pem;
  const shown = chain.map((c) => `${c.fingerprint} (${c.subject.replaceAll('\n', ', ')})`);
  throw new JujuSshError(
    'access-denied',
    `the server at ${url.origin} presented ${shown.join(', ') || 'no certificate'}, and none ` +
      `has the fingerprint ${fingerprint}; nothing was sent or saved. Check the fingerprint ` +
      'with the controller operator: someone may be in between',
  );
}

async function redeem(url: URL, certificate: string, registration: string): Promise<LoginResponse> {
  const api = new ApiClient({ url: url.origin, certificate });
  return api.call<LoginResponse>('POST', '/v1/login', {
    registration: registration.trim(),
    label: `juju-ssh on ${hostname()}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 100),
  });
}

async function checkToken(
  url: URL,
  certificate: string,
  credential: string,
): Promise<LoginResponse> {
  const api = new ApiClient({ url: url.origin, certificate, credential });
  const user = await api.get<UserView>('/v1/whoami');
  const controller = await api.get<ControllerView>('/v1/controller');
  return { user: user.name, credential, controller };
}
