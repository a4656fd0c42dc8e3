"""Prometheus metrics, one registry per application (no process-wide globals).

Labels are event names, namespaces and outcome codes only: never ids, texts or addresses.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.events = Counter(
            "kvarter_events", "Socket.IO events handled", ["namespace", "event", "result"], registry=self.registry
        )
        self.ack_seconds = Histogram(
            "kvarter_ack_seconds",
            "Time from receiving an event to its acknowledgement",
            ["namespace", "event"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.emit_failures = Counter(
            "kvarter_emit_failures", "Events that could not be published (Redis down)", registry=self.registry
        )
        self.connections = Gauge(
            "kvarter_connections", "Open Socket.IO connections on this process", ["namespace"], registry=self.registry
        )
        self.triage_depth = Gauge("kvarter_triage_queue_depth", "Unclaimed reports", registry=self.registry)
        self.triage_oldest = Gauge(
            "kvarter_triage_oldest_seconds", "Age of the oldest unclaimed report", registry=self.registry
        )
        self.db_checked_out = Gauge(
            "kvarter_db_connections_in_use", "Database connections checked out of the pool", registry=self.registry
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
