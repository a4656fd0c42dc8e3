/**
 * The anonymous token is the only thing the widget keeps on the device (in its own
 * origin's localStorage, never the host's): it lets a reload resume the conversation.
 * Message bodies are never stored.
 */
const TOKEN_KEY = "kvarter.token";

export function loadToken(): string | null {
  try {
    return window.localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    window.localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage blocked (e.g. third-party iframe in strict mode): the session lasts this page only.
  }
}

export function forgetToken(): void {
  try {
    window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored, nothing to forget.
  }
}
