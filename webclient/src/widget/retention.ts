import type { Translate } from "../shared/i18n";
import type { Retention } from "../shared/protocol/types";

/**
 * The deployment's retention periods as the `session` event brings them (KVARTER_RETENTION on
 * the server); null for anything that is not whole, positive numbers of days.
 */
export function retentionFrom(value: unknown): Retention | null {
  if (!value || typeof value !== "object") return null;
  const { chat, longest } = value as Record<string, unknown>;
  const days = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n > 0;
  return days(chat) && days(longest) ? { chat, longest: Math.max(chat, longest) } : null;
}

/** How long chats are kept, in the deployment's figures; null until the server has said. */
export function keptText(t: Translate, retention: Retention | null): string | null {
  return retention ? t("welcome.kept", { days: retention.chat, max: retention.longest }) : null;
}
