// Node socket.io 4.x baseline: the same events as Kvarter's room fan-out, nothing else.
// Usage: node server.js PORT
"use strict";
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.argv[2] || 3000);
const httpServer = http.createServer((req, res) => {
  if (req.url === "/readyz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
    return;
  }
  res.writeHead(404);
  res.end();
});
// Defaults of socket.io 4.8: perMessageDeflate off, pingInterval 25 s, pingTimeout 20 s.
const io = new Server(httpServer, { cors: { origin: true, credentials: true } });
let nextId = 1;

for (const name of ["/youth", "/staff"]) {
  const nsp = io.of(name);
  nsp.on("connection", (socket) => {
    socket.on("room:join", (data, ack) => {
      socket.join(`room:${data.room}`);
      if (typeof ack === "function") ack({ ok: true, messages: [] });
    });
    socket.on("room:leave", (data, ack) => {
      socket.leave(`room:${data.room}`);
      if (typeof ack === "function") ack({ ok: true });
    });
    socket.on("room:send", (data, ack) => {
      const id = nextId++;
      const msg = {
        id: `m${id}`, room: data.room, client_id: data.client_id, author_kind: "officer",
        author_name: "Polisen Östersund", body: data.body, at: new Date().toISOString(), flags: [],
      };
      if (typeof ack === "function") ack({ ok: true, message: msg });
      io.of("/youth").to(`room:${data.room}`).emit("room:message", msg);
    });
    socket.on("chat:send", (data, ack) => {
      const msg = { id: `m${nextId++}`, conversation_id: data.conversation_id, body: data.body };
      if (typeof ack === "function") ack({ ok: true, message: msg });
    });
  });
}
httpServer.listen(port, "127.0.0.1", () => console.log(`node socket.io on ${port}`));
process.on("SIGTERM", () => process.exit(0));
