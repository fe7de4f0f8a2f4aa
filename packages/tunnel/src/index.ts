/** JIMM's tunnel: the SSH front door that relays users, unread, to the controller of a model. */
export { RELAY_USER } from './controller-hop.js';
export { type RelayCounters, type RelayHooks, relayChannels } from './relay-pipe.js';
export type {
  ControllerDirectory,
  RelayDirection,
  RelayTap,
  RelayTokenMinter,
  TunnelServerOptions,
} from './services.js';
export { TunnelServer } from './tunnel-server.js';
