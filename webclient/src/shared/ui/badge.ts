import type { MessageKey, Translate } from "../i18n";
import type { Badge } from "../protocol/types";

const ROLES = new Set(["officer", "supervisor", "admin"]);

/** The badge as shown next to an officer's name: "name · role · police area" (role in words). */
export function badgeParts(t: Translate, badge: Badge): string[] {
  const role = ROLES.has(badge.role) ? t(`role.${badge.role}` as MessageKey) : badge.role;
  return [badge.name, role, badge.police_area].filter((part) => part);
}
