"""A loop-stall probe in a process of its own: one socket.io connection that keeps asking the
server a trivial question (`room:leave` of a room it is not in) and records how long each answer
took. Run by scenario 5 so that the load generator's own work (closing 5,000 sockets in its
loop) does not delay the probe and count as the server's stall.

    python -m bench.probe PORT ROOM     # prints "ready", then on a line on stdin the samples

Each sample is [sent, seconds]: `sent` on the system-wide monotonic clock, so the caller can
tell which questions were in flight while it did something.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from bench.eioclient import connect


async def main(port: int, room: str) -> None:
    conn = await connect("127.0.0.1", port, "/youth")
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_reader(sys.stdin.fileno(), stop.set)
    samples: list[tuple[float, float]] = []
    print("ready", flush=True)
    while not stop.is_set():
        sent = time.monotonic()
        await asyncio.wait_for(conn.call("room:leave", {"room": room}), 60)
        samples.append((sent, time.monotonic() - sent))
        await asyncio.sleep(0.002)
    conn.close()
    print(json.dumps(samples), flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
