/**
 * A short audible cue for urgent alerts, with the Web Audio API. The AudioContext is
 * created lazily; browsers may keep it suspended until the officer has clicked in the page,
 * which is why `prime` runs on the first interaction. Every failure is ignored: the visible
 * alert banner is the real signal.
 */
type AudioContextCtor = new () => AudioContext;

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  const w = window as unknown as { AudioContext?: AudioContextCtor; webkitAudioContext?: AudioContextCtor };
  const Ctor = w.AudioContext ?? w.webkitAudioContext;
  if (!Ctor) return null;
  context = new Ctor();
  return context;
}

/** Creates and resumes the context inside a user gesture, so later beeps can play. */
export function primeAudio(): void {
  try {
    void audio()?.resume().catch(() => undefined);
  } catch {
    // No audio here.
  }
}

/** Two short tones (about half a second in all). */
export function beep(): void {
  try {
    const ctx = audio();
    if (!ctx) return;
    if (ctx.state === "suspended") void ctx.resume().catch(() => undefined);
    const start = ctx.currentTime + 0.01;
    for (const [offset, frequency] of [[0, 880], [0.25, 1175]] as const) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.2);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.22);
    }
  } catch {
    // Audio blocked or unavailable: the banner still shows.
  }
}
