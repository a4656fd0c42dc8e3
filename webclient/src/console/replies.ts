import { EVENTS } from "../shared/protocol/events";
import type { ApiError, SavedReply } from "../shared/protocol/types";
import { request } from "../shared/socket/request";
import { Observable } from "../shared/store/observable";
import type { StaffClient } from "./controller";

/** The words of a saved reply a filter looks in: title, text and language, lower case. */
function haystack(reply: SavedReply): string {
  return `${reply.title}\n${reply.body}\n${reply.lang}`.toLocaleLowerCase("sv");
}

/** Saved replies whose title, text or language contain every word of the filter. */
export function filterReplies(replies: readonly SavedReply[], filter: string): SavedReply[] {
  const words = filter.toLocaleLowerCase("sv").split(/\s+/).filter(Boolean);
  return replies.filter((r) => words.every((w) => haystack(r).includes(w)));
}

/** The region's saved replies (replies:list), loaded when first wanted and after each reconnect. */
export class RepliesDesk extends Observable {
  replies: SavedReply[] = [];
  error: ApiError | null = null;
  private loaded = false;
  private online = false;

  constructor(private readonly client: StaffClient) {
    super();
    client.connection.subscribe(() => {
      const online = client.connection.state === "online";
      if (online && !this.online && this.loaded) void this.load();
      this.online = online;
    });
  }

  async load(): Promise<void> {
    this.loaded = true;
    const ack = await request<{ replies: SavedReply[] }>(this.client.connection.socket, EVENTS.REPLIES_LIST, {});
    this.error = ack.ok ? null : ack.error;
    if (ack.ok) this.replies = Array.isArray(ack.replies) ? ack.replies : [];
    this.notify();
  }
}
