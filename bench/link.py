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

Usage: link.py --listen PORT --target HOST:PORT [--delay-ms N] [--rate N] [--shared-rate N]
It prints "listening" once the port is open, logs connection errors to standard error, and
runs until it is killed.
"""

import argparse
import asyncio
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


async def carry(reader, writer, delay, own, shared):
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
        directions = [
            asyncio.ensure_future(carry(client_reader, server_writer, delay, Bucket(rate), shared_up)),
            asyncio.ensure_future(carry(server_reader, client_writer, delay, Bucket(rate), shared_down)),
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
    print("listening", flush=True)
    async with server:
        await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--delay-ms", type=float, default=10.0, help="one-way latency (default 10)")
    parser.add_argument("--rate", type=float, default=50.0, help="MB/s per connection and direction (default 50)")
    parser.add_argument("--shared-rate", type=float, default=0.0,
                        help="MB/s for all connections together per direction (default: no shared ceiling)")
    args = parser.parse_args()
    if args.rate <= 0:
        parser.error("--rate must be positive")
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
