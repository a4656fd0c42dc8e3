"""Messages per second through moderation.analyze on one core, for typical ~100-character messages.

A benchmark, not a test: run it by hand and write the figure into docs/moderation.md.

    .venv/bin/python bench/moderation_bench.py [--runs 5] [--seconds 3] [--context youth_public]

It prints the median of the runs: on a shared machine single runs vary by a third.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time

from moderation import Moderator
from moderation.verdict import Context

# Everyday chat of about 100 characters, with a few messages that trip detectors, as in a live room.
TYPICAL = [
    "hej! är det någon polis online nu? undrar en sak om cyklar som blir stulna utanför skolan hela tiden",
    "vi ska ha fest på lördag hos en kompis, vad gör man om det kommer folk som ingen har bjudit in?",
    "jag dör av skratt asså, min lillebror försökte laga pannkakor och allt fastnade i taket haha 😂😂",
    "hur många knivbrott var det i Malmö förra året? vi har ett skolarbete om det och behöver källor",
    "tack för att ni svarade så snabbt igår, det kändes mycket bättre efter att jag pratat med er 💙",
    "does anyone know when the officers are online this weekend? i want to ask about summer jobs",
    "någon har skrivit taskiga saker om mig på snap och jag vet inte vad jag ska göra, kan ni hjälpa?",
    "ring mig på 070-123 45 67 om ni vill veta mer, jag bor på Storgatan 12 i Umeå och går i nian",
    "skjut inte upp läxorna till söndag kväll sa min lärare, men det är ju exakt det jag alltid gör lol",
    "is it illegal to ride an e-scooter on the pavement in sweden? my friend got stopped yesterday",
]


def main() -> None:
    """Run the benchmark and print messages per second (median of the runs)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one run")
    parser.add_argument("--context", default=Context.YOUTH_PUBLIC.value)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    moderator = Moderator.from_dirs()
    rng = random.Random(1)
    # Vary the messages a little so nothing is cached by accident.
    endings = ["", "!", " 🙂", " asså", " lol", "?", " ok", " tack"]
    messages = [f"{rng.choice(TYPICAL)}{rng.choice(endings)}" for _ in range(5000)]
    for message in messages[:500]:
        moderator.analyze(message, context=args.context)
    per_cpu: list[float] = []
    per_wall: list[float] = []
    for _ in range(max(1, args.runs)):
        count = 0
        start, start_cpu = time.perf_counter(), time.process_time()
        deadline = start + args.seconds
        while time.perf_counter() < deadline:
            for message in messages:
                moderator.analyze(message, context=args.context)
            count += len(messages)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        per_cpu.append(count / cpu)
        per_wall.append(count / elapsed)
    average = sum(len(m) for m in messages) / len(messages)
    # CPU time is the figure to quote: on a busy machine wall time also counts other processes.
    print(
        f"{statistics.median(per_cpu):,.0f} messages per CPU-second on one core, median of {len(per_cpu)} runs "
        f"({min(per_cpu):,.0f}–{max(per_cpu):,.0f}; {average:.0f} characters on average, {args.context})"
    )
    print(f"{statistics.median(per_wall):,.0f} messages per wall-clock second (load average {os.getloadavg()[0]:.1f})")
    print(f"python {platform.python_version()}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
