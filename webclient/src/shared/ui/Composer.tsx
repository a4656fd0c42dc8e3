import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_BODY_CHARS } from "../protocol/types";
import { useT } from "./i18n";

const COUNTER_FROM = MAX_BODY_CHARS - 200;

interface Props {
  inputTestId: string;
  sendTestId: string;
  label: string;
  placeholder?: string;
  disabled?: boolean;
  onSend: (body: string) => void;
  onTyping?: (typing: boolean) => void;
  /** Text put into the box from outside (a saved reply): replaces what is there, never sends. */
  inject?: { text: string; n: number } | null;
  /** "/" typed into the empty box (the console opens its saved replies). */
  onSlash?: () => void;
  /** Controls beside the send button. */
  extra?: ComponentChildren;
}

/** Text box + send button. Enter sends, Shift+Enter makes a new line; 2,000 characters at most. */
export function Composer({ inputTestId, sendTestId, label, placeholder, disabled, onSend, onTyping, inject, onSlash, extra }: Props) {
  const t = useT();
  const [text, setText] = useState("");
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!inject) return;
    setText(inject.text);
    onTyping?.(inject.text.trim() !== "");
    ref.current?.focus();
  }, [inject?.n]);
  const length = [...text].length;
  const tooLong = length > MAX_BODY_CHARS;
  const empty = text.trim() === "";

  const submit = () => {
    if (disabled || empty || tooLong) return;
    onSend(text.trim());
    onTyping?.(false);
    setText("");
    ref.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label class="visually-hidden" for={inputTestId}>
        {label}
      </label>
      <textarea
        id={inputTestId}
        ref={ref}
        data-testid={inputTestId}
        rows={2}
        value={text}
        maxLength={MAX_BODY_CHARS}
        placeholder={placeholder}
        disabled={disabled}
        aria-describedby={length >= COUNTER_FROM ? `${inputTestId}-count` : undefined}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setText(value);
          onTyping?.(value.trim() !== "");
        }}
        onKeyDown={(e) => {
          if (onSlash && e.key === "/" && text === "" && !e.isComposing) {
            e.preventDefault();
            onSlash();
            return;
          }
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div class="composer-side">
        <button type="submit" class="primary" data-testid={sendTestId} disabled={disabled || empty || tooLong}>
          {t("composer.send")}
        </button>
        {extra}
        {length >= COUNTER_FROM ? (
          <span id={`${inputTestId}-count`} class={tooLong ? "counter over" : "counter"}>
            {t("composer.counter", { n: length, max: MAX_BODY_CHARS })}
          </span>
        ) : null}
      </div>
    </form>
  );
}
