/**
 * Helpers for guidance and handoff cards. Card texts, numbers and links come from the
 * server's editable data file; they are still checked here before they become an href.
 */

/** The cards in the order given, the 112 card first when it is among them. */
export function urgentFirst<C extends { kind: string }>(cards: readonly C[]): C[] {
  return [...cards.filter((c) => c.kind === "112"), ...cards.filter((c) => c.kind !== "112")];
}

/** Well-known Swedish numbers, written the way people say them. */
const SPOKEN: Record<string, string> = {
  "11414": "114 14",
  "116111": "116 111",
  "1177": "1177",
};

/** `tel:` href for a phone number, or null when it is not one (only digits and a leading +). */
export function telHref(tel: string | null | undefined): string | null {
  if (!tel) return null;
  const compact = tel.replace(/[\s-]/g, "");
  return /^\+?[0-9]{2,15}$/.test(compact) ? `tel:${compact}` : null;
}

/** The number as shown on the call button: "114 14", "116 111", "112". */
export function displayTel(tel: string): string {
  const compact = tel.replace(/[\s-]/g, "");
  return SPOKEN[compact] ?? tel.trim();
}

/** The URL when it is an absolute http(s) one, else null (never javascript:, data: …). */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** "polisen.se" for https://www.polisen.se/…: the link text says where it leads. */
export function siteName(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/** A card kind as a safe class / test id fragment (kinds are a-z, 0-9, _ on the server). */
export function kindToken(kind: string): string {
  return kind.toLowerCase().replace(/[^a-z0-9_-]/g, "_");
}
