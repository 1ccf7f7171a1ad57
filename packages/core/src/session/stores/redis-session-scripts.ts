import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script run with EVALSHA, falling back to EVAL the first time a server has not seen it. */
export interface RedisScript {
  readonly lua: string;
  readonly sha: string;
}

function script(lua: string): RedisScript {
  return { lua, sha: createHash("sha1").update(lua).digest("hex") };
}

/** Runs `script` atomically; scripts touch only the session key and its user's index set. */
export async function runScript(
  redis: Redis,
  target: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(target.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return redis.eval(target.lua, keys.length, ...keys, ...args);
  }
}

/**
 * Applies a change field by field (HSET/HDEL), which is how concurrent requests
 * changing different keys all survive. An `update` of a vanished session
 * (destroyed, expired) is dropped rather than resurrecting a fragment of it.
 * KEYS[1] session hash. ARGV: mode, storeKey, ttlMs, now, createdAt,
 * userMode (keep|set), userId, userIndexPrefix, indexTtlMs, setCount, then
 * setCount field/value pairs, then the fields to remove.
 */
export const WRITE_SCRIPT = script(`
local key = KEYS[1]
if ARGV[1] == 'update' and redis.call('EXISTS', key) == 0 then return 0 end
if ARGV[1] == 'create' then
  redis.call('DEL', key)
  redis.call('HSET', key, 'm:created', ARGV[5])
end
redis.call('HSET', key, 'm:seen', ARGV[4])
local n = tonumber(ARGV[10])
local i = 11
for _ = 1, n do
  redis.call('HSET', key, 'd:' .. ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i <= #ARGV do
  redis.call('HDEL', key, 'd:' .. ARGV[i])
  i = i + 1
end
if ARGV[6] == 'set' then
  local old = redis.call('HGET', key, 'm:user')
  if old and old ~= ARGV[7] then redis.call('SREM', ARGV[8] .. old, ARGV[2]) end
  if ARGV[7] == '' then
    redis.call('HDEL', key, 'm:user')
  else
    local index = ARGV[8] .. ARGV[7]
    redis.call('HSET', key, 'm:user', ARGV[7])
    redis.call('SADD', index, ARGV[2])
    if redis.call('PTTL', index) < tonumber(ARGV[9]) then redis.call('PEXPIRE', index, ARGV[9]) end
  end
end
redis.call('PEXPIRE', key, ARGV[3])
return 1
`);

/**
 * Reads a session hash and its remaining lifetime in one atomic step and one
 * command (a MULTI/HGETALL/PTTL/EXEC was four), so a page's session costs Redis
 * one command and can share a write with other requests' commands.
 * KEYS[1] session hash. Returns { flat field/value list, PTTL }.
 */
export const READ_SCRIPT = script(`
return { redis.call('HGETALL', KEYS[1]), redis.call('PTTL', KEYS[1]) }
`);

/** PEXPIRE only moves an existing key, so a touch never recreates a session. ARGV: ttlMs, now. */
export const TOUCH_SCRIPT = script(`
if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'm:seen', ARGV[2])
  return 1
end
return 0
`);

/** Deletes a session and its entry in its user's index. ARGV: storeKey, userIndexPrefix. */
export const DESTROY_SCRIPT = script(`
local user = redis.call('HGET', KEYS[1], 'm:user')
redis.call('DEL', KEYS[1])
if user then redis.call('SREM', ARGV[2] .. user, ARGV[1]) end
return 1
`);

/**
 * Ends every session in a user's index in one atomic step: no session indexed
 * before it runs survives, and none can slip into the index half-way.
 * KEYS[1] the index set. ARGV: sessionKeyPrefix.
 */
export const DESTROY_USER_SCRIPT = script(`
local ids = redis.call('SMEMBERS', KEYS[1])
local n = 0
for _, id in ipairs(ids) do n = n + redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1])
return n
`);
