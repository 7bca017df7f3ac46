-- Evidence of a finalized visit's answer froze only when the use named the visit itself: a use
-- carrying just answerId (as a sync op may) slipped past the triggers of migration 0003. The
-- triggers now find the visit through the answer too (the store checks the same, server/sync/push.ts).
DROP TRIGGER `attachment_uses_finalized_no_insert`;
--> statement-breakpoint
DROP TRIGGER `attachment_uses_finalized_no_update`;
--> statement-breakpoint
DROP TRIGGER `attachment_uses_finalized_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_finalized_no_insert` BEFORE INSERT ON `attachment_uses`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE status = 'finalized' AND (id = new.inspection_id
	OR id = (SELECT inspection_id FROM `inspection_answers` WHERE id = new.answer_id))) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_finalized_no_update` BEFORE UPDATE ON `attachment_uses`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE status = 'finalized' AND (id = old.inspection_id
	OR id = new.inspection_id
	OR id = (SELECT inspection_id FROM `inspection_answers` WHERE id = old.answer_id)
	OR id = (SELECT inspection_id FROM `inspection_answers` WHERE id = new.answer_id))) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_finalized_no_delete` BEFORE DELETE ON `attachment_uses`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE status = 'finalized' AND (id = old.inspection_id
	OR id = (SELECT inspection_id FROM `inspection_answers` WHERE id = old.answer_id))) BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
