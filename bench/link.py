#!/usr/bin/env python3
"""A slower network link in front of a registry, for bench/run.sh.

The benchmark's registry runs on loopback, where a fully cached build costs a fraction of a
second and the machine's CPU is the only thing being measured. A registry in a CI setup is
across a network: every request waits a round trip and every connection has a throughput
ceiling. This relay models that link and nothing more, at the TCP level:

  - every chunk of bytes, in either direction, leaves no earlier than --delay-ms after it
    arrived (one-way latency; a request and its answer together cost twice that);
  - every connection carries at most --rate-mbps megabytes per second in each direction
    (a token bucket per connection and direction, as with per-connection object storage
    downloads behind a registry).

Usage: link.py --listen PORT --target HOST:PORT [--delay-ms N] [--rate-mbps N]
It prints "listening" once the port is open and runs until it is killed.
"""

import argparse
import asyncio
import sys
import time

CHUNK = 64 * 1024
QUEUED_CHUNKS = 64  # back-pressure: at most 4 MiB in flight per direction


async def carry(reader, writer, delay, rate):
    """Moves bytes from reader to writer with the link's latency and rate."""
    queue = asyncio.Queue(maxsize=QUEUED_CHUNKS)

    async def receive():
        while True:
            try:
                data = await reader.read(CHUNK)
            except (ConnectionError, OSError):
                data = b""
            await queue.put((time.monotonic() + delay, data))
            if not data:
                return

    async def send():
        free_at = 0.0  # when the link is free again after the bytes already sent
        while True:
            due, data = await queue.get()
            if not data:
                if writer.can_write_eof():
                    try:
                        writer.write_eof()
                    except (ConnectionError, OSError):
                        pass
                return
            start = max(due, free_at)
            wait = start - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
            free_at = start + (len(data) / rate if rate else 0.0)

    receiving = asyncio.ensure_future(receive())
    try:
        await send()
    finally:
        receiving.cancel()


async def serve(args):
    host, port = args.target.rsplit(":", 1)
    delay = args.delay_ms / 1000.0
    rate = args.rate_mbps * 1_000_000 if args.rate_mbps > 0 else 0

    async def connection(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        try:
            await asyncio.gather(
                carry(client_reader, server_writer, delay, rate),
                carry(server_reader, client_writer, delay, rate),
                return_exceptions=True,
            )
        finally:
            for writer in (client_writer, server_writer):
                writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", args.listen, reuse_address=True)
    print("listening", flush=True)
    async with server:
        await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--delay-ms", type=float, default=10.0)
    parser.add_argument("--rate-mbps", type=float, default=50.0)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
