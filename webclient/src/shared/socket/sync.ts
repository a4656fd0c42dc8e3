import type { Ack, Message, SyncResult } from "../protocol/types";
import type { MessageStore } from "../store/messages";

/** Fetches one page of messages strictly after `after` (oldest first). */
export type PageFetcher = (after: string | undefined) => Promise<Ack<SyncResult>>;

const MAX_PAGES = 100;

/**
 * Clients spread their resync after `sync:needed` over this long, so that the thousands of
 * connections of one worker do not all ask at the same moment.
 */
export const SYNC_SPREAD_MS = 3000;

/**
 * Pages through `*:sync` from `after` until the server says there is no more, merging every
 * page into the store. Resolves with the last ack (it carries `conversation` for chats).
 * Once the server says there is no more, the store's cursor held since a drop is released;
 * a sync cut short keeps it, so the next one starts from there again.
 */
export async function syncFrom(
  fetchPage: PageFetcher,
  store: MessageStore,
  after: string | undefined,
  onNew?: (messages: Message[]) => void,
): Promise<Ack<SyncResult>> {
  let cursor = after;
  for (let page = 0; ; page += 1) {
    const ack = await fetchPage(cursor);
    if (!ack.ok) return ack;
    const messages = Array.isArray(ack.messages) ? ack.messages : [];
    const added = store.merge(messages);
    if (onNew && added.length > 0) onNew(added);
    const last = messages[messages.length - 1];
    if (!ack.more || !last) {
      store.release();
      return ack;
    }
    if (page >= MAX_PAGES) return ack;
    cursor = last.id;
  }
}
