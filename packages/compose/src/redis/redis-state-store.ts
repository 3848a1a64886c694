// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, ReplyError } from 'ioredis';
import { InternalError, UnavailableError, isErrorCode } from '@tsc-engine/core/client';
import {
  casConflict, checkLockTtl, lockHeldError, lockLostError,
  type AcquireLockOptions, type DeleteOptions, type JsonValue, type ListOptions, type LockHolder, type LockLease,
  type PutOptions, type StateBackend, type StateEntry, type StateStore,
} from '@tsc-engine/core/state';
import { RedisEventBus } from './redis-event-bus.js';

/** Every key this store writes starts with this, so a Redis shared with other applications stays tidy. */
const KEY_PREFIX = 'tsc-engine:';
const VALUE = `${KEY_PREFIX}kv:`;
/** A sorted set of live key names, so listing by prefix is one ZRANGEBYLEX instead of a SCAN of the keyspace. */
const INDEX = `${KEY_PREFIX}kv-index`;
/** One counter for every key's versions: a key deleted and created again never gets back an old version. */
const VERSIONS = `${KEY_PREFIX}kv-version`;
const LOCK = `${KEY_PREFIX}lock:`;
const LOCK_POLL_MS = 100;

// Compare-and-set and delete run as Lua scripts, atomic on the server, so nothing can come between the version
// check and the write — and a client that dies mid-call leaves either all of a write or none of it.
const PUT_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= current then return {0, current} end
local version = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], 'v', version, 'd', ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[3])
return {1, version}`;
const DELETE_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= current then return {0, current} end
if current == 0 then return {1, 0} end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return {1, current}`;
// One script, so the listing is a consistent snapshot. (It reads keys it was not passed: fine for one Redis
// server, not for a Redis Cluster, which this store does not support.)
const LIST_SCRIPT = `
local out = {}
for _, name in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[1], '[' .. ARGV[1] .. '\\255')) do
  local entry = redis.call('HMGET', ARGV[2] .. name, 'v', 'd')
  if entry[1] then table.insert(out, name); table.insert(out, entry[1]); table.insert(out, entry[2]) end
end
return out`;
// A lease is renewed or released only by the token that took it.
const RENEW_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).token ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;
const RELEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).token == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

type LockRecord = LockHolder & { token: string };

/**
 * A connection to Redis shared by {@link RedisStateStore} and {@link RedisEventBus}, turning every failure to reach
 * the server into one clear `unavailable` error.
 *
 * It fails fast instead of ioredis' default of queueing commands until the server is back: a CLI must say the
 * store is unreachable, not hang; and a command that was in flight when the connection dropped is failed rather
 * than resent, since resending an append would duplicate it. It still reconnects in the background, so a
 * long-lived user recovers once Redis is back.
 */
export class RedisConnection {
  readonly keyPrefix = KEY_PREFIX;
  readonly client: Redis;
  /** The URL without its password, for messages. */
  readonly location: string;
  private lastError?: Error;

  constructor(url: string) {
    this.location = redactPassword(url);
    this.client = new Redis(url, {
      maxRetriesPerRequest: 0,
      connectTimeout: 5000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      lazyConnect: false,
    });
    this.watch(this.client);
  }

  /** A second connection, for blocking reads that would hold up every other command on this one. */
  duplicate(): Redis {
    const copy = this.client.duplicate();
    this.watch(copy);
    return copy;
  }

  /** Runs one operation, mapping connection failures to `unavailable` and server errors to `internal`. */
  async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.translate(operation, error);
    }
  }

  translate(operation: string, error: unknown): Error {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && isErrorCode(code)) return error as Error;
    if (error instanceof ReplyError) {
      return new InternalError(`state store at ${this.location}: ${operation}: ${(error as Error).message}`, { cause: error });
    }
    const detail = this.lastError?.message ?? (error as Error).message ?? String(error);
    return new UnavailableError(`state store at ${this.location} is unreachable: ${operation}: ${detail}`, {
      cause: error,
      hint: `check that redis-server is running and reachable at ${this.location}; ` +
        'leave out --state and TSC_ENGINE_STATE to use the embedded store instead',
    });
  }

  close(): void {
    this.client.disconnect();
  }

  private watch(client: Redis): void {
    // Without a listener ioredis prints every connection error itself; we keep the latest for the messages above.
    client.on('error', (error: Error) => { this.lastError = error; });
    client.on('end', () => { this.lastError ??= new Error('connection closed'); });
    client.on('close', () => { this.lastError ??= new Error('connection lost'); });
    client.on('ready', () => { this.lastError = undefined; });
  }
}

/**
 * The Redis {@link StateStore}: each key a hash (`v` version, `d` JSON) under `tsc-engine:kv:`, written by Lua
 * scripts; locks as `SET NX PX` keys holding the owner and a token, renewed and released by scripts that check it.
 */
export class RedisStateStore implements StateStore {
  readonly location: string;

  constructor(private readonly connection: RedisConnection) {
    this.location = connection.location;
  }

  async get<T extends JsonValue = JsonValue>(key: string, signal?: AbortSignal): Promise<StateEntry<T> | undefined> {
    signal?.throwIfAborted();
    const [version, data] = await this.connection.run(`get "${key}"`, () => this.connection.client.hmget(VALUE + key, 'v', 'd'));
    return version === null || data === null ? undefined : { key, value: JSON.parse(data) as T, version: Number(version) };
  }

  async list<T extends JsonValue = JsonValue>(options: ListOptions, signal?: AbortSignal): Promise<StateEntry<T>[]> {
    signal?.throwIfAborted();
    const flat = await this.connection.run(`list "${options.prefix}"`, () =>
      this.connection.client.eval(LIST_SCRIPT, 1, INDEX, options.prefix, VALUE)) as string[];
    const entries: StateEntry<T>[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      entries.push({ key: flat[i], version: Number(flat[i + 1]), value: JSON.parse(flat[i + 2]) as T });
    }
    return entries;
  }

  async put<T extends JsonValue>(options: PutOptions<T>, signal?: AbortSignal): Promise<StateEntry<T>> {
    signal?.throwIfAborted();
    const [ok, version] = await this.connection.run(`put "${options.key}"`, () => this.connection.client.eval(
      PUT_SCRIPT, 3, VALUE + options.key, INDEX, VERSIONS, expected(options.ifVersion), JSON.stringify(options.value),
      options.key,
    )) as [number, number];
    if (!ok) throw casConflict(options.key, options.ifVersion ?? 0, version);
    return { key: options.key, value: options.value, version };
  }

  async delete(options: DeleteOptions, signal?: AbortSignal): Promise<boolean> {
    signal?.throwIfAborted();
    const [ok, version] = await this.connection.run(`delete "${options.key}"`, () => this.connection.client.eval(
      DELETE_SCRIPT, 2, VALUE + options.key, INDEX, expected(options.ifVersion), options.key,
    )) as [number, number];
    if (!ok) throw casConflict(options.key, options.ifVersion ?? 0, version);
    return version > 0;
  }

  async acquireLock(options: AcquireLockOptions, signal?: AbortSignal): Promise<LockLease> {
    checkLockTtl(options.ttlMs);
    const started = Date.now();
    const key = LOCK + options.name;
    for (;;) {
      signal?.throwIfAborted();
      const lease: LockLease = {
        name: options.name, owner: options.owner, token: randomUUID(), ttlMs: options.ttlMs,
        expiresAt: Date.now() + options.ttlMs,
      };
      const [taken, holder] = await this.connection.run(`lock "${options.name}"`, async () => {
        const set = await this.connection.client.set(key, lockRecord(lease), 'PX', options.ttlMs, 'NX');
        return [set === 'OK', set === 'OK' ? null : await this.connection.client.get(key)] as const;
      });
      if (taken) return lease;
      if (holder === null) continue; // expired between SET and GET
      const waited = Date.now() - started;
      if (waited >= (options.waitMs ?? 0)) throw lockHeldError(options.name, JSON.parse(holder) as LockRecord, waited);
      await sleep(Math.min(LOCK_POLL_MS, (options.waitMs ?? 0) - waited), undefined, { signal });
    }
  }

  async renewLock(lease: LockLease, signal?: AbortSignal): Promise<LockLease> {
    signal?.throwIfAborted();
    const renewed = { ...lease, expiresAt: Date.now() + lease.ttlMs };
    const ok = await this.connection.run(`renew lock "${lease.name}"`, () => this.connection.client.eval(
      RENEW_SCRIPT, 1, LOCK + lease.name, lease.token, lockRecord(renewed), lease.ttlMs,
    ));
    if (!ok) throw lockLostError(lease.name, lease.owner);
    return renewed;
  }

  async releaseLock(lease: LockLease, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    await this.connection.run(`release lock "${lease.name}"`, () =>
      this.connection.client.eval(RELEASE_SCRIPT, 1, LOCK + lease.name, lease.token));
  }
}

/** Opens the Redis store at `url` (`redis://[:password@]host:port[/db]`); the connection is made in the background. */
export function openRedisStateBackend(url: string): StateBackend {
  const connection = new RedisConnection(url);
  const events = new RedisEventBus(connection);
  return {
    store: new RedisStateStore(connection),
    events,
    close: async () => {
      events.close();
      connection.close();
    },
  };
}

function expected(ifVersion: number | undefined): string {
  return ifVersion === undefined ? '' : String(ifVersion);
}

function lockRecord(lease: LockLease): string {
  const record: LockRecord = { token: lease.token, owner: lease.owner, expiresAt: lease.expiresAt };
  return JSON.stringify(record);
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}

