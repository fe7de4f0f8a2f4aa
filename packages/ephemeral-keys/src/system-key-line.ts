/**
 * The authorized_keys line that lets the controller's system identity key edit ephemeral key
 * lines on a machine and do nothing else: a forced POSIX sh script, inline, plus `restrict`.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is sh parameter expansion.
import { JujuSshError, parsePublicKeyLine, quoteUntrusted } from '@juju-ssh/core';
import {
  checkControllerId,
  EPHEMERAL_COMMENT_PREFIX,
  MAX_ID_LENGTH,
  SYSTEM_COMMENT_PREFIX,
} from './identifiers.js';

/** Where the system key line goes and which controller it names. */
export interface SystemKeyLineOptions {
  readonly controllerId: string;
  /** The file the forced command edits: relative to $HOME, or absolute. */
  readonly authorizedKeysFile?: string;
}

const DEFAULT_AUTHORIZED_KEYS = '.ssh/authorized_keys';
const SAFE_PATH = /^[A-Za-z0-9._/-]+$/;

/** Exit status of the forced command when it refuses a request. */
export const REFUSED_STATUS = 2;

/**
 * The one authorized_keys line a machine needs for the controller's system identity key.
 * @throws JujuSshError `invalid-key` or `invalid-argument` for a bad key, id or path.
 */
export function systemKeyLine(systemPublicLine: string, options: SystemKeyLineOptions): string {
  const key = parsePublicKeyLine(systemPublicLine);
  const script = forcedCommand(options);
  const data = key.blob.toString('base64');
  const comment = `${SYSTEM_COMMENT_PREFIX}:${options.controllerId}`;
  // Inside an authorized_keys option OpenSSH turns \" into " and keeps every other byte.
  const option = script.replaceAll('"', '\\"');
  return `command="exec /bin/sh -c '${option}'",restrict ${key.type} ${data} ${comment}`;
}

/**
 * The forced command: reads `add` (key line on stdin), `remove <session> [<session> …]` (ids
 * separated by single spaces) or `sweep` from $SSH_ORIGINAL_COMMAND and edits the file under a
 * lock (flock on its directory), replacing it
 * atomically (a temporary file beside it, then mv). Other lines are copied unchanged, except that
 * a last line without a newline gains one. The script is one line (authorized_keys has no
 * continuation lines) and holds no single quote (it is wrapped in one, so it runs under /bin/sh
 * whatever the login shell is).
 */
export function forcedCommand(options: SystemKeyLineOptions): string {
  const { controllerId } = options;
  checkControllerId(controllerId);
  const path = options.authorizedKeysFile ?? DEFAULT_AUTHORIZED_KEYS;
  if (!SAFE_PATH.test(path)) {
    throw new JujuSshError(
      'invalid-argument',
      `authorized_keys path ${quoteUntrusted(path)} may hold only A-Z, a-z, 0-9, ., _, / and -`,
    );
  }

  const expiry = '[0-9]{8}([0-9]{4}([0-9]{2})?)?Z?';
  const ed25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}';
  const comment = `${EPHEMERAL_COMMENT_PREFIX}:$c:`;
  const lines = [
    'umask 077;',
    'set -fu;',
    'LC_ALL=C;',
    'export LC_ALL;',
    `c=${controllerId};`,
    `f=${path};`,
    'case $f in /*) ;; *) f=$HOME/$f;; esac;',
    'd=${f%/*};',
    `p="expiry-time=\\"${expiry}\\" ${ed25519} ${comment}";`,
    `s="[A-Za-z0-9-]{1,${MAX_ID_LENGTH}}";`,
    `no() { echo "juju-ssh: refused: $1" >&2; exit ${REFUSED_STATUS}; };`,
    'die() { echo "juju-ssh: $1" >&2; exit 1; };',
    'one() { [ "$(printf "%s\\n" "$1" | grep -c "")" = 1 ]; };',
    // edit <ERE of lines to drop> <line to append, or empty>: prints how many it dropped.
    'edit() {',
    '[ -d "$d" ] || mkdir -p "$d" || die "cannot create $d";',
    'exec 9<"$d" || die "cannot open $d";',
    'flock -w 30 9 || die "timed out waiting for the lock on $d";',
    't=$(mktemp "$f.XXXXXX") || die "cannot create a temporary file beside $f";',
    'n=0;',
    'if [ -f "$f" ]; then',
    'n=$(grep -c -x -E "$1" "$f");',
    'grep -v -x -E "$1" "$f" >"$t";',
    '[ $? -le 1 ] || { rm -f "$t"; die "cannot read $f"; };',
    'fi;',
    'if [ -n "$2" ]; then printf "%s\\n" "$2" >>"$t"',
    '|| { rm -f "$t"; die "cannot write $t"; }; fi;',
    'chmod 600 "$t" && mv -f "$t" "$f" || { rm -f "$t"; die "cannot replace $f"; };',
    'echo "$n";',
    '};',
    'o=${SSH_ORIGINAL_COMMAND:-};',
    'case $o in',
    'add) l=$(head -c 1024);',
    'one "$l" && printf "%s\\n" "$l" | grep -q -x -E "$p$s"',
    '|| no "the input is not one ephemeral key line of controller $c";',
    'edit "$p${l##*:}" "$l";;',
    '"remove "*) i=${o#remove };',
    'one "$i" && printf "%s\\n" "$i" | grep -q -x -E "$s( $s)*" || no "bad session id";',
    'edit "$p($(printf "%s" "$i" | tr " " "|"))" "";;',
    'sweep) edit "$p$s" "";;',
    '*) no "this key may only add, remove or sweep ephemeral keys";;',
    'esac',
  ];
  return lines.join(' ');
}
