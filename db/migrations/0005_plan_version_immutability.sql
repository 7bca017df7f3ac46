-- A saved plan version (一企一策) is a record of what the expert wrote at that moment: the plan's
-- status names the version it approves, so a version must never change after it is written.
-- The service only ever inserts versions; these triggers make SQLite refuse a change too, whoever
-- writes. A tombstone (deleted, with its sync bookkeeping) stays possible, and a version may be
-- removed only once its plan is tombstoned (the purge after the central store has the delete).
CREATE TRIGGER `plan_versions_immutable` BEFORE UPDATE OF id, plan_id, version, content, comment, created_at ON `plan_versions` BEGIN
	SELECT RAISE(ABORT, '方案已保存的版本不能修改；修改请保存为新版本');
END;
--> statement-breakpoint
CREATE TRIGGER `plan_versions_no_delete` BEFORE DELETE ON `plan_versions`
WHEN NOT EXISTS (SELECT 1 FROM `plans` WHERE id = old.plan_id AND deleted = 1) BEGIN
	SELECT RAISE(ABORT, '方案已保存的版本不能删除');
END;
