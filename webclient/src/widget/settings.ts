import { pickLang, type Lang } from "../shared/i18n";

export type Theme = "light" | "dark" | "auto";

/** What the page address asks of the widget (`/widget/?room=umea&lang=en&theme=dark&notrace=1`). */
export interface WidgetSettings {
  room: string;
  lang: Lang;
  theme: Theme;
  /** Nothing in browser storage, a neutral tab title. */
  noTrace: boolean;
  /** Just back from "forget me on this device": say that it is done. */
  forgotten: boolean;
}

const ON = new Set(["1", "true", "yes", ""]);

export function readSettings(search: string): WidgetSettings {
  const params = new URLSearchParams(search);
  const theme = params.get("theme");
  const flag = (name: string) => params.has(name) && ON.has((params.get(name) ?? "").toLowerCase());
  return {
    room: (params.get("room") ?? "").trim().toLowerCase(),
    lang: pickLang(params.get("lang")),
    theme: theme === "dark" || theme === "auto" ? theme : "light",
    noTrace: flag("notrace"),
    forgotten: flag("forgotten"),
  };
}

/**
 * The widget's own address with no-trace switched on or off, without the one-time `forgotten`
 * flag: what a reload should keep.
 */
export function addressWith(href: string, changes: { noTrace?: boolean; forgotten?: boolean }): string {
  const url = new URL(href);
  if (changes.noTrace === true) url.searchParams.set("notrace", "1");
  if (changes.noTrace === false) url.searchParams.delete("notrace");
  if (changes.forgotten) url.searchParams.set("forgotten", "1");
  else url.searchParams.delete("forgotten");
  return url.toString();
}
