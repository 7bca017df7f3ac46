/**
 * 现场照片与文件 of the whole visit (evidence not tied to one indicator), as a foldable card.
 */
import { useState } from 'react';

import { type EvidenceUse } from '../../../../shared/domain/inspection';
import { FoldCard } from '../FoldCard';
import { EvidenceList } from './EvidenceList';

/** 现场照片与文件 of the whole visit: folded when there were some already, or once finalized. */
export function VisitEvidenceCard({
  inspectionId,
  evidence,
  draft,
  onChanged,
}: {
  inspectionId: string;
  evidence: readonly EvidenceUse[];
  draft: boolean;
  onChanged: () => void;
}) {
  const [filesAtOpen] = useState(evidence.length > 0);
  return (
    <FoldCard
      title="现场照片与文件"
      className="visit-evidence"
      summary={
        evidence.length > 0
          ? `${evidence.length} 个文件：${evidence.map((e) => e.fileName).join('、')}`
          : '无'
      }
      defaultFolded={!draft || filesAtOpen}
    >
      <EvidenceList
        evidence={evidence}
        disabled={!draft}
        target={{ inspectionId }}
        onChanged={onChanged}
      />
    </FoldCard>
  );
}
