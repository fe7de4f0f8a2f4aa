"""A Paramiko client for tests, going through the jump host the way ProxyJump does: a
direct-tcpip channel on the jump host's transport, and a second transport over that channel.
Both hops check their host key against a known_hosts file; nothing is added on first use.

usage: paramiko-client.py CONFIG.json ACTION [ARGS...]
  exec COMMAND        run COMMAND; print its output; exit with its status, or print
                      "exit-signal NAME" on stderr and exit 250 when a signal ended it
  put LOCAL REMOTE    upload over SFTP
  get REMOTE LOCAL    download over SFTP
  probe-requests      send requests that want a reply; print which were answered (JSON)
"""
import json
import sys
import threading

import paramiko
from paramiko.common import MSG_CHANNEL_REQUEST, cMSG_CHANNEL_REQUEST
from paramiko.message import Message


def verified_transport(sock, host_name, known_hosts):
    transport = paramiko.Transport(sock)
    transport.start_client(timeout=20)
    key = transport.get_remote_server_key()
    if not known_hosts.check(host_name, key):
        transport.close()
        raise SystemExit(f"host key of {host_name} is not the known one")
    return transport


def connect(config):
    known_hosts = paramiko.HostKeys(config["known_hosts"])
    key = paramiko.Ed25519Key.from_private_key_file(config["key"])
    jump = verified_transport(
        (config["jump_host"], config["jump_port"]),
        f"[{config['jump_host']}]:{config['jump_port']}",
        known_hosts,
    )
    jump.auth_publickey(config["jump_user"], key)
    channel = jump.open_channel("direct-tcpip", (config["target"], 22), ("127.0.0.1", 0))
    inner = verified_transport(channel, config["target"], known_hosts)
    inner.auth_publickey(config["login"], key)
    return jump, inner


def run(inner, command):
    channel = inner.open_session()
    channel.exec_command(command)
    channel.shutdown_write()
    output = b""
    while True:
        data = channel.recv(65536)
        if not data:
            break
        output += data
    status = channel.recv_exit_status()
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    if status == -1:
        sys.stderr.write(f"exit-signal {getattr(channel, 'juju_exit_signal', '?')}\n")
        return 250
    return status


def record_exit_signal():
    """Paramiko ignores exit-signal; note its name on the channel before Paramiko sees it."""
    table = paramiko.Transport._channel_handler_table
    original = table[MSG_CHANNEL_REQUEST]

    def handle(channel, m):
        start = m.packet.tell()
        if m.get_text() == "exit-signal":
            m.get_boolean()
            channel.juju_exit_signal = m.get_text()
        m.packet.seek(start)
        return original(channel, m)

    table[MSG_CHANNEL_REQUEST] = handle


def answered(channel, name):
    """Sends channel request NAME with want-reply and reports whether any reply came."""
    channel.event.clear()
    message = Message()
    message.add_byte(cMSG_CHANNEL_REQUEST)
    message.add_int(channel.remote_chanid)
    message.add_string(name)
    message.add_boolean(True)
    channel.transport._send_user_message(message)
    return channel.event.wait(10) or channel.closed


def probe_requests(inner):
    results = {}
    before = inner.open_session()
    results["channel request before the command"] = answered(before, "juju-test@example.com")
    started = inner.open_session()
    started.exec_command("sleep 3")
    results["channel request after the command started"] = answered(
        started, "juju-test@example.com"
    )
    reply = threading.Event()
    # Paramiko waits for the reply when wait=True and returns None on failure or timeout.
    outcome = {}

    def ask():
        outcome["reply"] = inner.global_request("keepalive@openssh.com", wait=True)
        reply.set()

    threading.Thread(target=ask, daemon=True).start()
    results["global keepalive request"] = reply.wait(10) and inner.is_active()
    print(json.dumps(results))
    return 0


def main():
    config = json.load(open(sys.argv[1]))
    action = sys.argv[2]
    record_exit_signal()
    jump, inner = connect(config)
    try:
        if action == "exec":
            return run(inner, sys.argv[3])
        if action in ("put", "get"):
            sftp = paramiko.SFTPClient.from_transport(inner)
            (sftp.put if action == "put" else sftp.get)(sys.argv[3], sys.argv[4])
            sftp.close()
            return 0
        if action == "probe-requests":
            return probe_requests(inner)
        raise SystemExit(f"unknown action {action}")
    finally:
        inner.close()
        jump.close()


if __name__ == "__main__":
    sys.exit(main())
