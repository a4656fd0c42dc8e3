"""Socket.io namespaces: validate the payload, call one service, shape the ack."""
