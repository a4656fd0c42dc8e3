import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EVENTS } from "./events";

const REQUIRED = [
  "session", "session:forget", "profile:set", "room:join", "room:leave", "room:send", "room:sync", "room:message",
  "chat:open", "chat:send", "chat:sync", "chat:typing", "chat:close", "chat:take", "chat:message",
  "chat:updated", "chat:transfer", "chat:note", "chat:alert", "replies:list", "availability", "duty:start", "duty:end", "duty:updated", "inbox:list",
  "inbox:updated", "report:submit", "report:updated", "handoff", "handoff:opened", "handoff:give",
  "triage:list", "triage:claim", "triage:close", "triage:new", "triage:updated", "triage:alert",
  "duty:roster", "duty:handover", "handover:write", "feedback:submit", "moderation:hide", "moderation:mute",
  "moderation:muted", "moderation:flags", "moderation:flagged", "moderation:slowmode", "message:flag",
  "message:hidden", "room:settings",
  "qa:schedule", "qa:list", "qa:join", "qa:leave", "qa:ask", "qa:review", "qa:vote", "qa:answer", "qa:pin",
  "qa:cohost", "qa:session", "qa:question", "qa:answered", "qa:pending",
  "notice:draft", "notice:approve", "notice:reject", "notice:tip", "notice:followup", "notice:list",
  "notice:queue", "notice:tips", "notice:history", "notice:published", "notice:closed", "notice:pending",
  "notice:updated", "sync:needed",
];

describe("EVENTS", () => {
  it("holds exactly the protocol's event names", () => {
    expect(Object.values(EVENTS).sort()).toEqual([...REQUIRED].sort());
  });

  it("keeps the flat form the server's test parses with a regex", () => {
    const text = readFileSync(new URL("./events.ts", import.meta.url), "utf8");
    const body = text.slice(text.indexOf("export const EVENTS = {"), text.indexOf("} as const;"));
    const parsed = [...body.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(parsed.sort()).toEqual([...REQUIRED].sort());
  });
});
