/**
 * One relayed session: checks the user's grant at JIMM, finds the controller hosting the
 * model, mints a relay token naming the user's key, opens the target's channel on the
 * controller and relays the still-encrypted inner SSH connection until either side ends it.
 */
import { JujuSshError, type Target } from '@juju-ssh/core';
import type { Logger } from 'pino';
import type { AcceptConnection, ServerChannel } from 'ssh2';
import { openControllerHop } from './controller-hop.js';
import { relayChannels } from './relay-pipe.js';
import type { TunnelServices } from './services.js';
import type { TunnelUser } from './tunnel-connection.js';

/** Everything about one forwarded channel a user asked JIMM for. */
export interface RelayRequest {
  readonly time: string;
  readonly connectionId: string;
  readonly sourceAddress: string;
  readonly sessionId: string;
  readonly user: TunnelUser;
  readonly target: Target;
  readonly targetName: string;
  readonly targetPort: number;
  readonly originAddress: string;
  readonly originPort: number;
  readonly accept: AcceptConnection<ServerChannel>;
  readonly logger: Logger;
  readonly services: TunnelServices;
}

/**
 * Authorizes and routes the channel, then relays it; resolves once the relay has started.
 * @throws JujuSshError saying why the target was refused or could not be reached.
 */
export async function relayTarget(request: RelayRequest): Promise<void> {
  const { services, user, target, logger } = request;
  const model = await services.policy.authorizeModel(user.name, target.modelUuid);
  const controller = await services.controllers.controllerForModel(model.uuid);
  if (controller === undefined) {
    throw new JujuSshError(
      'not-found',
      `JIMM knows model ${model.name} (${model.uuid}) but no controller hosting it; ask a ` +
        'JIMM administrator to place it on one',
    );
  }

  const minted = await services.tokens.mint({
    controllerId: controller.id,
    user: user.name,
    modelUuid: model.uuid,
    publicKey: user.publicKey,
  });
  const { limits } = services;
  const hop = await openControllerHop({
    controller,
    token: minted.token,
    targetName: request.targetName,
    targetPort: request.targetPort,
    originAddress: request.originAddress,
    originPort: request.originPort,
    connectTimeoutMs: limits.upstreamConnectTimeoutMs,
    keepaliveIntervalMs: limits.keepaliveIntervalMs,
    keepaliveCountMax: limits.keepaliveCountMax,
  });
  hop.client.on('error', (error) => logger.info({ err: error.message }, 'controller hop error'));

  const fields = {
    sessionId: request.sessionId,
    user: user.name,
    targetName: request.targetName,
    modelUuid: model.uuid,
    modelName: model.name,
    controllerId: controller.id,
    tokenId: minted.tokenId,
  };
  const base = () => ({
    time: new Date().toISOString(),
    connectionId: request.connectionId,
    sourceAddress: request.sourceAddress,
  });
  const channel = request.accept();
  channel.on('error', (error: Error) => logger.debug({ err: error.message }, 'channel error'));
  hop.channel.on('error', (error: Error) => logger.debug({ err: error.message }, 'hop error'));
  services.audit.record({ ...base(), ...fields, event: 'relay-started' });
  logger.info({ controllerId: controller.id }, 'relay started');

  const startedAt = Date.now();
  const { relayTap } = services;
  relayChannels(channel, hop.channel, {
    ...(relayTap === undefined
      ? {}
      : { onChunk: (direction, chunk) => relayTap(request.sessionId, direction, chunk) }),
    onClosed: (counters) => {
      hop.client.end();
      const durationMs = Date.now() - startedAt;
      services.audit.record({
        ...base(),
        ...fields,
        event: 'relay-ended',
        durationMs,
        bytesFromClient: counters.toController,
        bytesToClient: counters.toClient,
        endReason: 'closed',
      });
      logger.info({ durationMs, ...counters }, 'relay ended');
    },
  });
}
