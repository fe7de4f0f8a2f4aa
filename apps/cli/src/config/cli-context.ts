/**
 * What every command starts from: the configuration directory, the controller it talks to
 * (`--controller`, else JUJU_SSH_CONTROLLER, else the one logged in to last) and the model
 * (`-m`, else JUJU_SSH_MODEL). Refusals say which command sets the missing piece.
 */
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import { ApiClient } from '../api/api-client.js';
import { type ConfigPaths, configDir, configPaths } from './config-dir.js';
import { type ControllerEntry, readControllersFile } from './controllers-file.js';

/** A controller the user has logged in to, and a client for its API. */
export interface ControllerSession {
  readonly name: string;
  readonly entry: ControllerEntry;
  readonly api: ApiClient;
}

/** The environment variables that stand in for `--controller` and `-m`. */
export const CONTROLLER_ENV = 'JUJU_SSH_CONTROLLER';
export const MODEL_ENV = 'JUJU_SSH_MODEL';

/** The CLI's view of its configuration and environment. */
export class CliContext {
  readonly paths: ConfigPaths;

  constructor(readonly env: Readonly<Record<string, string | undefined>> = process.env) {
    this.paths = configPaths(configDir(env));
  }

  /**
   * The controller to talk to.
   * @throws JujuSshError `config` when there is none, naming `juju-ssh login`.
   */
  controller(flag?: string): ControllerSession {
    const file = readControllersFile(this.paths.controllersFile);
    const name = nonEmpty(flag) ?? nonEmpty(this.env[CONTROLLER_ENV]) ?? file.current;
    const known = Object.keys(file.controllers);
    if (name === undefined) {
      throw new JujuSshError(
        'config',
        'not logged in to any controller; log in with: juju-ssh login https://HOST:17070 ' +
          '--fingerprint SHA256:… REGISTRATION',
      );
    }
    const entry = file.controllers[name];
    if (entry === undefined) {
      const list = known.length === 0 ? 'none yet' : known.join(', ');
      throw new JujuSshError(
        'config',
        `not logged in to a controller called ${quoteUntrusted(name)} (logged in to: ${list}); ` +
          'log in to it with juju-ssh login',
      );
    }
    const api = new ApiClient({
      url: entry.url,
      certificate: entry.certificate,
      credential: entry.credential,
    });
    return { name, entry, api };
  }

  /** The model named by `flag` or JUJU_SSH_MODEL, if any. */
  model(flag?: string): string | undefined {
    return nonEmpty(flag) ?? nonEmpty(this.env[MODEL_ENV]);
  }

  /**
   * The model a command needs.
   * @throws JujuSshError `invalid-argument` saying how to name one.
   */
  requireModel(flag?: string): string {
    const model = this.model(flag);
    if (model === undefined) {
      throw new JujuSshError(
        'invalid-argument',
        `name a model with -m MODEL or set ${MODEL_ENV}; juju-ssh list-models shows yours`,
      );
    }
    return model;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
