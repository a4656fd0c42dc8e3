/**
 * Bidirectional-text controls in what people write (U+202A–U+202E embeddings and overrides,
 * U+2066–U+2069 isolates, U+200E/U+200F/U+061C marks) can make text read backwards or hide where
 * it ends: "call 112" written with an override displays reversed. Messages are shown with these
 * controls made visible, and each in a bidi isolate (`dir="auto"`), so they cannot reorder
 * anything around them.
 */
const CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMES: Record<string, string> = {
  "\u061c": "ALM",
  "\u200e": "LRM",
  "\u200f": "RLM",
  "\u202a": "LRE",
  "\u202b": "RLE",
  "\u202c": "PDF",
  "\u202d": "LRO",
  "\u202e": "RLO",
  "\u2066": "LRI",
  "\u2067": "RLI",
  "\u2068": "FSI",
  "\u2069": "PDI",
};

/** The text with every bidi control replaced by a visible tag such as "[RLO]". */
export function showBidiControls(text: string): string {
  return text.replace(CONTROLS, (c) => `[${NAMES[c] ?? "?"}]`);
}
