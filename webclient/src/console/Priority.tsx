import { useT } from "../shared/staff/i18n";
import { priorityClass } from "./triage";

/** The priority as text on a coloured badge (P1 red, P2 orange, P3 yellow, P4 grey). */
export function PriorityBadge({ priority }: { priority: string }) {
  const t = useT();
  return (
    <span class={`prio prio-${priorityClass(priority)}`} title={t("triage.priority", { p: priority })}>
      {priority}
    </span>
  );
}
