import { useState } from "preact/hooks";
import { NICKNAME_MAX, NICKNAME_MIN } from "../shared/protocol/types";
import { useT } from "../shared/ui/i18n";

interface Props {
  nickname: string | null;
  onSave: (nickname: string) => Promise<boolean>;
}

/** Shows the anonymous nickname and lets the young person pick another. */
export function Nickname({ nickname, onSave }: Props) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const length = [...value.trim()].length;
  const valid = length >= NICKNAME_MIN && length <= NICKNAME_MAX;

  if (!editing) {
    return (
      <div class="nickname">
        <span>
          <span class="nickname-label">{t("nick.label")} </span>
          <strong data-testid="nickname">{nickname ?? t("common.loading")}</strong>
        </span>
        <button
          type="button"
          class="link-button"
          disabled={!nickname}
          onClick={() => {
            setValue(nickname ?? "");
            setEditing(true);
          }}
        >
          {t("nick.change")}
        </button>
      </div>
    );
  }

  return (
    <form
      class="nickname nickname-edit"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!valid || busy) return;
        setBusy(true);
        const ok = await onSave(value.trim());
        setBusy(false);
        if (ok) setEditing(false);
      }}
    >
      <label class="visually-hidden" for="nickname-input">
        {t("nick.inputLabel")}
      </label>
      <input
        id="nickname-input"
        data-testid="nickname-input"
        value={value}
        maxLength={NICKNAME_MAX}
        autoFocus
        aria-describedby="nickname-hint"
        onInput={(e) => setValue(e.currentTarget.value)}
      />
      <button type="submit" class="primary" disabled={!valid || busy} data-testid="nickname-save">
        {t("nick.save")}
      </button>
      <button type="button" class="link-button" onClick={() => setEditing(false)}>
        {t("common.cancel")}
      </button>
      <span id="nickname-hint" class="hint">
        {t("nick.hint", { min: NICKNAME_MIN, max: NICKNAME_MAX })}
      </span>
    </form>
  );
}
