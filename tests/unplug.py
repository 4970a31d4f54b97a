"""A TCP proxy in front of PostgreSQL that a test can unplug and plug back: the database
"stopped" (every connection cut, new ones refused) and "started" again, without touching the
shared server."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator


class Unplug:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self.plugged = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self.plugged:
                client.close()  # the database is "down": the connection is refused at once
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def unplug(self) -> None:
        """Every open connection is cut and new ones are refused (the server "stopped")."""
        self.plugged = False
        with self._lock:
            for s in self._open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._open.clear()

    def plug(self) -> None:
        self.plugged = True

    def close(self) -> None:
        self.unplug()
        self._listener.close()


@contextlib.contextmanager
def unplug_proxy(host: str, port: int) -> Iterator[Unplug]:
    proxy = Unplug((host, port))
    try:
        yield proxy
    finally:
        proxy.close()
