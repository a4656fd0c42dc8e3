import { stockholmParts, stockholmToUtc } from "../ui/when";

/** A run of a text, marked with the moderation flag that covers it (null: not flagged). */
export interface Segment {
  text: string;
  flag: string | null;
}

/**
 * Splits `text` at the verdict's spans ([start, end, flag], offsets in code points as the server
 * counts them) so the flagged parts can be marked. Overlapping or out-of-range spans are clipped.
 */
export function highlight(text: string, spans: readonly (readonly [number, number, string])[] | null | undefined): Segment[] {
  const chars = [...text];
  const out: Segment[] = [];
  let at = 0;
  const sorted = [...(spans ?? [])].filter((s) => Array.isArray(s) && s[1] > s[0]).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  for (const [start, end, flag] of sorted) {
    const from = Math.max(start, at);
    const to = Math.min(end, chars.length);
    if (to <= from) continue;
    if (from > at) out.push({ text: chars.slice(at, from).join(""), flag: null });
    out.push({ text: chars.slice(from, to).join(""), flag });
    at = to;
  }
  if (at < chars.length || out.length === 0) out.push({ text: chars.slice(at).join(""), flag: null });
  return out;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A moment as the value of an <input type="datetime-local"> in Swedish time: "2026-11-20T19:00". */
export function toLocalInput(at: number | Date): string {
  const p = stockholmParts(at);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** A datetime-local value read as Swedish time (DST included) → ISO UTC without milliseconds, or null. */
export function localInputToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  return new Date(stockholmToUtc(year, month, day, hour, minute)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Co-host usernames typed as "anna.l, erik" or one per line. */
export function parseUsernames(value: string): string[] {
  return [...new Set(value.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}
