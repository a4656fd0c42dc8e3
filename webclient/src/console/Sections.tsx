import { useObservable } from "../shared/ui/hooks";
import { useS } from "../shared/staff/text";
import type { NoticeDesk } from "./notices";
import "../shared/staff/community.css";

export type Section = "patrol" | "qa" | "notices";

const SECTIONS = [
  ["patrol", "consoleNav.patrol"],
  ["qa", "consoleNav.qa"],
  ["notices", "consoleNav.notices"],
] as const;

/** Patrol (rooms, queues, chats) · Q&A sessions · Notices, with a count of tips not yet looked at. */
export function SectionNav({ section, onSelect, notices }: { section: Section; onSelect: (s: Section) => void; notices: NoticeDesk }) {
  const s = useS();
  useObservable(notices);
  const tips = notices.unseenTotal();
  return (
    <nav class="console-sections" aria-label={s("consoleNav.label")}>
      {SECTIONS.map(([id, key]) => (
        <button key={id} type="button" data-testid={`section-${id}`} aria-current={section === id ? "page" : undefined} onClick={() => onSelect(id)}>
          {s(key)}
          {id === "notices" && tips > 0 ? (
            <span class="count" data-testid="section-tips">
              {s("consoleNav.tipsNew", { n: tips })}
            </span>
          ) : null}
        </button>
      ))}
    </nav>
  );
}
