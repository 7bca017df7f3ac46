/**
 * JSON with sorted keys and no undefined members, so the same value always serializes, and so
 * hashes, the same. A pinned ruleset is stored as this text and named by its SHA-256.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Why a pinned ruleset's content does not match its id, in Chinese, or null when it does: the id
 * must be the SHA-256 (lowercase hex) of `json`, and `json` the canonical form of what it holds.
 * With `named`, the row's rulesetId and edition must be the content's own.
 * `sha256Hex` is the caller's (node:crypto on the device and the store), so shared/ stays pure.
 */
export function pinnedRulesetProblem(
  id: string,
  json: unknown,
  sha256Hex: (text: string) => string,
  named?: { rulesetId: unknown; edition: unknown },
): string | null {
  if (typeof json !== 'string') return '固定的指标缺少内容';
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return '固定的指标内容不是有效的 JSON';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return '固定的指标内容不是一套分级指标';
  }
  if (canonicalJson(parsed) !== json) return '固定的指标内容不是规范格式，与其摘要无法对应';
  if (sha256Hex(json) !== id) return '固定的指标内容与其编号（SHA-256 摘要）不符，可能被篡改';
  if (named) {
    const content = parsed as { id?: unknown; edition?: unknown };
    if (content.id !== named.rulesetId || content.edition !== named.edition) {
      return '固定的指标记录所写的指标编号或版本与其内容不符';
    }
  }
  return null;
}
