-- Defence in depth for DESIGN.md's rule "once finalized (签字确认) an inspection is immutable".
-- The service refuses every edit of a finalized visit first; these triggers make SQLite refuse it
-- too, whoever writes (a bug, a script, a raw UPDATE): the visit row itself cannot change or go,
-- and no member, visited process, answer or evidence use of it can be added, changed or removed.
-- Finalizing is the last UPDATE a visit takes (status 'draft' → 'finalized'); a correction is a
-- new visit naming this one in revision_of. Replaying a device's ops in order (sync) passes,
-- because the ops were made in the same order these triggers allowed.
CREATE TRIGGER `inspections_finalized_no_update` BEFORE UPDATE ON `inspections`
WHEN old.status = 'finalized' BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspections_finalized_no_delete` BEFORE DELETE ON `inspections`
WHEN old.status = 'finalized' BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspection_members_finalized_no_insert` BEFORE INSERT ON `inspection_members`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = new.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspection_members_finalized_no_update` BEFORE UPDATE ON `inspection_members`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized')
	OR EXISTS (SELECT 1 FROM `inspections` WHERE id = new.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspection_members_finalized_no_delete` BEFORE DELETE ON `inspection_members`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspection_processes_finalized_no_insert` BEFORE INSERT ON `inspection_processes`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = new.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspection_processes_finalized_no_update` BEFORE UPDATE ON `inspection_processes`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized')
	OR EXISTS (SELECT 1 FROM `inspections` WHERE id = new.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspection_processes_finalized_no_delete` BEFORE DELETE ON `inspection_processes`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspection_answers_finalized_no_insert` BEFORE INSERT ON `inspection_answers`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = new.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspection_answers_finalized_no_update` BEFORE UPDATE ON `inspection_answers`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized')
	OR EXISTS (SELECT 1 FROM `inspections` WHERE id = new.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `inspection_answers_finalized_no_delete` BEFORE DELETE ON `inspection_answers`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_finalized_no_insert` BEFORE INSERT ON `attachment_uses`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = new.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_finalized_no_update` BEFORE UPDATE ON `attachment_uses`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized')
	OR EXISTS (SELECT 1 FROM `inspections` WHERE id = new.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
CREATE TRIGGER `attachment_uses_finalized_no_delete` BEFORE DELETE ON `attachment_uses`
WHEN EXISTS (SELECT 1 FROM `inspections` WHERE id = old.inspection_id AND status = 'finalized') BEGIN
	SELECT RAISE(ABORT, '检查记录已确认，不能修改；如需更正，请创建修订版本');
END;
--> statement-breakpoint
-- Content-addressed rows: a pinned ruleset's or a stored file's content never changes.
CREATE TRIGGER `pinned_rulesets_immutable` BEFORE UPDATE OF id, ruleset_id, edition, json ON `pinned_rulesets` BEGIN
	SELECT RAISE(ABORT, '固定的指标体系内容不能修改');
END;
--> statement-breakpoint
CREATE TRIGGER `attachments_immutable` BEFORE UPDATE OF id, size, mime_type ON `attachments` BEGIN
	SELECT RAISE(ABORT, '附件内容不能修改');
END;
