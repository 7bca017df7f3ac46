/**
 * Import, step 2 (`planAnnex2Import`): matches the parsed rows against the live registry (loaded in two
 * queries), checks what needs the registry (grades against the scheme of the process's ruleset, the
 * same enterprise and industry twice, conflicting identities), and lists what would be added and
 * which fields would change, from → to, with every problem.
 */
import {
  type RegistryEnterprise,
  type RegistryProcess,
  loadRegistry,
} from '../../../db/repositories/annex2';
import type { FieldChange, ImportPreview, ImportProblem } from '../../../shared/api/contract';
import type { Issue } from '../../../shared/api/errors';
import type { Branch, Industry } from '../../../shared/domain/catalog';
import type { EnterpriseDraft } from '../../../shared/domain/enterprise';
import {
  type ProcessDraft,
  type RulesetBrief,
  checkProcessAgainstCatalog,
} from '../../../shared/domain/process';
import { cityName, countyName } from '../../../shared/domain/regions';
import type { AppContext } from '../context';
import { rulesetBrief } from '../processes';
import { industryLabel } from './catalog';
import {
  ANNEX2_COLUMNS,
  type Annex2Key,
  CREDIT_CODE_COLUMN,
  columnByKey,
  type ProcessField,
} from './format';
import { PROCESS_FIELDS, type ParsedAnnex2, type ParsedRow } from './import-read';

/** What an import will write; `preview` is what the user is shown. */
export interface ImportPlan {
  preview: ImportPreview;
  newEnterprises: { key: number; draft: EnterpriseDraft }[];
  enterpriseUpdates: { id: string; draft: EnterpriseDraft }[];
  /** In file order; `enterprise` is a registry id or the key of a new enterprise. */
  newProcesses: { enterprise: string | number; draft: Omit<ProcessDraft, 'enterpriseId'> }[];
  processUpdates: { id: string; draft: ProcessDraft }[];
}

/** The rows of the file that are one enterprise. */
interface Group {
  key: number;
  first: ParsedRow;
  nameKey: string;
  creditCode: string | null;
  existing: RegistryEnterprise | undefined;
  /** industry|branch → the row that names it. */
  processes: Map<string, number>;
}

function nameKey(name: string, cityCode: string, countyCode: string | null): string {
  // 宁东 has no counties: name and city.
  return `${cityCode}\u0000${countyCode ?? ''}\u0000${name}`;
}

const FIELD_LABELS: Record<ProcessField, string> = {
  currentGrade: '绩效现状',
  targetGrade: '绩效提升目标',
  differentiators: '差异化指标',
  problems: '存在问题',
  improvements: '改进措施',
  dueDate: '拟完成时间',
  remark: '备注',
};

function place(cityCode: string, countyCode: string | null): string {
  return `${cityName(cityCode)}${countyName(cityCode, countyCode)}`;
}

/**
 * Matches the parsed rows against the live registry and works out what an import would write. Reads
 * the registry in two queries; writes nothing. Problems found here are added to the file's own.
 */
export function planAnnex2Import(ctx: AppContext, file: ParsedAnnex2): ImportPlan {
  const registry = loadRegistry(ctx.db);
  const byCode = new Map<string, RegistryEnterprise>();
  const byName = new Map<string, RegistryEnterprise>();
  for (const e of registry.enterprises) {
    if (e.creditCode !== null) byCode.set(e.creditCode, e);
    byName.set(nameKey(e.name, e.cityCode, e.countyCode), e);
  }
  const processesOf = new Map<string, Map<string, RegistryProcess>>();
  for (const p of registry.processes) {
    let map = processesOf.get(p.enterpriseId);
    if (!map) processesOf.set(p.enterpriseId, (map = new Map<string, RegistryProcess>()));
    map.set(`${p.industryCode}\u0000${p.branch}`, p);
  }

  const briefs = new Map<string, RulesetBrief | undefined>();
  const brief = (id: string) => {
    if (!briefs.has(id)) briefs.set(id, rulesetBrief(ctx, id));
    return briefs.get(id);
  };
  const gradeChecks = new Map<string, Issue[]>();
  const checkGrades = (
    industry: Industry,
    branch: string,
    rulesetId: string | null,
    currentGrade: string | null,
    targetGrade: string | null,
  ): Issue[] => {
    const k = [industry.code, branch, rulesetId, currentGrade, targetGrade].join('\u0000');
    let issues = gradeChecks.get(k);
    if (!issues) {
      const draft: ProcessDraft = {
        enterpriseId: '',
        industryCode: industry.code,
        branch,
        name: null,
        rulesetId,
        currentGrade,
        targetGrade,
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: null,
        remark: null,
      };
      issues = checkProcessAgainstCatalog(draft, ctx.catalog, brief).filter(
        (i) => i.path === 'currentGrade' || i.path === 'targetGrade',
      );
      gradeChecks.set(k, issues);
    }
    return issues;
  };

  const problems: ImportProblem[] = [];
  const problem = (row: ParsedRow, key: Annex2Key, value: string | null, message: string) =>
    problems.push({ row: row.row, column: columnByKey(key).header, value, message });
  const codeColumn: Annex2Key = file.columns.has('creditCode') ? 'creditCode' : 'name';

  const groups: Group[] = [];
  const fileByCode = new Map<string, Group>();
  const fileByName = new Map<string, Group>();
  const claimed = new Map<string, Group>();
  const plan: ImportPlan = {
    preview: {
      rows: file.dataRows,
      enterprisesAdded: 0,
      processesAdded: 0,
      changed: [],
      unchanged: 0,
      problems: [],
    },
    newEnterprises: [],
    enterpriseUpdates: [],
    newProcesses: [],
    processUpdates: [],
  };
  /** Rows planned without problems, and those of them that add or change something. */
  const planned = new Set<number>();
  const touched = new Set<number>();

  for (const row of file.rows) {
    const code = row.creditCode;
    const nk = nameKey(row.name, row.cityCode, row.countyCode);
    let g = (code !== null ? fileByCode.get(code) : undefined) ?? fileByName.get(nk);
    if (g) {
      if (code !== null && g.creditCode !== null && code !== g.creditCode) {
        problem(
          row,
          codeColumn,
          code,
          `同一企业在第 ${g.first.row} 行的信用代码是 ${g.creditCode}，与本行不同`,
        );
        continue;
      }
      if (g.nameKey !== nk) {
        problem(
          row,
          'name',
          row.name,
          `信用代码 ${code ?? ''} 与第 ${g.first.row} 行相同，但企业名称或所在地不同（第 ${g.first.row} 行：${g.first.name}，${place(g.first.cityCode, g.first.countyCode)}）`,
        );
        continue;
      }
      if (code !== null && g.creditCode === null) {
        g.creditCode = code;
        fileByCode.set(code, g);
      }
    } else {
      let existing = code !== null ? byCode.get(code) : undefined;
      if (!existing) {
        const same = byName.get(nk);
        if (same && code !== null && same.creditCode !== null && same.creditCode !== code) {
          problem(
            row,
            codeColumn,
            code,
            `${place(row.cityCode, row.countyCode)}已登记同名企业“${row.name}”，其信用代码为 ${same.creditCode}，与本行不同`,
          );
          continue;
        }
        existing = same;
      }
      if (existing) {
        const other = claimed.get(existing.id);
        if (other) {
          problem(
            row,
            'name',
            row.name,
            `与第 ${other.first.row} 行是同一家企业（已登记为“${existing.name}”），但两行的企业名称、所在地或信用代码不一致`,
          );
          continue;
        }
        const clash = byName.get(nk);
        if (clash && clash.id !== existing.id) {
          problem(
            row,
            'name',
            row.name,
            `信用代码 ${code ?? ''} 已登记为“${existing.name}”；${place(row.cityCode, row.countyCode)}另有一家同名企业“${row.name}”，不能把前者改成此名称`,
          );
          continue;
        }
      }
      g = {
        key: groups.length,
        first: row,
        nameKey: nk,
        creditCode: code,
        existing,
        processes: new Map(),
      };
      groups.push(g);
      fileByName.set(nk, g);
      if (code !== null) fileByCode.set(code, g);
      if (existing) claimed.set(existing.id, g);
    }

    if (!row.industry || row.branch === null) {
      planned.add(row.row);
      if (!g.existing) touched.add(row.row);
      continue;
    }
    const industry = row.industry;
    const branch = row.branch;
    const pk = `${industry.code}\u0000${branch}`;
    const firstRow = g.processes.get(pk);
    if (firstRow !== undefined) {
      problem(
        row,
        'branch',
        branch,
        `与第 ${firstRow} 行重复：同一企业的${industryLabel(industry, branch)}只能填一行`,
      );
      continue;
    }
    g.processes.set(pk, row.row);
    const current = g.existing ? processesOf.get(g.existing.id)?.get(pk) : undefined;
    const rulesetId = current
      ? current.rulesetId
      : (branchOf(industry, branch)?.rulesets[0] ?? null);
    const issues = checkGrades(
      industry,
      branch,
      rulesetId,
      row.fields.currentGrade ?? null,
      row.fields.targetGrade ?? null,
    );
    if (issues.length > 0) {
      for (const i of issues) {
        const key = i.path as 'currentGrade' | 'targetGrade';
        problem(row, key, row.written[key] ?? null, i.message);
      }
      continue;
    }
    planned.add(row.row);
    if (!current) {
      touched.add(row.row);
      plan.preview.processesAdded += 1;
      plan.newProcesses.push({
        enterprise: g.existing ? g.existing.id : g.key,
        draft: {
          industryCode: industry.code,
          branch,
          name: null,
          rulesetId,
          currentGrade: row.fields.currentGrade ?? null,
          targetGrade: row.fields.targetGrade ?? null,
          differentiators: row.fields.differentiators ?? null,
          problems: row.fields.problems ?? null,
          improvements: row.fields.improvements ?? null,
          dueDate: row.fields.dueDate ?? null,
          remark: row.fields.remark ?? null,
        },
      });
      continue;
    }
    const draft: ProcessDraft = {
      enterpriseId: current.enterpriseId,
      industryCode: current.industryCode,
      branch: current.branch,
      name: current.name,
      rulesetId: current.rulesetId,
      currentGrade: current.currentGrade,
      targetGrade: current.targetGrade,
      differentiators: current.differentiators,
      problems: current.problems,
      improvements: current.improvements,
      dueDate: current.dueDate,
      remark: current.remark,
    };
    const changes: FieldChange[] = [];
    for (const f of PROCESS_FIELDS) {
      const to = row.fields[f];
      if (to === undefined || to === current[f]) continue;
      changes.push({ field: FIELD_LABELS[f], from: current[f], to });
      draft[f] = to;
    }
    if (changes.length > 0) {
      touched.add(row.row);
      plan.processUpdates.push({ id: current.id, draft });
      plan.preview.changed.push({
        row: row.row,
        enterprise: row.name,
        industry: industryLabel(industry, branch),
        changes,
      });
    }
  }

  for (const g of groups) {
    const { first } = g;
    if (!g.existing) {
      touched.add(first.row);
      plan.preview.enterprisesAdded += 1;
      plan.newEnterprises.push({
        key: g.key,
        draft: {
          name: first.name,
          creditCode: g.creditCode,
          cityCode: first.cityCode,
          countyCode: first.countyCode,
          address: null,
          contactPerson: null,
          contactPhone: null,
        },
      });
      continue;
    }
    const e = g.existing;
    const changes: FieldChange[] = [];
    if (e.name !== first.name) changes.push({ field: '企业名称', from: e.name, to: first.name });
    if (e.cityCode !== first.cityCode) {
      changes.push({ field: '地级市', from: cityName(e.cityCode), to: cityName(first.cityCode) });
    }
    if (e.countyCode !== first.countyCode) {
      changes.push({
        field: '县（市、区）',
        from: e.countyCode === null ? null : countyName(e.cityCode, e.countyCode),
        to: first.countyCode === null ? null : countyName(first.cityCode, first.countyCode),
      });
    }
    const creditCode = g.creditCode ?? e.creditCode;
    if (creditCode !== e.creditCode) {
      changes.push({ field: CREDIT_CODE_COLUMN.header, from: e.creditCode, to: creditCode });
    }
    if (changes.length === 0) continue;
    touched.add(first.row);
    plan.enterpriseUpdates.push({
      id: e.id,
      draft: {
        name: first.name,
        creditCode,
        cityCode: first.cityCode,
        countyCode: first.countyCode,
        address: e.address,
        contactPerson: e.contactPerson,
        contactPhone: e.contactPhone,
      },
    });
    plan.preview.changed.push({ row: first.row, enterprise: first.name, industry: null, changes });
  }

  plan.preview.changed.sort((a, b) => a.row - b.row || (a.industry === null ? -1 : 1));
  plan.preview.unchanged = [...planned].filter((r) => !touched.has(r)).length;
  plan.preview.problems = sortProblems([...file.problems, ...problems]);
  return plan;
}

function branchOf(industry: Industry, branch: string): Branch | undefined {
  return industry.branches.find((b) => b.name === branch);
}

const COLUMN_ORDER = new Map<string, number>(
  [...ANNEX2_COLUMNS, CREDIT_CODE_COLUMN].map((c, i) => [c.header, i]),
);

function sortProblems(list: ImportProblem[]): ImportProblem[] {
  const order = (c: string | null) => (c === null ? -1 : (COLUMN_ORDER.get(c) ?? 99));
  return list.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || order(a.column) - order(b.column));
}
