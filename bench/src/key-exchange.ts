/**
 * Which key exchange and cipher each hop negotiated. The OpenSSH client reports its hops with
 * `-v` (with -J the jump ssh inherits the flag); the controller's upstream hop is shown by an
 * ssh2 client, the library the controller uses, negotiating with the target sshd.
 */
import type { NegotiatedAlgorithms } from 'ssh2';
import ssh2 from 'ssh2';
import type { AccessPath, PathName } from './access-paths.js';
import type { Lab } from './lab.js';
import { killGroup, spawnClient } from './ssh-process.js';

/** One SSH hop's negotiated algorithms. */
export interface HopAlgorithms {
  readonly kex: string;
  readonly cipher: string;
}

/** The hops of every path, first hop first, and the controller's upstream hop. */
export interface KeyExchangeReport {
  readonly clientHops: Record<PathName, readonly HopAlgorithms[]>;
  /** Controller to target, as ssh2 with its default algorithm lists negotiates it. */
  readonly upstream: HopAlgorithms | null;
  readonly note: string;
}

const PROBE_TIMEOUT_MS = 30_000;

/** Probes every path once. */
export async function probeKeyExchange(lab: Lab): Promise<KeyExchangeReport> {
  const hops = async (path: AccessPath) =>
    [path.name, parseVerbose(await verboseRun(path))] as const;
  const found = new Map(await Promise.all(lab.paths.map(hops)));
  return {
    clientHops: {
      direct: found.get('direct') ?? [],
      'jump-host': found.get('jump-host') ?? [],
      proxy: found.get('proxy') ?? [],
    },
    upstream: await probeUpstream(lab.target.port),
    note:
      'with -J the jump hop is listed first. ssh2 offers no post-quantum key exchange, so ' +
      'every hop the controller terminates uses curve25519, while direct OpenSSH pays for ' +
      'sntrup761x25519. The controller prefers AES-GCM on the hops it serves, but the ' +
      "client's preference decides, and OpenSSH prefers chacha20-poly1305.",
  };
}

function verboseRun(path: AccessPath): Promise<string> {
  return new Promise((resolve) => {
    const child = spawnClient('ssh', path.ssh('true', ['-v']), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => killGroup(child.pid), PROBE_TIMEOUT_MS);
    child.once('close', () => {
      clearTimeout(timer);
      resolve(stderr);
    });
  });
}

/** `kex: algorithm:` and `kex: client->server cipher:` lines, in the order printed. */
export function parseVerbose(stderr: string): HopAlgorithms[] {
  const hops: HopAlgorithms[] = [];
  let kex: string | undefined;
  for (const line of stderr.split('\n')) {
    const algorithm = /kex: algorithm: (\S+)/.exec(line);
    if (algorithm) kex = algorithm[1];
    const cipher = /kex: client->server cipher: (\S+)/.exec(line);
    if (cipher && kex !== undefined) {
      hops.push({ kex, cipher: cipher[1] ?? '' });
      kex = undefined;
    }
  }
  return hops;
}

/** Negotiates with the target sshd up to the end of the key exchange, then hangs up. */
function probeUpstream(port: number): Promise<HopAlgorithms | null> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    const timer = setTimeout(() => finish(null), PROBE_TIMEOUT_MS);
    const finish = (found: HopAlgorithms | null) => {
      clearTimeout(timer);
      client.end();
      resolve(found);
    };
    client.on('error', () => finish(null));
    client.once('handshake', (negotiated: NegotiatedAlgorithms) =>
      finish({ kex: negotiated.kex, cipher: negotiated.cs.cipher }),
    );
    client.connect({ host: '127.0.0.1', port, username: 'probe', readyTimeout: PROBE_TIMEOUT_MS });
  });
}
