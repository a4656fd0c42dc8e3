import { describe, expect, it } from "vitest";
import { addressWith, readSettings } from "./settings";
import { TokenStore, usableStorage } from "./storage";

class MemoryStorage {
  readonly data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
  clear() {
    this.data.clear();
  }
  key() {
    return null;
  }
}

const storage = () => new MemoryStorage() as unknown as Storage & MemoryStorage;

describe("widget settings from the address", () => {
  it("reads room, language, theme and no-trace with safe defaults", () => {
    expect(readSettings("?room=Umea&lang=en-GB&theme=dark&notrace=1")).toEqual({ room: "umea", lang: "en", theme: "dark", noTrace: true, forgotten: false });
    expect(readSettings("?room=umea&theme=neon&notrace=0")).toEqual({ room: "umea", lang: "sv", theme: "light", noTrace: false, forgotten: false });
    expect(readSettings("?notrace&forgotten=1").noTrace).toBe(true);
  });

  it("keeps no-trace in the address and drops the one-time forgotten flag", () => {
    const base = "https://k.example/widget/?room=umea&forgotten=1";
    expect(addressWith(base, { noTrace: true })).toBe("https://k.example/widget/?room=umea&notrace=1");
    expect(addressWith(`${base}&notrace=1`, { noTrace: false })).toBe("https://k.example/widget/?room=umea");
    expect(addressWith("https://k.example/widget/?room=umea", { noTrace: true, forgotten: true })).toBe(
      "https://k.example/widget/?room=umea&notrace=1&forgotten=1",
    );
  });
});

describe("where the token is kept", () => {
  it("on the device by default, so a reload resumes", () => {
    const s = storage();
    const tokens = new TokenStore(s, false);
    expect(tokens.mode).toBe("device");
    tokens.save("t1");
    expect(new TokenStore(s, false).load()).toBe("t1");
    expect([...s.data.keys()]).toEqual(["kvarter.token"]);
  });

  it("in memory only when the browser refuses storage, and says so", () => {
    const refusing = () => {
      throw new DOMException("denied", "SecurityError");
    };
    expect(usableStorage(refusing)).toBeNull();
    const tokens = new TokenStore(usableStorage(refusing), false);
    expect(tokens.mode).toBe("blocked");
    tokens.save("t1");
    expect(tokens.load()).toBe("t1");
  });

  it("no-trace: nothing stored, an earlier token removed; switching it off stores the current one", () => {
    const s = storage();
    s.setItem("kvarter.token", "old");
    const tokens = new TokenStore(s, true);
    expect(tokens.mode).toBe("notrace");
    expect(tokens.load()).toBeNull();
    expect(s.length).toBe(0);
    tokens.save("t2");
    expect(s.length).toBe(0);
    tokens.setNoTrace(false);
    expect(s.getItem("kvarter.token")).toBe("t2");
    tokens.setNoTrace(true);
    expect(s.length).toBe(0);
    expect(tokens.load()).toBe("t2");
  });

  it("forget me: nothing left, in storage or in memory", () => {
    const s = storage();
    const tokens = new TokenStore(s, false);
    tokens.save("t3");
    tokens.forget();
    expect(s.length).toBe(0);
    expect(tokens.load()).toBeNull();
  });
});
