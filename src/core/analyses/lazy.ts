/**
 * A read-only list filled on first use: the built-in detections are read from their files when a
 * consumer first looks at them, not when the extension or the CLI loads. Copy it (`[...list]`)
 * before posting it to a thread or a webview: a proxy cannot be cloned.
 */
export function lazyList<T>(load: () => readonly T[]): readonly T[] {
  const items: T[] = [];
  let loaded = false;
  const ensure = (): void => {
    if (loaded) return;
    items.push(...load());
    loaded = true;
  };
  return new Proxy(items, {
    get: (target, key, receiver) => (ensure(), Reflect.get(target, key, receiver)),
    has: (target, key) => (ensure(), Reflect.has(target, key)),
    ownKeys: (target) => (ensure(), Reflect.ownKeys(target)),
    getOwnPropertyDescriptor: (target, key) => (ensure(), Reflect.getOwnPropertyDescriptor(target, key)),
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
  });
}
