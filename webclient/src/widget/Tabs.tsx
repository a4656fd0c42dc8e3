import { useRef } from "preact/hooks";

export interface TabItem<T extends string> {
  id: T;
  label: string;
}

interface Props<T extends string> {
  tabs: TabItem<T>[];
  /** The shown view; may be none of the tabs (e.g. the report form). */
  current: string;
  label: string;
  onSelect: (id: T) => void;
}

/**
 * ARIA tabs: one tab stop, arrow keys (and Home/End) move between tabs and show them.
 * Panels are `panel-<id>`, labelled by `tab-<id>`.
 */
export function Tabs<T extends string>({ tabs, current, label, onSelect }: Props<T>) {
  const list = useRef<HTMLDivElement>(null);
  const active = tabs.some((tab) => tab.id === current) ? current : tabs[0]?.id;

  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const wrapped = next > last ? 0 : next < 0 ? last : next;
    const tab = tabs[wrapped];
    if (!tab) return;
    onSelect(tab.id);
    list.current?.querySelector<HTMLElement>(`#tab-${tab.id}`)?.focus();
  };

  return (
    <div class="tabs" role="tablist" aria-label={label} ref={list}>
      {tabs.map(({ id, label: text }, index) => (
        <button
          type="button"
          role="tab"
          key={id}
          id={`tab-${id}`}
          aria-selected={current === id}
          aria-controls={current === id ? `panel-${id}` : undefined}
          tabIndex={id === active ? 0 : -1}
          data-testid={`tab-${id}`}
          onClick={() => onSelect(id)}
          onKeyDown={(e) => onKeyDown(e, index)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
