ALTER TABLE `enterprises` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `enterprises` ADD `deleted_by` text;--> statement-breakpoint
ALTER TABLE `enterprises` ADD `delete_reason` text;--> statement-breakpoint
ALTER TABLE `inspections` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `inspections` ADD `deleted_by` text;--> statement-breakpoint
ALTER TABLE `inspections` ADD `delete_reason` text;--> statement-breakpoint
ALTER TABLE `plans` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `plans` ADD `deleted_by` text;--> statement-breakpoint
ALTER TABLE `plans` ADD `delete_reason` text;--> statement-breakpoint
-- A finalized visit is an official record: it still never changes, but an account of the right
-- role may move it to the 回收站 and back (the store checks the role, the service asks why).
-- The trigger of 0003 refused every UPDATE; this one refuses any change but the trash fields
-- and the sync bookkeeping that comes with them. A migration that adds a column to inspections
-- must name it here too.
DROP TRIGGER `inspections_finalized_no_update`;
--> statement-breakpoint
CREATE TRIGGER `inspections_finalized_no_update` BEFORE UPDATE ON `inspections`
WHEN old.status = 'finalized' AND (
	new.id IS NOT old.id OR new.enterprise_id IS NOT old.enterprise_id OR new.date IS NOT old.date
	OR new.type IS NOT old.type OR new.status IS NOT old.status OR new.note IS NOT old.note
	OR new.revision_of IS NOT old.revision_of OR new.number IS NOT old.number
	OR new.finalized_at IS NOT old.finalized_at OR new.frozen_grading IS NOT old.frozen_grading
	OR new.created_at IS NOT old.created_at) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
-- 0013 rewrote this trigger without 0010's exception for sync_removing, so removing a finalized
-- visit with evidence (a scope exit, and now a purge of the 回收站) was refused. Put it back.
DROP TRIGGER `attachment_uses_finalized_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_finalized_no_delete` BEFORE DELETE ON `attachment_uses`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE status = 'finalized' AND (id = old.inspection_id
	OR id = (SELECT inspection_id FROM `inspection_answers` WHERE id = old.answer_id)))
	AND NOT EXISTS (SELECT 1 FROM `sync_removing`) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
