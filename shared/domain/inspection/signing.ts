import { z } from 'zod';
import { multilineText, text } from '../../text';
import { IdSchema } from '../enterprise';

/** Signing and correcting a visit: a person's name, the signer roles, a drawn signature, a correction's reason. */
/** A person's name as they sign or act (one line). */
export const PersonNameSchema = text('姓名')
  .trim()
  .min(1, '请填写姓名')
  .max(50, '姓名不能超过50个字');

/** The parts a signature is signed in (签名人身份). */
export const REPRESENTATIVE_ROLE = '企业陪同人员';
export const REVIEWER_SIGNER_ROLE = '审定专家';
export const CONFIRMER_SIGNER_ROLE = '企业确认人';

/** A signature drawn on screen: a PNG, base64 without the data-URL prefix, at most 1 MB. */
export const SignatureImageSchema = z
  .string()
  .min(1, '请先签名')
  .max(1_400_000, '签名图片过大（超过 1 MB）')
  .regex(/^[A-Za-z0-9+/=]*$/, '签名图片编码不正确');

/**
 * Signing a draft visit: a team member (memberId: their signature is their confirmation) or
 * the enterprise's representative (representative: the name they sign under).
 */
export const InspectionSignSchema = z
  .object({
    inspectionId: IdSchema,
    memberId: IdSchema.optional(),
    representative: PersonNameSchema.optional(),
    image: SignatureImageSchema,
  })
  .strict()
  .refine((s) => (s.memberId === undefined) !== (s.representative === undefined), {
    message: '请选择签名的检查组成员，或填写企业陪同人员的姓名（二者选一）',
    path: ['memberId'],
  });
export type InspectionSign = z.output<typeof InspectionSignSchema>;

/** Starting a correction (更正) of a finalized visit, and why. */
export const InspectionReviseSchema = z
  .object({
    id: IdSchema,
    reason: multilineText('更正原因', '请填写更正原因')
      .trim()
      .min(2, '请填写更正原因（至少2个字）')
      .max(500, '更正原因不能超过500个字'),
  })
  .strict();
