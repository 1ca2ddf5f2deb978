import { ThrottlerStorageService } from '@nestjs/throttler';
import { MemoryThrottlerStorage } from './throttler-storage';

describe('MemoryThrottlerStorage', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['with a block duration', 60_000],
    ['without one', 0],
  ])("answers every call as @nestjs/throttler's own storage does, %s", async (_name, blockDuration) => {
    const ours = new MemoryThrottlerStorage();
    const theirs = new ThrottlerStorageService();
    let seed = 42;
    let blocked = 0;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 5000; i++) {
      now += Math.floor(random() * (random() < 0.05 ? 30_000 : 400));
      const key = random() < 0.8 ? 'a' : 'b';
      const args = [key, 60_000, 30, blockDuration, 'default'] as const;
      const answer = await ours.increment(...args);
      expect(answer).toEqual(await theirs.increment(...args));
      if (answer.isBlocked) blocked++;
    }
    expect(blocked).toBeGreaterThan(100); // the blocking rules were exercised too
    ours.onApplicationShutdown();
    theirs.onApplicationShutdown();
  });
});
