/**
 * The line under a 专家审定 or 企业确认 on the plan page: when, from which sync account, and the
 * signature.
 */

import { type PlanStamp } from '../../../../shared/plan/api';
import { dateTimeText } from '../../dates';
import { SignatureImage } from '../SignaturePadModal';

/** When, from which sync account, and the signature of a 专家审定 or 企业确认. */
export function StampLine({ stamp }: { stamp: PlanStamp }) {
  return (
    <div className="plan-stamp-line">
      {dateTimeText(stamp.at)}
      {stamp.account ? ` · 同步账号 ${stamp.account}` : ''}
      {stamp.signature && (
        <SignatureImage
          id={stamp.signature.id}
          sha256={stamp.signature.sha256}
          name={stamp.signature.signerName}
          height={32}
        />
      )}
    </div>
  );
}
