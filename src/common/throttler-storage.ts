import { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

interface Counter {
  /** Expiry time of each hit, oldest first (one TTL per throttler, so they arrive in order). */
  hits: number[];
  /** Hits before this index have expired; compacted once they are half the array. */
  head: number;
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * The rate limiter's in-memory store: the same sliding-window rules as @nestjs/throttler's
 * ThrottlerStorageService (a hit counts for `ttl`; over `limit`, blocked for `blockDuration`),
 * but expired hits are dropped from the front of an ordered list instead of re-filtering
 * every hit of the last minute on each request (O(limit) per request, per caller).
 */
export class MemoryThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly counters = new Map<string, Counter>();
  private sweep?: NodeJS.Timeout;

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const id = `${throttlerName}\u0000${key}`;
    this.sweep ??= setInterval(() => this.evictIdle(), SWEEP_INTERVAL_MS).unref();
    let c = this.counters.get(id);
    if (!c) {
      c = { hits: [], head: 0, expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false };
      this.counters.set(id, c);
    }
    prune(c, now);
    if (c.expiresAt <= now) c.expiresAt = now + ttl;
    const timeToExpire = Math.ceil((c.expiresAt - now) / 1000);

    if (blockDuration <= 0) {
      const isBlocked = count(c) >= limit;
      if (!isBlocked) c.hits.push(now + ttl);
      return {
        totalHits: count(c) + (isBlocked ? 1 : 0),
        timeToExpire,
        isBlocked,
        timeToBlockExpire: !isBlocked
          ? 0
          : count(c)
            ? Math.ceil((c.hits[c.head] - now) / 1000)
            : timeToExpire,
      };
    }
    if (!c.isBlocked) c.hits.push(now + ttl);
    if (count(c) > limit && !c.isBlocked) {
      c.isBlocked = true;
      c.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((c.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && c.isBlocked) {
      c.isBlocked = false;
      c.hits = [now + ttl];
      c.head = 0;
    }
    return { totalHits: count(c), timeToExpire, isBlocked: c.isBlocked, timeToBlockExpire };
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
    this.counters.clear();
  }

  private evictIdle(now = Date.now()): void {
    for (const [id, c] of this.counters) {
      if (c.isBlocked && c.blockExpiresAt > now) continue;
      if (c.expiresAt > now) continue;
      prune(c, now);
      if (count(c) === 0) this.counters.delete(id);
    }
  }
}

function count(c: Counter): number {
  return c.hits.length - c.head;
}

function prune(c: Counter, now: number): void {
  while (c.head < c.hits.length && c.hits[c.head] <= now) c.head++;
  if (c.head > 0 && c.head * 2 >= c.hits.length) {
    c.hits = c.hits.slice(c.head);
    c.head = 0;
  }
}
