-- An enterprise that moved to another city leaves the devices of its old city's accounts
-- (the central store's pull lists it in leftScope): the device removes its copy of the
-- enterprise and of everything under it. Finalized visits and saved plan versions refuse
-- deletion by trigger (0003, 0005); while sync_removing holds its row, inside the removal's own
-- transaction, they let it through. An exit that meets local changes the central store has not
-- acknowledged waits in sync_scope_exits until they are (nothing local is dropped unsent).
CREATE TABLE `sync_removing` (`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1));
--> statement-breakpoint
CREATE TABLE `sync_scope_exits` (
	`enterprise_id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
DROP TRIGGER IF EXISTS `inspections_finalized_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `inspections_finalized_no_delete` BEFORE DELETE ON `inspections`
WHEN old.status = 'finalized'
	AND NOT EXISTS (SELECT 1 FROM `sync_removing`) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `inspection_members_finalized_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `inspection_members_finalized_no_delete` BEFORE DELETE ON `inspection_members`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized')
	AND NOT EXISTS (SELECT 1 FROM `sync_removing`) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `inspection_processes_finalized_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `inspection_processes_finalized_no_delete` BEFORE DELETE ON `inspection_processes`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized')
	AND NOT EXISTS (SELECT 1 FROM `sync_removing`) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `inspection_answers_finalized_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `inspection_answers_finalized_no_delete` BEFORE DELETE ON `inspection_answers`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized')
	AND NOT EXISTS (SELECT 1 FROM `sync_removing`) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `attachment_uses_finalized_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_finalized_no_delete` BEFORE DELETE ON `attachment_uses`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized')
	AND NOT EXISTS (SELECT 1 FROM `sync_removing`) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `plan_versions_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `plan_versions_no_delete` BEFORE DELETE ON `plan_versions`
WHEN NOT EXISTS (SELECT 1 FROM `plans` WHERE id = old.plan_id AND deleted = 1)
	AND NOT EXISTS (SELECT 1 FROM `sync_removing`) BEGIN
	SELECT RAISE(ABORT, '方案已保存的版本不能删除');
END;
