#!/usr/bin/env python3
"""A slower network link in front of a registry, for bench/run.sh.

The benchmark's registry runs on loopback, where a fully cached build costs a fraction of a
second. A registry in a CI setup is across a network: every request waits a round trip and
every connection has a throughput ceiling. This relay models that link at the TCP level:

  - every chunk of bytes, in either direction, leaves no earlier than --delay-ms after it
    arrived (one-way latency; a request and its answer together cost twice that);
  - every connection carries at most --rate megabytes (10^6 bytes) per second in each
    direction (a token bucket per connection and direction);
  - with --shared-rate, all connections together carry at most that many megabytes per second
    in each direction (one pipe that parallel builds share); without it there is no ceiling
    above the per-connection one, as with downloads spread over many servers.

It also counts what it carries, per direction: all bytes, and the bodies of registry requests
(HTTP/1.1, read from the stream without changing it): blob downloads (GET /v2/<name>/blobs/<digest>),
blob uploads (PUT, PATCH or POST to /v2/<name>/blobs/uploads/...) and manifests either way. Its
list of blob requests names, for an upload, the digest that the request completing it gives
(?digest=...), so that a report can tell which blobs went up.
With --control PORT, a second port on 127.0.0.1 answers GET /counters with them as JSON, and
GET /counters?reset=1 answers the same and sets them to zero (one run of a benchmark between
two such requests).

Usage: link.py --listen PORT --target HOST:PORT [--delay-ms N] [--rate N] [--shared-rate N]
               [--control PORT]
It prints "listening" once the port is open, logs connection errors to standard error, and
runs until it is killed.
"""

import argparse
import asyncio
import collections
import json
import re
import sys
import time

CHUNK = 64 * 1024
QUEUED_CHUNKS = 64  # back-pressure: at most 4 MiB in flight per direction


class Bucket:
    """The time at which a pipe is free again, given the bytes already sent through it."""

    def __init__(self, bytes_per_second):
        self.rate = bytes_per_second
        self.free_at = 0.0

    def reserve(self, not_before, size):
        """Books size bytes no earlier than not_before; returns when they may start to leave."""
        if not self.rate:
            return not_before
        start = max(not_before, self.free_at)
        self.free_at = start + size / self.rate
        return start


def log(message):
    print(f"link: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- counting

BLOB = re.compile(r"^/v2/.+/blobs/(sha256:[0-9a-f]{64})$")
UPLOAD = re.compile(r"^/v2/.+/blobs/uploads/")
MANIFEST = re.compile(r"^/v2/.+/manifests/[^/]+$")
MAX_HEAD = 64 * 1024  # a header block longer than this is not HTTP/1.1 as we know it
MAX_LISTED = 500  # blob requests listed per reset, with their sizes


class Counters:
    """Bytes carried since the last reset: totals per direction and registry bodies by kind."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.since = time.time()
        self.bytes = {"up": 0, "down": 0}  # up: client to registry; down: registry to client
        self.bodies = collections.Counter()  # e.g. "down.blob", "up.upload", "down.manifest"
        self.requests = collections.Counter()  # e.g. "GET blob", "HEAD blob", "PATCH upload"
        # [method, digest or path, status, body bytes] of blob requests; an upload's entries add the
        # digest its request names (?digest=..., on the request that completes it) or "".
        self.blobs = []
        self.unparsed = 0  # connections whose HTTP could not be followed (their totals still count)

    def snapshot(self):
        return {
            "seconds": round(time.time() - self.since, 3),
            "bytes": dict(self.bytes),
            "bodies": dict(self.bodies),
            "requests": dict(self.requests),
            "blobs": self.blobs,
            "unparsed_connections": self.unparsed,
        }


COUNTERS = Counters()


UPLOAD_DIGEST = re.compile(r"[?&]digest=(sha256(?::|%3[Aa])[0-9a-f]{64})(?:&|$)")


def upload_digest(path):
    """The digest an upload request names (?digest=..., on the request that completes it), or ""."""
    match = UPLOAD_DIGEST.search(path)
    return match.group(1).replace("%3A", ":").replace("%3a", ":") if match else ""


def kind_of(path):
    path = path.split("?", 1)[0]
    if UPLOAD.match(path):
        return "upload"
    if BLOB.match(path):
        return "blob"
    if MANIFEST.match(path):
        return "manifest"
    return "other"


class HttpStream:
    """Follows one direction of an HTTP/1.1 connection and credits message bodies to COUNTERS.

    Requests (up) queue what they asked for; responses (down) take the oldest of them, so that a
    body is credited to the request it answers. Anything it cannot follow (an upgrade, a header
    block that makes no sense) stops the following for this connection, never the carrying."""

    def __init__(self, direction, asked):
        self.direction = direction
        self.asked = asked  # shared by both directions of a connection: deque of (method, path, kind)
        self.buffer = b""
        self.state = "head"
        self.left = 0  # body bytes still to come in "length" and "chunk" states
        self.current = None  # (method, path, kind, status) of the message whose body is passing
        self.body = 0
        self.broken = False

    def feed(self, data):
        if self.broken:
            return
        try:
            self._feed(data)
        except (ValueError, IndexError) as e:
            self.broken = True
            COUNTERS.unparsed += 1
            log(f"cannot follow HTTP ({self.direction}): {e}")

    def _feed(self, data):
        self.buffer += data
        while self.buffer or self.state == "done":
            if self.state == "head":
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    if len(self.buffer) > MAX_HEAD:
                        raise ValueError("no end of the header block")
                    return
                head, self.buffer = self.buffer[:end].decode("latin-1"), self.buffer[end + 4:]
                self._start(head)
            elif self.state == "length":
                taken = min(self.left, len(self.buffer))
                self._credit(taken)
                self.buffer, self.left = self.buffer[taken:], self.left - taken
                if not self.left:
                    self.state = "done"
            elif self.state == "chunk-size":
                end = self.buffer.find(b"\r\n")
                if end < 0:
                    if len(self.buffer) > MAX_HEAD:
                        raise ValueError("no chunk size line")
                    return
                size = int(self.buffer[:end].split(b";", 1)[0].strip() or b"x", 16)
                self.buffer = self.buffer[end + 2:]
                self.left, self.state = size, ("chunk" if size else "trailer")
            elif self.state == "chunk":
                taken = min(self.left, len(self.buffer))
                self._credit(taken)
                self.buffer, self.left = self.buffer[taken:], self.left - taken
                if not self.left:
                    self.state = "chunk-end"
            elif self.state == "chunk-end":
                if len(self.buffer) < 2:
                    return
                if self.buffer[:2] != b"\r\n":
                    raise ValueError("no CRLF after a chunk")
                self.buffer, self.state = self.buffer[2:], "chunk-size"
            elif self.state == "trailer":
                if self.buffer.startswith(b"\r\n"):
                    self.buffer, self.state = self.buffer[2:], "done"
                else:
                    end = self.buffer.find(b"\r\n\r\n")
                    if end < 0:
                        return
                    self.buffer, self.state = self.buffer[end + 4:], "done"
            elif self.state == "until-close":
                self._credit(len(self.buffer))
                self.buffer = b""
            elif self.state == "done":
                self._finish()
                self.state = "head"

    def _start(self, head):
        lines = head.split("\r\n")
        first = lines[0].split(" ")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        length = int(headers["content-length"]) if "content-length" in headers else None
        if self.direction == "up":
            method, path = first[0], first[1]
            if not first[2].startswith("HTTP/1."):
                raise ValueError(f"not an HTTP/1.x request: {lines[0]!r}")
            kind = kind_of(path)
            self.asked.append((method, path, kind))
            self.current = (method, path, kind, "")
            has_body = chunked or bool(length)
            until_close = False
        else:
            if not first[0].startswith("HTTP/1."):
                raise ValueError(f"not an HTTP/1.x response: {lines[0]!r}")
            status = int(first[1])
            if status == 101:
                raise ValueError("the connection switched protocols")
            if 100 <= status < 200:  # 100 Continue: the real answer follows
                self.current, self.state = None, "head"
                return
            method, path, kind = self.asked.popleft() if self.asked else ("?", "?", "other")
            self.current = (method, path, kind, status)
            has_body = method != "HEAD" and status not in (204, 304) and (chunked or length != 0)
            until_close = has_body and not chunked and length is None
        self.body = 0
        if not has_body:
            self.state = "done"
        elif chunked:
            self.state = "chunk-size"
        elif until_close:
            self.state = "until-close"
        else:
            self.state, self.left = "length", length

    def _credit(self, size):
        self.body += size
        kind = self.current[2]
        COUNTERS.bodies[f"{self.direction}.{kind}"] += size

    def _finish(self):
        if self.current is None:
            return
        method, path, kind, status = self.current
        if self.direction == "down":
            COUNTERS.requests[f"{method} {kind}"] += 1
            if kind in ("blob", "upload") and len(COUNTERS.blobs) < MAX_LISTED:
                match = BLOB.match(path.split("?", 1)[0])
                entry = [method, match.group(1) if match else path.split("?", 1)[0], status, self.body]
                COUNTERS.blobs.append(entry + [upload_digest(path)] if kind == "upload" else entry)
        elif kind == "upload" and len(COUNTERS.blobs) < MAX_LISTED and self.body:
            COUNTERS.blobs.append([method + " body", path.split("?", 1)[0], "", self.body, upload_digest(path)])
        self.current = None


async def carry(reader, writer, delay, own, shared, direction, stream):
    """Moves bytes from reader to writer with the link's latency and rates, then half-closes."""
    queue = asyncio.Queue(maxsize=QUEUED_CHUNKS)

    async def receive():
        while True:
            data = await reader.read(CHUNK)  # a reset raises: the caller aborts both sides
            await queue.put((time.monotonic() + delay, data))
            if not data:
                return

    receiving = asyncio.ensure_future(receive())
    try:
        while True:
            getting = asyncio.ensure_future(queue.get())
            if not receiving.done():
                await asyncio.wait({getting, receiving}, return_when=asyncio.FIRST_COMPLETED)
            if receiving.done() and not receiving.cancelled() and receiving.exception():
                getting.cancel()
                raise receiving.exception()
            # The reader is still at work or ended normally (its end-of-stream marker is queued).
            due, data = await getting
            if not data:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            # Both pipes are booked before the chunk leaves, so that it pays for its own time.
            start = shared.reserve(own.reserve(due, len(data)), len(data))
            wait = start - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            COUNTERS.bytes[direction] += len(data)
            stream.feed(data)
            writer.write(data)
            await writer.drain()
    finally:
        receiving.cancel()


async def serve(args):
    host, port = args.target.rsplit(":", 1)
    delay = args.delay_ms / 1000.0
    rate = args.rate * 1_000_000
    # A bucket without a rate books nothing: no shared ceiling unless one is asked for.
    shared_up, shared_down = Bucket(args.shared_rate * 1_000_000), Bucket(args.shared_rate * 1_000_000)

    async def connection(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(host, int(port))
        except OSError as e:
            log(f"cannot reach {args.target}: {e}")
            client_writer.transport.abort()
            return
        asked = collections.deque()
        directions = [
            asyncio.ensure_future(
                carry(client_reader, server_writer, delay, Bucket(rate), shared_up, "up", HttpStream("up", asked))),
            asyncio.ensure_future(
                carry(server_reader, client_writer, delay, Bucket(rate), shared_down, "down", HttpStream("down", asked))),
        ]
        try:
            pending = set(directions)
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
                failed = [task for task in done if not task.cancelled() and task.exception()]
                if failed:
                    # One side broke off: the other must see a broken connection, not a clean end.
                    log(f"connection dropped: {failed[0].exception()!r}")
                    for task in pending:
                        task.cancel()
                    for writer in (client_writer, server_writer):
                        writer.transport.abort()
                    return
        finally:
            for writer in (client_writer, server_writer):
                writer.close()
                try:
                    await writer.wait_closed()
                except (ConnectionError, OSError):
                    pass

    server = await asyncio.start_server(connection, "127.0.0.1", args.listen, reuse_address=True)
    if args.control:
        await asyncio.start_server(control, "127.0.0.1", args.control, reuse_address=True)
    print("listening", flush=True)
    async with server:
        await server.serve_forever()


async def control(reader, writer):
    """GET /counters: the counters as JSON; GET /counters?reset=1: the same, then zero."""
    try:
        request = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n", 1)[0].split(" ")
        if len(request) == 3 and request[0] == "GET" and request[1] in ("/counters", "/counters?reset=1"):
            body, status = json.dumps(COUNTERS.snapshot()).encode(), "200 OK"
            if request[1].endswith("reset=1"):
                COUNTERS.reset()
        else:
            body, status = b"GET /counters or /counters?reset=1\n", "404 Not Found"
        writer.write(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                     "Connection: close\r\n\r\n".encode() + body)
        await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    finally:
        writer.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--delay-ms", type=float, default=10.0, help="one-way latency (default 10)")
    parser.add_argument("--rate", type=float, default=50.0, help="MB/s per connection and direction (default 50)")
    parser.add_argument("--shared-rate", type=float, default=0.0,
                        help="MB/s for all connections together per direction (default: no shared ceiling)")
    parser.add_argument("--control", type=int, default=0,
                        help="a port on 127.0.0.1 that answers GET /counters[?reset=1] (default: none)")
    args = parser.parse_args()
    if args.rate <= 0:
        parser.error("--rate must be positive")
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
