/**
 * What JIMM knows about a controller it relays to: its id (the audience of its tokens), where
 * its SSH server listens, and the jump host key it must present. Plain data.
 */

/** A controller in JIMM's registry. */
export interface ControllerRecord {
  /** The controller's id, as its controller.yaml names it. */
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** The controller's jump host key as an OpenSSH public line (`type base64`). */
  readonly jumpHostKey: string;
}

/** Where a model lives: the controller hosting it. */
export interface ModelPlacement {
  readonly modelUuid: string;
  readonly controllerId: string;
}
