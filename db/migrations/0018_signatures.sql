ALTER TABLE `attachment_uses` ADD `signer_name` text;--> statement-breakpoint
ALTER TABLE `attachment_uses` ADD `signer_role` text;--> statement-breakpoint
ALTER TABLE `attachment_uses` ADD `member_id` text REFERENCES inspection_members(id);--> statement-breakpoint
ALTER TABLE `attachment_uses` ADD `plan_id` text REFERENCES plans(id);--> statement-breakpoint
ALTER TABLE `attachment_uses` ADD `plan_version` integer;--> statement-breakpoint
CREATE INDEX `attachment_uses_plan` ON `attachment_uses` (`plan_id`,`deleted`);--> statement-breakpoint
ALTER TABLE `inspections` ADD `correction_reason` text;--> statement-breakpoint
ALTER TABLE `plans` ADD `review_opinion` text;--> statement-breakpoint
ALTER TABLE `plans` ADD `reviewed_account` text;--> statement-breakpoint
ALTER TABLE `plans` ADD `confirm_method` text;--> statement-breakpoint
ALTER TABLE `plans` ADD `confirmed_account` text;--> statement-breakpoint
ALTER TABLE `violations` ADD `withdrawn_at` integer;--> statement-breakpoint
ALTER TABLE `violations` ADD `withdrawn_by` text;--> statement-breakpoint
ALTER TABLE `violations` ADD `withdrawn_account` text;--> statement-breakpoint
ALTER TABLE `violations` ADD `withdraw_reason` text;--> statement-breakpoint
-- Signatures are evidence (attachment_uses with a signer); what a person signed stays signed.
CREATE TRIGGER `attachment_uses_signature_insert` BEFORE INSERT ON `attachment_uses`
WHEN new.signer_role IS NOT NULL OR new.signer_name IS NOT NULL OR new.member_id IS NOT NULL
	OR new.plan_id IS NOT NULL BEGIN
	SELECT RAISE(ABORT, '签名须写明签名人姓名和身份')
	WHERE trim(coalesce(new.signer_name, '')) = '' OR trim(coalesce(new.signer_role, '')) = '';
	SELECT RAISE(ABORT, '签名的检查组成员不属于这次检查')
	WHERE new.member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `inspection_members`
		WHERE id = new.member_id AND inspection_id IS new.inspection_id);
	SELECT RAISE(ABORT, '签名须签在一次检查或一份方案的某一版上')
	WHERE (new.inspection_id IS NULL) = (new.plan_id IS NULL)
		OR (new.plan_id IS NOT NULL AND new.plan_version IS NULL)
		OR new.answer_id IS NOT NULL OR new.violation_id IS NOT NULL;
	SELECT RAISE(ABORT, '方案这一版已由企业确认，签名不能再更换')
	WHERE new.plan_id IS NOT NULL AND EXISTS (SELECT 1 FROM `plans` WHERE id = new.plan_id
		AND status = '企业确认' AND confirmed_version = new.plan_version);
END;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_signature_update` BEFORE UPDATE ON `attachment_uses`
WHEN (old.signer_role IS NOT NULL OR new.signer_role IS NOT NULL)
	AND (old.plan_id IS NOT NULL OR new.plan_id IS NOT NULL)
	AND (new.attachment_id IS NOT old.attachment_id OR new.signer_name IS NOT old.signer_name
		OR new.signer_role IS NOT old.signer_role OR new.plan_id IS NOT old.plan_id
		OR new.plan_version IS NOT old.plan_version OR new.deleted IS NOT old.deleted) BEGIN
	SELECT RAISE(ABORT, '方案上的签名签下后不能更换');
END;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_signature_delete` BEFORE DELETE ON `attachment_uses`
WHEN old.plan_id IS NOT NULL BEGIN
	SELECT RAISE(ABORT, '方案上的签名签下后不能更换');
END;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_finalized_member_signature` BEFORE INSERT ON `attachment_uses`
WHEN new.member_id IS NOT NULL AND EXISTS (SELECT 1 FROM `inspections` WHERE status = 'finalized'
	AND id = (SELECT inspection_id FROM `inspection_members` WHERE id = new.member_id)) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
-- 专家审定 needs an 审定意见; 企业确认 needs how and who.
CREATE TRIGGER `plans_review_opinion_insert` BEFORE INSERT ON `plans`
WHEN new.reviewed_at IS NOT NULL AND trim(coalesce(new.review_opinion, '')) = '' BEGIN
	SELECT RAISE(ABORT, '专家审定须填写审定意见');
END;
--> statement-breakpoint
CREATE TRIGGER `plans_review_opinion_update` BEFORE UPDATE ON `plans`
WHEN new.reviewed_at IS NOT old.reviewed_at AND new.reviewed_at IS NOT NULL
	AND trim(coalesce(new.review_opinion, '')) = '' BEGIN
	SELECT RAISE(ABORT, '专家审定须填写审定意见');
END;
--> statement-breakpoint
CREATE TRIGGER `plans_confirmation_insert` BEFORE INSERT ON `plans`
WHEN new.confirmed_at IS NOT NULL AND (trim(coalesce(new.confirmed_by, '')) = ''
	OR coalesce(new.confirm_method, '') NOT IN ('现场签字', '电话确认', '书面回执')) BEGIN
	SELECT RAISE(ABORT, '企业确认须写明确认人和确认方式（现场签字、电话确认或书面回执）');
END;
--> statement-breakpoint
CREATE TRIGGER `plans_confirmation_update` BEFORE UPDATE ON `plans`
WHEN new.confirmed_at IS NOT old.confirmed_at AND new.confirmed_at IS NOT NULL
	AND (trim(coalesce(new.confirmed_by, '')) = ''
	OR coalesce(new.confirm_method, '') NOT IN ('现场签字', '电话确认', '书面回执')) BEGIN
	SELECT RAISE(ABORT, '企业确认须写明确认人和确认方式（现场签字、电话确认或书面回执）');
END;
--> statement-breakpoint
-- A correction says why.
CREATE TRIGGER `inspections_correction_reason_insert` BEFORE INSERT ON `inspections`
WHEN new.revision_of IS NOT NULL AND trim(coalesce(new.correction_reason, '')) = '' BEGIN
	SELECT RAISE(ABORT, '更正须写明更正原因');
END;
--> statement-breakpoint
CREATE TRIGGER `inspections_correction_reason_update` BEFORE UPDATE ON `inspections`
WHEN new.revision_of IS NOT NULL AND new.correction_reason IS NOT old.correction_reason
	AND trim(coalesce(new.correction_reason, '')) = '' BEGIN
	SELECT RAISE(ABORT, '更正须写明更正原因');
END;
--> statement-breakpoint
-- A withdrawn violation says who and why, and stays withdrawn.
CREATE TRIGGER `violations_withdrawal_insert` BEFORE INSERT ON `violations`
WHEN new.withdrawn_at IS NOT NULL AND (trim(coalesce(new.withdrawn_by, '')) = ''
	OR trim(coalesce(new.withdraw_reason, '')) = '') BEGIN
	SELECT RAISE(ABORT, '撤销违法记录须写明撤销人和撤销原因');
END;
--> statement-breakpoint
CREATE TRIGGER `violations_withdrawal_update` BEFORE UPDATE ON `violations`
WHEN new.withdrawn_at IS NOT NULL AND (trim(coalesce(new.withdrawn_by, '')) = ''
	OR trim(coalesce(new.withdraw_reason, '')) = '') BEGIN
	SELECT RAISE(ABORT, '撤销违法记录须写明撤销人和撤销原因');
END;
--> statement-breakpoint
CREATE TRIGGER `violations_withdrawal_final` BEFORE UPDATE ON `violations`
WHEN old.withdrawn_at IS NOT NULL AND (new.withdrawn_at IS NOT old.withdrawn_at
	OR new.withdrawn_by IS NOT old.withdrawn_by OR new.withdraw_reason IS NOT old.withdraw_reason
	OR new.withdrawn_account IS NOT old.withdrawn_account) BEGIN
	SELECT RAISE(ABORT, '违法记录已撤销，撤销人、时间和原因不能再改');
END;
--> statement-breakpoint
-- 0017's trigger names every column of a finalized visit that never changes; correction_reason is new.
DROP TRIGGER `inspections_finalized_no_update`;
--> statement-breakpoint
CREATE TRIGGER `inspections_finalized_no_update` BEFORE UPDATE ON `inspections`
WHEN old.status = 'finalized' AND (
	new.id IS NOT old.id OR new.enterprise_id IS NOT old.enterprise_id OR new.date IS NOT old.date
	OR new.type IS NOT old.type OR new.status IS NOT old.status OR new.note IS NOT old.note
	OR new.revision_of IS NOT old.revision_of OR new.number IS NOT old.number
	OR new.finalized_at IS NOT old.finalized_at OR new.frozen_grading IS NOT old.frozen_grading
	OR new.correction_reason IS NOT old.correction_reason
	OR new.created_at IS NOT old.created_at) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
