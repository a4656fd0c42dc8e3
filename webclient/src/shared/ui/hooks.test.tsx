// @vitest-environment jsdom
import { render } from "preact";
import { describe, expect, it } from "vitest";
import { Observable } from "../store/observable";
import { useObservable } from "./hooks";

class Store extends Observable {
  value = "before";
  set(value: string): void {
    this.value = value;
    this.notify();
  }
}

function View({ store }: { store: Store }) {
  useObservable(store);
  return <p>{store.value}</p>;
}

const effectsRun = () => new Promise((resolve) => setTimeout(resolve, 150));

describe("useObservable", () => {
  it("shows a change made after the first render but before the subscription", async () => {
    const root = document.createElement("div");
    const store = new Store();
    render(<View store={store} />, root);
    // Effects (and so the subscription) run after the browser paints; an ack can land first.
    store.set("after");
    await effectsRun();
    expect(root.textContent).toBe("after");
  });

  it("re-renders on later changes", async () => {
    const root = document.createElement("div");
    const store = new Store();
    render(<View store={store} />, root);
    await effectsRun();
    store.set("later");
    await effectsRun();
    expect(root.textContent).toBe("later");
  });
});
