/**
 * A stand-in for something a hook starts later (the file's emulator, its app, a server started
 * before each test): every property read, write and method call goes to what `current()` answers
 * at that moment. A set-up helper can so hand out `emulator` and `app` when the file is collected,
 * and the tests use them as the real things. Used before its hook ran, it throws, naming itself.
 */
export function live<T extends object>(name: string, current: () => T | undefined): T {
  const now = (): T => {
    const value = current();
    if (value === undefined) throw new Error(`${name} is not started yet: use it inside a test, or a hook registered after the set-up that starts it`);
    return value;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const value = now();
      const property: unknown = Reflect.get(value, key);
      return typeof property === 'function' ? property.bind(value) : property;
    },
    set: (_, key, value) => Reflect.set(now(), key, value),
    has: (_, key) => Reflect.has(now(), key),
    ownKeys: () => Reflect.ownKeys(now()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(now(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
