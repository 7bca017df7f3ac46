/**
 * The ids an import gives what the experts left blank: an indicator's from its name (or dimension and
 * name), a ruleset's from its industry and branch, stable across imports.
 */
import crypto from 'node:crypto';

/**
 * Ids for what an expert left blank, stable across imports so a new edition keeps its indicators'
 * ids (answers and plans follow an indicator by id): `ind-` and eight hex digits of the SHA-256
 * of the indicator's name (NFKC, trimmed); where two indicators share a name, the second hashes
 * 「维度/名称」 instead. A ruleset's own id: `rs-` and eight hex digits of 「行业/分支」.
 * No pinyin: the hash needs no dictionary and never changes with one.
 */
export function generatedIndicatorId(
  title: string,
  dimension: string,
  taken: ReadonlySet<unknown> = new Set(),
): string {
  const byName = `ind-${shortHash(title.normalize('NFKC').trim())}`;
  if (!taken.has(byName)) return byName;
  return `ind-${shortHash(`${dimension.normalize('NFKC').trim()}/${title.normalize('NFKC').trim()}`)}`;
}

/** The id a ruleset whose 编号 was left blank takes, from its industry and branch. */
export function generatedRulesetId(industry: string, branch: string): string {
  return `rs-${shortHash(`${industry.normalize('NFKC').trim()}/${branch.normalize('NFKC').trim()}`)}`;
}

function shortHash(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}
