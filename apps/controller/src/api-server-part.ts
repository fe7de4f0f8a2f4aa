/**
 * How the controller's HTTPS API is put together from its other parts: the store, the access
 * policy, the host keys, the system key line and the certificate in secrets/.
 */
import type { AccessPolicy } from '@juju-ssh/authz';
import { systemKeyLine } from '@juju-ssh/ephemeral-keys';
import type { HostKey, VirtualHostKeys } from '@juju-ssh/host-keys';
import { ApiServer } from '@juju-ssh/http-api';
import type { ApiAccess } from '@juju-ssh/http-api/access';
import type { SqliteStore } from '@juju-ssh/state';
import type { Logger } from 'pino';
import { loadApiTls } from './api-tls-files.js';
import type { Settings } from './config/settings.js';
import type { DataDirPaths } from './data-dir.js';

/** The parts the API is made of. */
export interface ApiServerParts {
  readonly settings: Settings;
  readonly paths: DataDirPaths;
  readonly logger: Logger;
  readonly store: SqliteStore;
  readonly accessPolicy: AccessPolicy;
  readonly apiAccess: ApiAccess;
  readonly jumpHostKey: HostKey;
  readonly systemKey: HostKey;
  readonly virtualHostKeys: VirtualHostKeys;
}

/** The API server, telling users the SSH jump server is on the port `sshPort` gives. */
export function createApiServer(parts: ApiServerParts, sshPort: () => number): ApiServer {
  const controllerId = parts.settings['controller-id'];
  return new ApiServer({
    tls: loadApiTls(parts.paths).server,
    logger: parts.logger.child({ component: 'api' }),
    services: {
      store: parts.store,
      policy: parts.accessPolicy,
      access: parts.apiAccess,
      controllerId,
      jumpHostKey: parts.jumpHostKey,
      virtualHostKey: (identity) => parts.virtualHostKeys.forIdentity(identity),
      sshPort,
      systemKeyLine: (authorizedKeysFile) =>
        systemKeyLine(parts.systemKey.publicLine, { controllerId, authorizedKeysFile }),
    },
  });
}
