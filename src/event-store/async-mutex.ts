/**
 * Serialises async critical sections on one connection. better-sqlite3 has one connection per
 * file handle: a read-model transaction that awaits between statements must not let another
 * writer's statements slip into it (they would commit or roll back with it).
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
