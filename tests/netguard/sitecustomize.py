"""Network guard for the test suite: refuse connections to anything but this machine.

The tests put this folder on PYTHONPATH, so Python loads it at start-up in every process
they launch — the pytest workers, nbgrader, and every notebook kernel. Any attempt to
connect (TCP/UDP) to a non-loopback address, or to resolve a remote host name, raises
``NetworkBlocked`` and is appended to the file named by ``CREATIVE_AI_NETLOG``, so the suite
fails even if the code under test swallows the exception.
"""

import ipaddress
import os
import socket
import traceback

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "", None}


class NetworkBlocked(RuntimeError):
    """Raised when code under test tries to reach the network."""


def _is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL_NAMES or host == socket.gethostname():
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _record(what: str) -> None:
    log = os.environ.get("CREATIVE_AI_NETLOG")
    if log:
        stack = "".join(traceback.format_stack(limit=12)[:-2])
        with open(log, "a") as handle:
            handle.write(f"{what} (pid {os.getpid()})\n{stack}\n")
    raise NetworkBlocked(f"the test suite forbids network access: {what}")


def _check_address(address) -> None:
    if isinstance(address, tuple) and address and not _is_loopback(address[0]):
        _record(f"connection to {address[0]}:{address[1] if len(address) > 1 else ''}")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_sendto = socket.socket.sendto
_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _connect_ex(self, address)


def _guarded_sendto(self, data, *args):
    if self.family in (socket.AF_INET, socket.AF_INET6) and args:
        _check_address(args[-1])
    return _sendto(self, data, *args)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host):
        _record(f"name lookup of {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


def install() -> None:
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.socket.sendto = _guarded_sendto
    socket.getaddrinfo = _guarded_getaddrinfo


if os.environ.get("CREATIVE_AI_NETGUARD") == "1":
    install()
