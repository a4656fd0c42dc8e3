import type { ApiError, Conversation } from "../shared/protocol/types";

/** A flag this young person raised on a room message in this page session. */
export type FlagState = { status: "sending" } | { status: "done" } | { status: "failed"; error: ApiError };

/** "Do you feel safer now?" for one closed conversation. */
export interface FeedbackState {
  conversationId: string;
  status: "ask" | "sending" | "thanks";
  /** Why the last answer was not stored (asked again with the error shown). */
  error?: ApiError;
}

export const FEEDBACK_SCORES = [1, 2, 3, 4, 5] as const;

/**
 * True when an update closes the conversation the young person was in (it was known and not
 * closed before) and the question has not been asked for it in this page session.
 */
export function feedbackAfterUpdate(
  previous: Pick<Conversation, "id" | "status"> | null,
  next: Pick<Conversation, "id" | "status">,
  asked: ReadonlySet<string>,
): boolean {
  return next.status === "closed" && previous?.id === next.id && previous.status !== "closed" && !asked.has(next.id);
}
