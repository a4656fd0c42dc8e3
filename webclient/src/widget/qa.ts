import type { Lang, Translate } from "../shared/i18n";
import type { QaSession } from "../shared/protocol/community";
import { isLive } from "../shared/store/community";
import { formatWhen } from "../shared/ui/when";

/**
 * When a Q&A session starts, for its banner: "Torsdag 19:00", "I dag 19:00", "I morgon 19:00"
 * (Swedish time whatever the viewer's own zone, in the viewer's language), or "Pågår nu" while
 * it runs.
 */
export function sessionWhen(session: QaSession, t: Translate, lang: Lang, now: number = Date.now()): string {
  if (isLive(session, now)) return t("qa.live");
  const when = formatWhen(session.starts_at, lang, now);
  return when.charAt(0).toUpperCase() + when.slice(1);
}
