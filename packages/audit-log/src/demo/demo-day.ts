// One generated day: its clock (a working-hours rhythm in each user's own time zone) and
// the events emitted so far.
import type { DemoUser } from './catalog';
import { isBot, type DemoActor, type DemoEvent, type EventStamp, type SessionSecurity } from './event-builders';
import { weightedPicker, type Rng } from './prng';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// Relative activity by local hour: busy 8–19 with a lunch dip, a trickle at night.
const LOCAL_HOUR = weightedPicker(
  [0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.06, 0.3, 0.8, 1, 1, 1, 0.7, 0.95, 1, 1, 0.95, 0.8, 0.5, 0.25, 0.12, 0.08, 0.06, 0.04].map(
    (weight, hour) => [hour, weight] as const,
  ),
);

/** Share of a weekday's traffic that happens on each day of the week (Sunday first). */
export function dayWeight(dayStartMs: number): number {
  const weekday = new Date(dayStartMs).getUTCDay();
  return weekday === 0 ? 0.18 : weekday === 6 ? 0.25 : 1;
}

export class DemoDay {
  /** Events emitted so far. */
  emitted = 0;

  constructor(
    readonly stamp: EventStamp,
    readonly dayStartMs: number,
    private readonly windowEndMs: number,
    /** Takes each event as it is emitted: one held until the day ends would outlive V8's young generation. */
    private readonly sink: (event: DemoEvent) => void,
  ) {}

  get rng(): Rng {
    return this.stamp.rng;
  }

  /** Days since the epoch: planted patterns rotate on it, so any 7-day window sees them all. */
  get dayNumber(): number {
    return Math.round(this.dayStartMs / DAY_MS);
  }

  emit(...events: DemoEvent[]): void {
    for (const event of events) this.sink(event);
    this.emitted += events.length;
  }

  /**
   * A moment in the user's working rhythm, folded into this UTC day (a late evening in
   * California lands early in the UTC day): "local-ish" but never outside the day.
   */
  workTime(user: DemoActor): number {
    const offset = isBot(user) ? 0 : user.utcOffsetHours;
    return this.localTime(offset, LOCAL_HOUR(this.rng), this.rng.int(0, HOUR_MS - 1));
  }

  /** A given local hour for the user, plus up to `spreadMs`. */
  at(user: DemoUser, localHour: number, spreadMs = HOUR_MS): number {
    return this.localTime(user.utcOffsetHours, localHour, this.rng.int(0, spreadMs - 1));
  }

  /** Any moment of the day: bots and agents do not sleep. */
  anyTime(): number {
    return this.dayStartMs + this.rng.int(0, DAY_MS - 1);
  }

  /** Keeps follow-up events (session ends, reviews) inside the generated window. */
  clamp(ms: number): number {
    return Math.min(ms, this.windowEndMs);
  }

  clientAddr(actor: DemoActor): string {
    const ip = isBot(actor) ? actor.ip : this.rng.chance(0.7) ? actor.homeIp : actor.utcOffsetHours >= 0 ? '203.0.113.20' : '203.0.113.10';
    return `${ip}:${this.stamp.port()}`;
  }

  /**
   * How a person's session is usually protected: most with per-session MFA, most from
   * their enrolled device, very rarely impersonated by an admin.
   */
  humanSecurity(user: DemoUser, mfaRate = 0.9): SessionSecurity {
    const rng = this.rng;
    return {
      withMfa: user.mfaDevice && rng.chance(mfaRate) ? user.mfaDevice.uuid : undefined,
      trustedDevice: user.trustedDevice && rng.chance(0.85) ? user.trustedDevice : undefined,
      impersonator: rng.chance(0.004) ? `alice@acme.example` : undefined,
    };
  }

  /** Bots use machine identities; Teleport records the bot as its own impersonator. */
  botSecurity(actor: DemoActor): SessionSecurity {
    return { impersonator: actor.name };
  }

  private localTime(utcOffsetHours: number, localHour: number, withinHourMs: number): number {
    const utcHour = (((localHour - utcOffsetHours) % 24) + 24) % 24;
    return this.dayStartMs + utcHour * HOUR_MS + withinHourMs;
  }
}
