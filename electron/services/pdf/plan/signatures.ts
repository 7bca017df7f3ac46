import type { Signature } from '../../../../shared/domain/inspection';
import type { PlanDetail } from '../../../../shared/plan';
import { type PdfWriter, type Cell, type KeyValue, type SignatureEntry } from '../document';
import { localDate } from '../../../../shared/local-time';
import { formatDateTime } from '../format';
import { MUTED, NONE, versionStatus } from './labels';

/** The plan PDF's closing sections: 八、版本记录 and 九、确认与签字 with every signature it prints. */
// ─── Versions and signatures ────────────────────────────────────────────────────────────────

export function versionsSection(w: PdfWriter, detail: PlanDetail): void {
  const { plan } = detail;
  w.table({
    columns: [
      { header: '版本', width: 1.2, align: 'center' },
      { header: '保存时间', width: 2.6, align: 'center' },
      { header: '措施（项）', width: 1.5, align: 'center' },
      { header: '修改说明', width: 5.6 },
      { header: '状态', width: 2.4, align: 'center' },
    ],
    rows: detail.versions.map((v) => {
      const marks = [
        plan.reviewed?.version === v.version ? '专家审定' : '',
        plan.confirmed?.version === v.version ? '企业确认' : '',
        v.version === detail.version ? '本文件' : '',
      ].filter(Boolean);
      const row: Cell[] = [
        `第 ${v.version} 版`,
        formatDateTime(v.savedAt),
        String(v.measures),
        v.comment ?? NONE,
        marks.join('、') || NONE,
      ];
      return v.version === detail.version
        ? row.map((c) => ({ text: typeof c === 'string' ? c : c.text, bold: true }))
        : row;
    }),
    emptyText: '没有版本记录',
  });
}

/** Every signature the plan's PDF prints: the source visit's and the plan's own. */
export function planSignatures(detail: PlanDetail): Signature[] {
  const { reviewed, confirmed } = detail.plan;
  return [
    ...detail.source.signatures,
    ...(reviewed?.signature ? [reviewed.signature] : []),
    ...(confirmed?.signature ? [confirmed.signature] : []),
  ];
}

export function signatureSection(
  w: PdfWriter,
  detail: PlanDetail,
  files: ReadonlyMap<string, Buffer>,
): void {
  const { plan } = detail;
  const status = versionStatus(detail);
  w.paragraph(
    status === '企业确认'
      ? `本方案第 ${detail.version} 版已经专家审定、企业确认，企业按期完成各项措施后，可申请重新评定绩效等级。`
      : status === '专家审定'
        ? `本方案第 ${detail.version} 版已经专家审定，尚待企业确认。`
        : `本方案第 ${detail.version} 版为草稿，尚未经专家审定和企业确认，内容可能变动。`,
    { size: 9, color: MUTED },
  );
  const pairs: KeyValue[] = [];
  if (plan.reviewed) {
    pairs.push([
      '审定意见',
      plan.reviewed.opinion || {
        text: '（本次审定在要求填写审定意见之前记录，未留意见）',
        color: MUTED,
      },
      'wide',
    ]);
    pairs.push([
      '审定',
      `${plan.reviewed.by}，${formatDateTime(plan.reviewed.at)}，第 ${plan.reviewed.version} 版${
        plan.reviewed.account ? `（同步账号 ${plan.reviewed.account}）` : ''
      }`,
      'wide',
    ]);
  }
  if (plan.confirmed) {
    pairs.push([
      '企业确认',
      `${plan.confirmed.by}，${plan.confirmed.method ?? '确认方式未记录'}，${formatDateTime(
        plan.confirmed.at,
      )}，第 ${plan.confirmed.version} 版${
        plan.confirmed.account ? `（同步账号 ${plan.confirmed.account}）` : ''
      }`,
      'wide',
    ]);
  }
  if (pairs.length > 0) w.keyValues(pairs, { perRow: 1 });
  w.space(4);
  const signed = (s: Signature | null | undefined): Pick<SignatureEntry, 'image' | 'signedOn'> => {
    if (!s) return {};
    const data = files.get(s.sha256);
    return {
      image: data ? { data, key: s.sha256 } : null,
      signedOn: localDate(s.signedAt),
    };
  };
  const memberSignature = (memberId: string) =>
    detail.source.signatures.filter((s) => s.memberId === memberId).at(-1);
  const entries: SignatureEntry[] = detail.source.members.map((m) => ({
    role: `帮扶组·${m.role}`,
    name: m.name,
    ...(memberSignature(m.id)
      ? { note: '签于现场帮扶记录', ...signed(memberSignature(m.id)) }
      : {}),
  }));
  if (entries.length === 0) entries.push({ role: '帮扶工作组', name: '' });
  const stamp = (s: { version: number; at: number } | null, verb: string) =>
    s ? `已于 ${formatDateTime(s.at)} 在系统中${verb}第 ${s.version} 版` : `尚未在系统中${verb}`;
  entries.push(
    {
      role: '审定专家',
      name: plan.reviewed?.by ?? '',
      note: stamp(plan.reviewed, '审定'),
      ...signed(plan.reviewed?.signature),
    },
    {
      role: '企业代表',
      name: plan.confirmed?.by ?? '',
      note: plan.confirmed
        ? `${stamp(plan.confirmed, '确认')}（${plan.confirmed.method ?? '方式未记录'}）`
        : stamp(null, '确认'),
      ...signed(plan.confirmed?.signature),
    },
  );
  w.signatures(entries);
}
