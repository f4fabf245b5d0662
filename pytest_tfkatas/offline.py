"""The offline switch: during a check, connections and host lookups for other machines fail at
once, the Hub's offline switches are on, and ``os._exit()`` in pytest's own process raises instead
of ending the run unreported. A plugin object of its own, installed from a check's set-up to the
end of its teardown (also where watch mode runs checks itself)."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from collections.abc import Callable, Generator
from typing import Any, NoReturn

import pytest

from pytest_tfkatas.harness import OFFLINE_MARK, ExitCalled

__all__ = ["NetworkBlockedError", "NetworkLookupBlockedError", "OfflineSwitch"]


class NetworkBlockedError(ConnectionRefusedError):
    """A connection to another machine, refused during a kata run."""


class NetworkLookupBlockedError(socket.gaierror):
    """A host name lookup (DNS), refused during a kata run."""


class OfflineSwitch:
    def __init__(self) -> None:
        self._offline = _Offline()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        _hub_offline()
        self._offline.install()
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        try:
            return (yield)
        finally:
            self._offline.uninstall()

    def pytest_unconfigure(self) -> None:
        self._offline.uninstall()


def _hub_offline() -> None:
    """The Hub's offline switches on again, in case code of an earlier check turned them off.

    With them off, huggingface_hub retries a failed download for ~23 s a file (1+2+4+8+8 s of
    backoff) even though every connection is refused at once."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        constants.HF_HUB_OFFLINE = True


def _is_local_host(host: object) -> bool:
    if host is None or host in ("", b""):
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%")[0].lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _offline_text(what: str) -> str:
    return (
        f"{OFFLINE_MARK}: {what} was blocked. The checks never need the network: use the model, "
        "tokenizer or folder the check passes in."
    )


class _Offline:
    """Python-level connections and host lookups for other machines fail at once during checks.

    Loopback and unix sockets stay allowed (torch.distributed's gloo, a local test server).
    """

    def __init__(self) -> None:
        self.installed = False
        self._saved: dict[tuple[object, str], object] = {}

    def install(self) -> None:
        if self.installed:
            return
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex
        real_getaddrinfo = socket.getaddrinfo
        real_gethostbyname = socket.gethostbyname
        real_gethostbyname_ex = socket.gethostbyname_ex
        own_name = socket.gethostname().lower()

        def refuse_remote(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
                host = address[0]
                if not _is_local_host(host):
                    raise NetworkBlockedError(_offline_text(f"the connection to {host}:{address[1]}"))

        def connect(sock: socket.socket, address: Any) -> None:
            refuse_remote(sock, address)
            return real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            refuse_remote(sock, address)
            return real_connect_ex(sock, address)

        def refuse_lookup(host: Any) -> None:
            if not _is_local_host(host) and str(host).lower() != own_name:
                raise NetworkLookupBlockedError(socket.EAI_NONAME, _offline_text(f"looking up {host!r}"))

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            refuse_lookup(host)
            return real_getaddrinfo(host, *args, **kwargs)

        def gethostbyname(host: str) -> str:
            refuse_lookup(host)
            return real_gethostbyname(host)

        def gethostbyname_ex(host: str) -> Any:
            refuse_lookup(host)
            return real_gethostbyname_ex(host)

        self._patch(socket.socket, "connect", connect)
        self._patch(socket.socket, "connect_ex", connect_ex)
        self._patch(socket, "getaddrinfo", getaddrinfo)
        self._patch(socket, "gethostbyname", gethostbyname)
        self._patch(socket, "gethostbyname_ex", gethostbyname_ex)
        self._patch(os, "_exit", _exit_guard(os.getpid(), os._exit))
        self.installed = True

    def _patch(self, owner: object, name: str, value: Callable[..., Any]) -> None:
        self._saved[(owner, name)] = vars(owner).get(name, _MISSING)
        setattr(owner, name, value)

    def uninstall(self) -> None:
        if not self.installed:
            return
        for (owner, name), value in self._saved.items():
            if value is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, value)
        self._saved.clear()
        self.installed = False


_MISSING = object()


def _exit_guard(pid: int, real_exit: Callable[[int], NoReturn]) -> Callable[[int], NoReturn]:
    """os._exit for a check: in pytest's own process it raises instead of ending the run unreported
    (progress unsaved); in a child process (fork) it exits as always."""

    def _exit(status: int) -> NoReturn:
        if os.getpid() != pid:
            real_exit(status)
        raise ExitCalled(status)

    return _exit
