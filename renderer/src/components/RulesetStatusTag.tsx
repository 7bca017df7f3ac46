import { Tag } from 'antd';

import type { RulesetSummary } from '../../../shared/api/contract';

/** 指标待核实 (a draft transcribed, not yet checked against the official text) or 已核实. */
export function RulesetStatusTag({ status }: { status: RulesetSummary['status'] }) {
  return status === 'draft' ? (
    <Tag color="orange">指标待核实</Tag>
  ) : (
    <Tag color="green">已核实</Tag>
  );
}

export const ORIGIN_LABEL: Record<RulesetSummary['origin'], string> = {
  shipped: '内置',
  imported: '导入',
};
